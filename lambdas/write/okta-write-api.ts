/** The part of the Okta client the write core uses: reads to resolve, `send` to write (same governor). */
import type { OktaClient } from '../okta/client.js';

export type OktaWriteApi = Pick<OktaClient, 'origin' | 'getJson' | 'paginate' | 'send'>;
