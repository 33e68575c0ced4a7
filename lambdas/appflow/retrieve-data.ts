/**
 * RetrieveData: records by primary key, one `GET <item path>` per id (a few at a time, on the client's rate-limit
 * governor). Ids Okta does not know (404) are left out rather than failing the whole call.
 */
import { OktaApiError } from '../okta/errors.js';
import type { OktaRecord } from '../okta/types.js';
import type { ConnectorDeps } from './deps.js';
import { InvalidRequestError } from './errors.js';
import { selectedFields } from './fields.js';
import type { RetrieveDataRequest } from './protocol.js';
import { toAppFlowRecord } from './records.js';
import type { Session } from './session.js';

const CONCURRENCY = 4;
/** AppFlow sends ids in small batches; more than this in one 30 s call would be a misuse. */
export const MAX_IDS = 1000;

export async function retrieveData(
  request: RetrieveDataRequest,
  session: Session,
  deps: ConnectorDeps,
): Promise<{ records: string[] }> {
  const def = await session.definition(request.entityIdentifier);
  const [keyColumn, ...composite] = def.primaryKey;
  if (keyColumn === undefined || composite.length > 0) {
    throw new InvalidRequestError(`${def.name} records have a composite key and cannot be retrieved by id.`);
  }
  const idField = request.idFieldName ?? keyColumn;
  if (idField !== keyColumn) {
    throw new InvalidRequestError(`${def.name} records can only be retrieved by "${keyColumn}", not "${idField}".`);
  }
  if (request.ids.length > MAX_IDS) {
    throw new InvalidRequestError(`RetrieveData takes at most ${MAX_IDS} ids per call, got ${request.ids.length}.`);
  }
  const fields = selectedFields(def, request.selectedFieldNames);
  const ids = [...new Set(request.ids.filter((id) => id.trim() !== ''))];
  const found: (OktaRecord | null)[] = new Array(ids.length).fill(null);
  const signal = AbortSignal.timeout(deps.limits.hardBudgetMs);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const id = ids[index] as string;
      try {
        found[index] = await session.client.getJson<OktaRecord>(def.itemPath(id), { signal });
      } catch (err) {
        if (err instanceof OktaApiError && err.status === 404) continue;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return {
    records: found.filter((r): r is OktaRecord => r !== null).map((r) => JSON.stringify(toAppFlowRecord(r, fields))),
  };
}
