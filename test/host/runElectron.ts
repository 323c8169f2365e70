import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

// `npm run test:electron`: the same extension-host suite (test/host) in desktop VS Code through
// @vscode/test-electron. Needs a desktop (or xvfb) and network access: it downloads VS Code from Microsoft's
// update host on first use. Not part of CI, which runs the suite inside code-server (test/e2e/host.test.ts).

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  const scratch = mkdtempSync(join(tmpdir(), 'modelarts-host-'));
  try {
    const userDataDir = join(scratch, 'user-data');
    const workspace = join(scratch, 'workspace');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    mkdirSync(workspace, { recursive: true });
    // The settings the suite expects (as test/e2e/host.test.ts writes them for code-server).
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ 'modelarts.pageSize': 10, 'modelarts.refresh.intervalSeconds': 2, 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false }),
    );
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'index.js'),
      extensionTestsEnv: { MODELARTS_EXPLORER_DEMO_JOBS: '25' },
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
