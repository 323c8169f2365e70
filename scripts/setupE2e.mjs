// `npm run setup:e2e`: installs Chromium, Node 24 and code-server for the end-to-end tests and the demo, into
// a cache folder outside the clone (MODELARTS_E2E_CACHE, default ~/.cache/modelarts-explorer-e2e). Idempotent.
import { SetupError, ensureE2eTools } from './lib/setup.mjs';

try {
  ensureE2eTools();
} catch (error) {
  const message = error instanceof SetupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`\nsetup:e2e FAILED: ${message}\n`);
  process.exit(1);
}
