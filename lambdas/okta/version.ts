/**
 * okta-flow's version, for the User-Agent. A JSON import (not a runtime file read) so esbuild inlines it into the
 * Lambda bundle; only `version` is used.
 */
import pkg from '../../package.json' with { type: 'json' };

export const OKTA_FLOW_VERSION: string = pkg.version;
export const DEFAULT_USER_AGENT = `okta-flow/${OKTA_FLOW_VERSION}`;
