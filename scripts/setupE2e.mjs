// `npm run setup:e2e`: installs Chromium, Node 24 and code-server for the end-to-end tests and the demo, into
// a cache folder outside the clone (MODELARTS_E2E_CACHE, default ~/.cache/modelarts-explorer-e2e). Idempotent.
// With --sshd (`npm run setup:sshd`, npm test's pretest step): only Debian's openssh-server and openssh-client,
// which the SSH tests start and drive.
import { SetupError, ensureE2eTools, ensureSshTools } from './lib/setup.mjs';

const sshdOnly = process.argv.includes('--sshd');
try {
  if (sshdOnly) ensureSshTools();
  else ensureE2eTools();
} catch (error) {
  const message = error instanceof SetupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`\nsetup:${sshdOnly ? 'sshd' : 'e2e'} FAILED: ${message}\n`);
  process.exit(1);
}
