/** ConnectorLogger over Powertools Logger (structured JSON lines in CloudWatch). */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ConnectorLogger } from './deps.js';

export function powertoolsConnectorLogger(logger: Logger): ConnectorLogger {
  return {
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
    child: (keys) => {
      const child = logger.createChild();
      child.appendKeys(keys);
      return powertoolsConnectorLogger(child);
    },
  };
}
