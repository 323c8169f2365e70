import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { sshFileError } from '../../../src/commands/notebooks/sshMessages';
import { englishL10n } from '../../../src/common/translate';
import { LOCK_SUFFIX, LockTimeoutError, lockStats, withFileLock } from '../../../src/ssh/lock';

// The cross-process lock around read–change–rename of the SSH files (Q27): a lock file created exclusively,
// released after the task, waited for while its owner lives, taken over when its owner is gone or it is older
// than the bound. Waiting runs on a manual clock; the other process is a real one, running the compiled module.

const temps: string[] = [];
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'modelarts-sshlock-'));
  temps.push(dir);
  return dir;
};
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const lockModule = join(__dirname, '..', '..', '..', 'src', 'ssh', 'lock.js');

/** Another process that takes the lock of `file` and holds it until it is killed. */
async function holder(file: string): Promise<ChildProcess> {
  const script = `
    const { withFileLock } = require(${JSON.stringify(lockModule)});
    setInterval(() => {}, 1 << 30);
    withFileLock(process.argv[1], () => { process.stdout.write('locked\\n'); return new Promise(() => {}); });
  `;
  const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', (code, signal) => reject(new Error(`the other process never took the lock (${code ?? signal}): ${stderr}`)));
  });
  return child;
}

/** Lets the lock's file operations run until it sleeps before its next try, or `done` (real-time guard: 10 s). */
async function untilWaiting(clock: ManualClock, done: () => boolean = () => false): Promise<void> {
  const guard = Date.now() + 10_000;
  while (clock.pending === 0 && !done()) {
    if (Date.now() > guard) throw new Error('the lock never waited');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const owner = (lock: string): unknown => (JSON.parse(readFileSync(lock, 'utf8')) as { pid?: unknown }).pid;

describe('[Q27] the lock around the SSH files', () => {
  it('[Q27] is a file created for the task and removed after it, also when the task throws', async () => {
    const file = join(temp(), 'modelarts_config');
    const lock = `${file}${LOCK_SUFFIX}`;
    const seen = await withFileLock(file, () => Promise.resolve(existsSync(lock) ? owner(lock) : 'no lock'));
    assert.equal(seen, process.pid, 'held, with this process as its owner, while the task runs');
    assert.equal(existsSync(lock), false);
    await assert.rejects(withFileLock(file, () => Promise.reject(new Error('task failed'))), /task failed/);
    assert.equal(existsSync(lock), false, 'released after a failure too');
  });

  it('[Q27] a live process\'s lock holds the writer back; once that process is killed, its stale lock is recovered', async () => {
    const file = join(temp(), 'modelarts_config');
    const lock = `${file}${LOCK_SUFFIX}`;
    const other = await holder(file);
    const clock = new ManualClock(Date.now());
    const before = lockStats();
    let ran = false;
    const writing = withFileLock(file, () => Promise.resolve((ran = true)), { clock });
    for (let i = 0; i < 5; i++) {
      await untilWaiting(clock);
      await clock.advance(1000);
    }
    assert.equal(ran, false, 'the task waits while the other process holds the lock');
    assert.equal(owner(lock), other.pid);
    assert.ok(lockStats().waits - before.waits >= 5, 'it tried again and again');

    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    const killedAt = clock.now();
    while (!ran) {
      await untilWaiting(clock, () => ran);
      await clock.advance(100);
    }
    await writing;
    assert.ok(clock.now() - killedAt <= 1000, `taken over at the next try, not after the age bound (${clock.now() - killedAt} ms)`);
    assert.equal(lockStats().staleRecovered - before.staleRecovered, 1);
    assert.equal(existsSync(lock), false);
  });

  it('[Q27] a lock older than the bound is taken over even when its owner\'s pid is alive (reused)', async () => {
    const file = join(temp(), 'modelarts_config');
    const lock = `${file}${LOCK_SUFFIX}`;
    const start = Date.now();
    const clock = new ManualClock(start);
    // Positive control: a fresh lock of a live pid is waited for …
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: clock.now() }));
    let ran = false;
    const writing = withFileLock(file, () => Promise.resolve((ran = true)), { clock, staleMs: 30_000, timeoutMs: 60_000 });
    await untilWaiting(clock);
    await clock.advance(20_000);
    assert.equal(ran, false);
    assert.ok(existsSync(lock));
    // … until it is older than the bound.
    while (!ran) {
      await untilWaiting(clock, () => ran);
      await clock.advance(1000);
    }
    await writing;
    assert.ok(clock.now() - start < 60_000, 'before the time limit');
    assert.equal(existsSync(lock), false);
  });

  it('[Q27] a lock that stays held times out with a message naming the lock file and its owner; the lock is left alone', async () => {
    const file = join(temp(), 'modelarts_config');
    const lock = `${file}${LOCK_SUFFIX}`;
    const other = await holder(file);
    const clock = new ManualClock(Date.now());
    let ran = false;
    const writing = withFileLock(file, () => Promise.resolve((ran = true)), { clock, timeoutMs: 5_000, staleMs: 60_000 });
    const outcome = writing.then(
      () => undefined,
      (e: unknown) => e,
    );
    let settled: unknown = 'pending';
    void outcome.then((e) => (settled = e));
    while (settled === 'pending') {
      await untilWaiting(clock, () => settled !== 'pending');
      await clock.advance(500);
    }
    assert.equal(ran, false);
    assert.ok(settled instanceof LockTimeoutError, String(settled));
    assert.equal(settled.lockFile, lock);
    assert.match(settled.message, new RegExp(`${lock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*process ${other.pid}`));
    assert.equal(owner(lock), other.pid, 'still the other process\'s');
    // What Connect via SSH then says.
    assert.equal(
      (sshFileError(settled, englishL10n) as Error).message,
      `${file} is being changed by another process (${other.pid}), which did not finish in 5 s. If no other VS Code window is connecting to a notebook, delete ${lock} and try again.`,
    );
  });
});
