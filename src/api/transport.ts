// Node's http and https modules and node-fetch, loaded with the first request rather than with the extension:
// activation sends nothing, and these modules (with tls, zlib and streams behind them) are most of the time it
// takes to load the client.

import type * as NodeHttp from 'node:http';
import type * as NodeHttps from 'node:https';
import type NodeFetch from 'node-fetch';

export interface Transport {
  http: typeof NodeHttp;
  https: typeof NodeHttps;
  fetch: typeof NodeFetch;
}

let loaded: Transport | undefined;
let nodeHttp: Pick<Transport, 'http' | 'https'> | undefined;

/** Node's http and https alone, for callers that never fetch (OBS's wire): node-fetch is not bundled with them. */
export function loadNodeHttp(): Pick<Transport, 'http' | 'https'> {
  /* eslint-disable @typescript-eslint/no-require-imports -- a require at first use is the point of this module */
  nodeHttp ??= { http: require('node:http') as typeof NodeHttp, https: require('node:https') as typeof NodeHttps };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return nodeHttp;
}

export function loadTransport(): Transport {
  /* eslint-disable @typescript-eslint/no-require-imports -- a require at first use is the point of this module */
  loaded ??= { ...loadNodeHttp(), fetch: require('node-fetch') as typeof NodeFetch };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loaded;
}
