import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PackageManager, listFiles } from '@vscode/vsce';
import type { ModelArtsClient } from '../../src/api/client';
import { systemClock } from '../../src/api/clock';
import type { ActiveSession, SessionService } from '../../src/common/session';
import { WALKTHROUGH_CONTEXT_KEYS, WALKTHROUGH_ID, WALKTHROUGH_STEPS, WalkthroughProgress, type WalkthroughMilestone } from '../../src/common/walkthrough';

// The getting-started walkthrough: each step completes on an event that really happens (a contributed
// command, or a context key the code sets where the user got there), and speaks English and Chinese.

const ROOT = join(__dirname, '..', '..', '..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string };
  completionEvents: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}

const pkg = readJson('package.json') as { contributes: { commands: Array<{ command: string }>; walkthroughs: Walkthrough[] } };
const en = readJson('package.nls.json');
const zh = readJson('package.nls.zh-cn.json');
const commandIds = new Set(pkg.contributes.commands.map((c) => c.command));
const nls = (value: string, table: Record<string, unknown>): string => {
  const text = table[/^%(.+)%$/.exec(value)?.[1] ?? ''];
  return typeof text === 'string' ? text : '';
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}
const code = sources(join(ROOT, 'src'))
  .filter((file) => !file.endsWith(join('common', 'walkthrough.ts')))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

