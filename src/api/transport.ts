// Node's http and https, loaded with the first request rather than with the extension: activation sends
// nothing, and these modules (with tls, zlib and streams behind them) are most of the time it takes to load
// the client.

import type * as NodeHttp from 'node:http';
import type * as NodeHttps from 'node:https';

export interface NodeHttpModules {
  http: typeof NodeHttp;
  https: typeof NodeHttps;
}

let nodeHttp: NodeHttpModules | undefined;

export function loadNodeHttp(): NodeHttpModules {
  /* eslint-disable @typescript-eslint/no-require-imports -- a require at first use is the point of this module */
  nodeHttp ??= { http: require('node:http') as typeof NodeHttp, https: require('node:https') as typeof NodeHttps };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return nodeHttp;
}
