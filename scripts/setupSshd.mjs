// `npm run setup:sshd` (and npm test's pretest step): installs Debian's openssh-server and openssh-client, which
// the SSH tests start and drive (a real sshd on a loopback port, run as the current user). Idempotent.
import { SetupError, ensureSshTools } from './lib/setup.mjs';

try {
  ensureSshTools();
} catch (error) {
  const message = error instanceof SetupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`\nsetup:sshd FAILED: ${message}\n`);
  process.exit(1);
}