/** Where the code marks a milestone: `walkthrough.reached('<milestone>')`, or the session watch (signing in, the demo). */
function isSet(milestone: WalkthroughMilestone): boolean {
  if (milestone === 'signedIn' || milestone === 'demoStarted') return /\bwalkthrough\.watchSessions\(/.test(code);
  return code.includes(`walkthrough.reached('${milestone}')`);
}

/** Each complete event names something real: a contributed command, or a key the code sets. */
function eventProblems(events: readonly string[], keySet: (key: string) => boolean): string[] {
  return events.flatMap((event) => {
    const [kind, name] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
    if (kind === 'onCommand') return commandIds.has(name) ? [] : [`${event}: no such command`];
    if (kind === 'onContext') return keySet(name) ? [] : [`${event}: the code never sets ${name}`];
    return [`${event}: not a command or a context key`];
  });
}
const keyIsSet = (key: string): boolean => {
  const milestone = (Object.keys(WALKTHROUGH_CONTEXT_KEYS) as WalkthroughMilestone[]).find((m) => WALKTHROUGH_CONTEXT_KEYS[m] === key);
  return milestone !== undefined && isSet(milestone);
};

describe('walkthrough: the manifest', () => {
  const walkthroughs = pkg.contributes.walkthroughs;

  it('contributes one walkthrough, titled in English and Chinese, with the seven steps in order', () => {
    assert.equal(walkthroughs.length, 1);
    const [w] = walkthroughs;
    assert.equal(w.id, 'gettingStarted');
    for (const text of [w.title, w.description]) assert.ok(nls(text, en) !== '' && nls(text, zh) !== '', text);
    assert.deepEqual(
      w.steps.map((s) => s.id),
      ['tryDemo', 'signIn', 'startNotebook', 'followLogs', 'saveImage', 'runFolder', 'jobDashboard'],
    );
  });

  it('completes each step on a contributed command or a context key the code sets', () => {
    const [w] = walkthroughs;
    for (const step of w.steps) {
      assert.ok(step.completionEvents.length > 0, `${step.id} has completion events`);
      assert.deepEqual(eventProblems(step.completionEvents, keyIsSet), [], step.id);
    }
    assert.deepEqual(w.steps[0].completionEvents, ['onCommand:modelarts.demo.start', 'onContext:modelarts.walkthrough.demoStarted']);
    assert.deepEqual(w.steps.map((s) => s.id), w.steps.map((s) => WALKTHROUGH_STEPS[(Object.keys(WALKTHROUGH_STEPS) as WalkthroughMilestone[]).find((m) => WALKTHROUGH_STEPS[m] === s.id)!]), 'every step has its milestone');
    assert.equal(w.id, WALKTHROUGH_ID);
    const contextKeys = w.steps.flatMap((s) => s.completionEvents).filter((e) => e.startsWith('onContext:'));
    assert.deepEqual(contextKeys.sort(), Object.values(WALKTHROUGH_CONTEXT_KEYS).map((key) => `onContext:${key}`).sort(), 'every key has its step');
  });

  it('the check names an unknown command, a key nobody sets and another kind of event', () => {
    assert.deepEqual(eventProblems(['onCommand:modelarts.demo.start', 'onContext:modelarts.walkthrough.imageSaved'], keyIsSet), []);
    assert.deepEqual(eventProblems(['onCommand:modelarts.nothing', 'onContext:modelarts.walkthrough.never', 'onView:modelarts.explorer'], keyIsSet), [
      'onCommand:modelarts.nothing: no such command',
      'onContext:modelarts.walkthrough.never: the code never sets modelarts.walkthrough.never',
      'onView:modelarts.explorer: not a command or a context key',
    ]);
  });

  it('gives each step a title, a description whose buttons run contributed commands, and small markdown in English and Chinese', async () => {
    for (const step of walkthroughs[0].steps) {
      for (const table of [en, zh]) {
        assert.ok(nls(step.title, table) !== '', `${step.id} title`);
        const description = nls(step.description, table);
        const links = [...description.matchAll(/\(command:([^)\s?]+)/g)].map((m) => m[1]);
        assert.ok(links.length > 0, `${step.id} has a button`);
        for (const id of links) assert.ok(commandIds.has(id), `${step.id} links ${id}`);
      }
      const markdown = step.media.markdown ?? '';
      assert.match(markdown, /^media\/walkthrough\/[A-Za-z]+\.md$/, step.id);
      // VS Code reads <name>.nls.<locale>.md when the display language is that locale.
      for (const file of [markdown, markdown.replace(/\.md$/, '.nls.zh-cn.md')]) {
        assert.ok(existsSync(join(ROOT, file)), file);
        assert.ok(statSync(join(ROOT, file)).size < 2048, `${file} is small`);
      }
      assert.match(readFileSync(join(ROOT, markdown.replace(/\.md$/, '.nls.zh-cn.md')), 'utf8'), /[\u4e00-\u9fff]/, `${step.id}: Chinese`);
    }
    // What `npm run package` would put in the .vsix, as vsce itself lists it.
    const shipped = new Set((await listFiles({ cwd: ROOT, packageManager: PackageManager.None })).map((f) => f.replace(/\\/g, '/')));
    for (const step of walkthroughs[0].steps) {
      const markdown = step.media.markdown ?? '';
      for (const file of [markdown, markdown.replace(/\.md$/, '.nls.zh-cn.md')]) assert.ok(shipped.has(file), `the .vsix ships ${file}`);
    }
  });
});

describe('walkthrough: WalkthroughProgress', () => {
  const session = (demo: boolean): ActiveSession => ({ profile: demo ? 'demo' : 'work', region: 'cn-north-4', client: {} as ModelArtsClient, demo, serviceClock: systemClock });

  function fakeSessions(current: ActiveSession | undefined): SessionService & { change(next: ActiveSession | undefined): void; listeners: number } {
    const listeners = new Set<(s: ActiveSession | undefined) => void>();
    const service = {
      current,
      get listeners() {
        return listeners.size;
      },
      onDidChange: (listener: (s: ActiveSession | undefined) => void) => {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
      change(next: ActiveSession | undefined) {
        service.current = next;
        for (const l of listeners) l(next);
      },
    };
    return service;
  }

  it('sets a milestone\'s context key to true and marks its step done, once', () => {
    const set: Array<[string, boolean]> = [];
    const marked: string[] = [];
    const progress = new WalkthroughProgress((key, value) => set.push([key, value]), (step) => marked.push(step));
    progress.reached('notebookRunning');
    progress.reached('notebookRunning');
    progress.reached('imageSaved');
    assert.deepEqual(set, [
      ['modelarts.walkthrough.notebookRunning', true],
      ['modelarts.walkthrough.imageSaved', true],
    ]);
    assert.deepEqual(marked, ['startNotebook', 'saveImage']);
    assert.ok(progress.has('imageSaved') && !progress.has('logsFollowed'));
  });

  it('a workbench that refuses to mark a step (the walkthrough not registered yet, or no such command) changes nothing else', async () => {
    const set: string[] = [];
    const progress = new WalkthroughProgress(
      (key) => set.push(key),
      () => Promise.reject(new Error('Tried to progress unknown step')),
    );
    progress.reached('logsFollowed');
    const throwing = new WalkthroughProgress(
      (key) => set.push(key),
      () => {
        throw new Error('command not found');
      },
    );
    throwing.reached('imageSaved');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(set, ['modelarts.walkthrough.logsFollowed', 'modelarts.walkthrough.imageSaved']);
  });

  it('counts a session with the user\'s credentials as signed in, the demo not; a restored session too; dispose stops watching', () => {
    const set: string[] = [];
    const sessions = fakeSessions(undefined);
    const progress = new WalkthroughProgress((key) => set.push(key));
    const watch = progress.watchSessions(sessions);
    sessions.change(session(true));
    sessions.change(undefined);
    assert.deepEqual(set, ['modelarts.walkthrough.demoStarted'], 'the demo is "Try the demo", and neither it nor signing out is a sign-in');
    sessions.change(session(false));
    assert.deepEqual(set, ['modelarts.walkthrough.demoStarted', 'modelarts.walkthrough.signedIn']);
    watch.dispose();
    assert.equal(sessions.listeners, 0);

    const restored: string[] = [];
    new WalkthroughProgress((key) => restored.push(key)).watchSessions(fakeSessions(session(false))).dispose();
    assert.deepEqual(restored, ['modelarts.walkthrough.signedIn']);
  });

  it('a failing setContext stays quiet', async () => {
    const progress = new WalkthroughProgress(() => Promise.reject(new Error('no workbench')));
    progress.reached('logsFollowed');
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(progress.has('logsFollowed'));
  });
});
