import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { TrainingFamily } from '../../src/emulator/training';
import type { RecordedRequest } from '../../src/emulator/server';
import { WALKTHROUGH_CONTEXT_KEYS } from '../../src/common/walkthrough';
import type { ExtensionApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/explorer/nodes/node';
import { EXTENSION_ID, activateWithDemo, sleep, waitFor } from './support';

// Every action command run in the extension host on a tree node of the demo, the way a menu runs it:
// `executeCommand(id, node)`. Prompts are answered by script: the vscode API object the extension sees is the
// one this file sees, so showQuickPick, showInputBox, showWarningMessage (modal confirmations) and friends
// are replaced while the suite runs and restored after. Output channels are wrapped at creation so their
// text can be read back (an OutputChannel has no read API), and the context keys it sets are recorded (the
// walkthrough checks its steps off by them; the API cannot read a context key back).

const LOAD_MORE = 'Load more…';
const LONG_JOB = 'pytorch-mnist-long-run';

interface Row {
  node: ExplorerNode;
  label: string;
  description: string;
}

// A label to pick, or a function choosing from the items (an array for multi-select picks).
type PickAnswer = string | ((items: readonly (string | vscode.QuickPickItem)[]) => string | vscode.QuickPickItem | readonly (string | vscode.QuickPickItem)[] | undefined);
type InputAnswer = string | ((options: vscode.InputBoxOptions) => string);

const labelOf = (item: string | vscode.QuickPickItem): string => (typeof item === 'string' ? item : item.label);

/** Scripted answers to the extension's prompts, and what it showed. */
class Prompts {
  readonly picks: PickAnswer[] = [];
  readonly inputs: InputAnswer[] = [];
  /** The button a modal warning answers with; `undefined` declines it. */
  readonly confirms: Array<string | undefined> = [];
  readonly shown: Array<{ kind: 'info' | 'warning' | 'error' | 'modal' | 'pick' | 'input'; text: string }> = [];
  readonly unanswered: string[] = [];
  readonly opened: vscode.Uri[] = [];
  /** Text appended to each output channel created while installed, by channel name. */
  readonly channels = new Map<string, string>();
  /** The items of each custom QuickPick shown (the app credentials). */
  readonly customPicks: Array<readonly vscode.QuickPickItem[]> = [];
  saveTarget: vscode.Uri | undefined;
  /** The last value of each context key the extension set while installed. */
  readonly contexts = new Map<string, unknown>();
  private readonly restore: Array<() => void> = [];

  install(): void {
    const win = vscode.window as unknown as Record<string, unknown>;
    const env = vscode.env as unknown as Record<string, unknown>;
    const replace = (target: Record<string, unknown>, name: string, stub: unknown): void => {
      const original = target[name];
      target[name] = stub;
      assert.equal(target[name], stub, `vscode.${name} cannot be replaced in this host`);
      this.restore.push(() => {
        target[name] = original;
      });
    };
    const originalCreateChannel = vscode.window.createOutputChannel.bind(vscode.window) as (...args: unknown[]) => vscode.OutputChannel;
    const originalCreatePick = vscode.window.createQuickPick.bind(vscode.window);

    replace(win, 'showQuickPick', async (items: unknown, options?: vscode.QuickPickOptions) => {
      const list = (await (items as Thenable<readonly (string | vscode.QuickPickItem)[]>)) ?? [];
      const prompt = options?.placeHolder ?? options?.title ?? '';
      this.shown.push({ kind: 'pick', text: prompt });
      const answer = this.picks.shift();
      if (answer === undefined) {
        this.unanswered.push(`pick: ${prompt}`);
        return undefined;
      }
      const chosen = typeof answer === 'function' ? answer(list) : list.find((item) => labelOf(item) === answer);
      assert.ok(chosen, `"${prompt}" offers no "${String(answer)}" among ${JSON.stringify(list.map(labelOf))}`);
      return chosen;
    });
    replace(win, 'showInputBox', async (options: vscode.InputBoxOptions = {}) => {
      const prompt = options.prompt ?? options.title ?? '';
      this.shown.push({ kind: 'input', text: prompt });
      const answer = this.inputs.shift();
      if (answer === undefined) {
        this.unanswered.push(`input: ${prompt}`);
        return undefined;
      }
      const value = typeof answer === 'function' ? answer(options) : answer;
      // The box would refuse a value its validation rejects: so does the script.
      const problem = await options.validateInput?.(value);
      assert.ok(!problem, `"${prompt}" rejects "${value}": ${JSON.stringify(problem)}`);
      return value;
    });
    const message = (kind: 'info' | 'warning' | 'error') => (text: string, ...rest: unknown[]): Promise<string | undefined> => {
      const modal = typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as vscode.MessageOptions).modal === true;
      if (!modal) {
        // Buttons of ordinary notifications stay unclicked, as a user who looks away would leave them.
        this.shown.push({ kind, text });
        return Promise.resolve(undefined);
      }
      this.shown.push({ kind: 'modal', text });
      if (this.confirms.length === 0) this.unanswered.push(`modal: ${text}`);
      // A scripted `undefined` is the user closing the dialog (Cancel or Escape).
      return Promise.resolve(this.confirms.shift());
    };
    replace(win, 'showInformationMessage', message('info'));
    replace(win, 'showWarningMessage', message('warning'));
    replace(win, 'showErrorMessage', message('error'));
    replace(win, 'showSaveDialog', () => Promise.resolve(this.saveTarget));
    replace(env, 'openExternal', (uri: vscode.Uri) => {
      this.opened.push(uri);
      return Promise.resolve(true);
    });
    replace(win, 'createOutputChannel', (name: string, ...rest: unknown[]) => {
      const channel = originalCreateChannel(name, ...rest);
      const add = (text: string): void => {
        this.channels.set(name, (this.channels.get(name) ?? '') + text);
      };
      this.channels.set(name, this.channels.get(name) ?? '');
      return new Proxy(channel, {
        get: (target, prop) => {
          const value = Reflect.get(target, prop, target) as unknown;
          if (typeof value !== 'function') return value;
          const fn = value as (...args: unknown[]) => unknown;
          if (prop === 'append') return (text: string) => (add(text), fn.call(target, text));
          if (prop === 'appendLine' || ['trace', 'debug', 'info', 'warn', 'error'].includes(String(prop))) {
            return (text: string, ...more: unknown[]) => (add(`${String(text)}\n`), fn.call(target, text, ...more));
          }
          return fn.bind(target);
        },
      });
    });
    const originalExecute = vscode.commands.executeCommand.bind(vscode.commands);
    replace(vscode.commands, 'executeCommand', (id: string, ...args: unknown[]) => {
      if (id === 'setContext') this.contexts.set(String(args[0]), args[1]);
      return originalExecute(id, ...args);
    });
    replace(win, 'createQuickPick', () => {
      const picker = originalCreatePick();
      const show = picker.show.bind(picker);
      // Shown once and then closed, as a user who read it would close it.
      picker.show = () => {
        show();
        this.customPicks.push([...picker.items]);
        setTimeout(() => picker.hide(), 50);
      };
      return picker;
    });
  }

  uninstall(): void {
    for (const undo of this.restore.splice(0).reverse()) undo();
  }

  errors(): string[] {
    return this.shown.filter((s) => s.kind === 'error').map((s) => s.text);
  }

  /** Clears what was shown; checks that every prompt was answered and every answer used. */
  settle(): void {
    const left = { picks: this.picks.length, inputs: this.inputs.length, confirms: this.confirms.length, unanswered: this.unanswered };
    this.picks.length = 0;
    this.inputs.length = 0;
    this.confirms.length = 0;
    this.unanswered.length = 0;
    this.shown.length = 0;
    assert.deepEqual(left, { picks: 0, inputs: 0, confirms: 0, unanswered: [] }, 'every prompt answered, every scripted answer used');
  }
}

/** Closes the editors, untitled specs unsaved (closing them otherwise asks whether to save). */
async function closeEditorsUnsaved(): Promise<void> {
  for (let i = 0; i < 10 && vscode.window.activeTextEditor; i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Lines that occur more than once in `text` (a repeated stream read would show here). */
function repeated(text: string): string[] {
  const seen = new Map<string, number>();
  for (const line of text.split('\n')) if (line.trim() !== '') seen.set(line, (seen.get(line) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([line, n]) => `${line} ×${n}`);
}

const prompts = new Prompts();
// Installed before activation when this file loads first, so the extension's own "ModelArts" log channel
// is readable too (Create App checks that the app secret never reaches it).
let activeBeforeInstall = true;
{
  activeBeforeInstall = vscode.extensions.getExtension(EXTENSION_ID)?.isActive ?? true;
  prompts.install();
}

describe('Actions in the extension host (demo)', function () {
  this.timeout(60_000);
  let api: ExtensionApi;

  const provider = (): vscode.TreeDataProvider<ExplorerNode> => api.explorer.provider;
  const emulator = (): NonNullable<ExtensionApi['sessions']['demoEmulator']> => {
    const running = api.sessions.demoEmulator;
    assert.ok(running, 'the demo emulator is not running');
    return running;
  };
  const training = (): TrainingFamily => emulator().families.find((f) => 'appendLog' in f) as unknown as TrainingFamily;
  const client = (): NonNullable<ExtensionApi['sessions']['current']>['client'] => api.sessions.current!.client;

  async function children(parent?: ExplorerNode): Promise<Row[]> {
    const nodes = (await provider().getChildren(parent)) ?? [];
    return Promise.all(
      nodes.map(async (node) => {
        const item = await provider().getTreeItem(node);
        const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
        return { node, label, description: typeof item.description === 'string' ? item.description : '' };
      }),
    );
  }

  /** The row at `path` (labels from a workspace down), loading more pages of a list when needed. */
  async function row(...path: string[]): Promise<Row> {
    let parent: ExplorerNode | undefined;
    let found: Row | undefined;
    for (const label of path) {
      found = undefined;
      for (let page = 0; page < 6 && !found; page++) {
        const rows = await children(parent);
        found = rows.find((r) => r.label === label);
        const more = rows.find((r) => r.label === LOAD_MORE);
        if (found || !more) break;
        const command = (await provider().getTreeItem(more.node)).command!;
        await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
        // A reload in between (a poll that found a change) drops the pages loaded: then the next turn asks again.
        await waitFor('the next page', async () => (await children(parent)).length > rows.length, 10_000).catch(() => undefined);
      }
      assert.ok(found, `no row "${label}" under ${JSON.stringify(path)}`);
      parent = found.node;
    }
    return found!;
  }

  /** Requests since `start`, as `METHOD path status`. */
  const requestsSince = (start: number): RecordedRequest[] => emulator().requests.slice(start).filter((r) => r.service !== 'admin');
  const described = (requests: readonly RecordedRequest[]): string => JSON.stringify(requests.map((r) => `${r.method} ${r.path} ${r.status}`));
  function assertRequest(start: number, method: string, path: RegExp): RecordedRequest {
    const requests = requestsSince(start);
    const match = requests.find((r) => r.method === method && path.test(r.path));
    assert.ok(match, `no ${method} ${String(path)} among ${described(requests)}`);
    assert.ok(match.status < 400, `${method} ${match.path} answered ${match.status}`);
    return match;
  }

  /** Runs a command and checks that no error was reported and every prompt was answered. */
  async function run(id: string, arg?: unknown): Promise<void> {
    await vscode.commands.executeCommand(id, arg);
    const errors = prompts.errors();
    prompts.settle();
    assert.deepEqual(errors, [], `${id} reported errors`);
  }

  before(async () => {
    api = await activateWithDemo();
    prompts.settle();
  });

  it('the demo sets modelarts.signedIn but not the walkthrough\'s sign-in step (that needs the user\'s own credentials)', () => {
    assert.equal(prompts.contexts.get('modelarts.signedIn'), true, 'setContext calls are recorded');
    assert.equal(prompts.contexts.get(WALKTHROUGH_CONTEXT_KEYS.signedIn), undefined);
  });

  it('the demo session reaches OBS at the demo emulator\'s OBS listener, signing with the demo\'s AK/SK', async () => {
    const session = api.sessions.current;
    assert.ok(session?.demo);
    assert.equal(session.client.obs.endpoint, emulator().obsEndpoint);
    assert.equal(session.client.obs.region, emulator().region);
    assert.equal((await session.client.obs.credentials()).ak, emulator().credentials.ak);
  });

  after(async () => {
    // Nothing left running for the next suite: streams, watches, the emulator, the stubs.
    for (const key of api?.streams.keys ?? []) api.streams.stop(key);
    for (const key of api?.watches.keys ?? []) api.watches.cancel(key);
    if (api?.sessions.demoEmulator) await api.sessions.stopDemo();
    prompts.uninstall();
    await closeEditorsUnsaved();
  });

  // ------------------------------------------------------------------ notebooks

  it('Start Notebook (1 hour): POST start, then RUNNING in the tree', async () => {
    const nb = await row('default', 'Notebooks', 'data-cleaning');
    assert.match(nb.description, /^Stopped/);
    const start = emulator().requests.length;
    prompts.picks.push('1 hour');
    await run('modelarts.notebook.start', nb.node);
    assertRequest(start, 'POST', /\/notebooks\/[^/]+\/start/);
    // The emulator's clock runs ten times faster than real time: about 2 s to RUNNING.
    await waitFor('data-cleaning to show RUNNING', async () => /^Running/.test((await row('default', 'Notebooks', 'data-cleaning')).description), 30_000);
    await waitFor('"is running" notification', () => prompts.shown.some((s) => s.text === 'Notebook data-cleaning is running.'));
    assert.equal(prompts.contexts.get(WALKTHROUGH_CONTEXT_KEYS.notebookRunning), true, 'the walkthrough step "Start a notebook" is done');
    const log = prompts.channels.get('ModelArts: Notebooks') ?? '';
    assert.match(log, /data-cleaning/, 'transitions are written to "ModelArts: Notebooks"');
    assert.deepEqual(repeated(log), [], 'no transition line twice');
    prompts.settle();
  });

  it('Extend Notebook Lease (2 hours from now) renews the lease', async () => {
    const nb = await row('default', 'Notebooks', 'data-cleaning');
    const start = emulator().requests.length;
    prompts.picks.push((items) => items.find((item) => labelOf(item).startsWith('Stop 2 hours from now (at ')));
    await run('modelarts.notebook.extendLease', nb.node);
    assertRequest(start, 'PATCH', /\/notebooks\/[^/]+\/lease$/);
    assert.match(prompts.channels.get('ModelArts: Notebooks') ?? '', /auto-stop moved to|lease renewed/);
  });

  it('Open Notebook in Browser opens its https address', async () => {
    const nb = await row('default', 'Notebooks', 'data-cleaning');
    await run('modelarts.notebook.openInBrowser', nb.node);
    assert.equal(prompts.opened.length, 1);
    assert.match(prompts.opened[0].toString(), /^https:\/\//);
  });

  it('[Q23] declining the confirmation of each destructive or billable action sends nothing', async () => {
    const declined: string[] = [];
    /** Runs `id` on `node` with its confirmation declined: the modal was shown, and no write request left. */
    const decline = async (id: string, node: ExplorerNode, confirmation: RegExp, picks: PickAnswer[] = []): Promise<void> => {
      const start = emulator().requests.length;
      prompts.picks.push(...picks);
      prompts.confirms.push(undefined);
      await vscode.commands.executeCommand(id, node);
      const modals = prompts.shown.filter((s) => s.kind === 'modal').map((s) => s.text);
      const errors = prompts.errors();
      prompts.settle();
      assert.deepEqual(errors, [], `${id} reported errors`);
      assert.equal(modals.length, 1, `${id}: one confirmation, shown ${JSON.stringify(modals)}`);
      assert.match(modals[0], confirmation);
      const writes = requestsSince(start).filter((r) => r.method !== 'GET');
      assert.deepEqual(writes.map((r) => `${r.method} ${r.path}`), [], `${id} declined, yet sent`);
      declined.push(id);
    };
    const notebooks: Row[] = [];
    for (const ws of await children()) notebooks.push(...(await children((await row(ws.label, 'Notebooks')).node)));
    const running = notebooks.find((r) => /^Running/.test(r.description));
    const stopped = notebooks.find((r) => /^Stopped/.test(r.description));
    assert.ok(running && stopped, `a running and a stopped notebook: ${JSON.stringify(notebooks.map((r) => `${r.label} ${r.description}`))}`);
    await decline('modelarts.notebook.stop', running.node, /^Stop notebook/i);
    await decline('modelarts.notebook.start', stopped.node, /with no auto-stop\?$/, ['No auto-stop']);
    await decline('modelarts.trainingJob.stop', (await row('default', 'Training Jobs', 'unet-segmentation')).node, /^Stop training job unet-segmentation\?$/);
    await decline('modelarts.execution.stop', (await row('default', 'Workflows', 'workflow-service-infer', 'execution-005')).node, /^Stop execution/);
    await decline('modelarts.execution.rerun', (await row('nlp-research', 'Workflows', 'nlp-finetune-pipeline', 'execution-002')).node, /^Rerun execution/);
    await decline('modelarts.step.stop', (await row('vision-team', 'Workflows', 'train-and-deploy', 'execution-002', 'job_step')).node, /^Stop step/);
    await decline('modelarts.step.retry', (await row('nlp-research', 'Workflows', 'nlp-finetune-pipeline', 'execution-001', 'train_step')).node, /^Retry step/);
    // Positive control: the same kind of action, confirmed, does send (the tests below confirm each one).
    const start = emulator().requests.length;
    prompts.picks.push('1 hour');
    await run('modelarts.notebook.start', stopped.node);
    assertRequest(start, 'POST', /\/notebooks\/[^/]+\/start/);
    assert.equal(declined.length, 7);
  });

  it('Stop Notebook (confirmed) stops it: STOPPED in the tree', async () => {
    const nb = await row('default', 'Notebooks', 'data-cleaning');
    const start = emulator().requests.length;
    prompts.confirms.push('Stop');
    await run('modelarts.notebook.stop', nb.node);
    assertRequest(start, 'POST', /\/notebooks\/[^/]+\/stop/);
    await waitFor('data-cleaning to show STOPPED', async () => /^Stopped/.test((await row('default', 'Notebooks', 'data-cleaning')).description), 30_000);
  });

  // ------------------------------------------------------------------ training jobs

  it('Follow Logs on a task streams into one channel without repeats; Stop Following ends it', async () => {
    const task = await row('default', 'Training Jobs', LONG_JOB, 'worker-0');
    const job = await row('default', 'Training Jobs', LONG_JOB);
    const jobId = (job.node as unknown as { key: string }).key;
    const channel = `ModelArts Logs: ${LONG_JOB}/worker-0`;
    assert.equal(prompts.contexts.get(WALKTHROUGH_CONTEXT_KEYS.logsFollowed), undefined, 'not before a follow');
    await run('modelarts.trainingJob.followLogs', task.node);
    await waitFor('log lines', () => (prompts.channels.get(channel) ?? '').split('\n').length > 3);
    assert.equal(prompts.contexts.get(WALKTHROUGH_CONTEXT_KEYS.logsFollowed), true, 'the walkthrough step "Follow a training job\'s logs" is done');
    training().appendLog(jobId, 'worker-0', 'e2e-marker-1\n');
    await waitFor('the appended line', () => (prompts.channels.get(channel) ?? '').includes('e2e-marker-1'), 20_000);
    // A few more polls (2 s apart in this profile): nothing already shown comes again.
    await sleep(5_000);
    const text = prompts.channels.get(channel) ?? '';
    assert.equal(text.split('e2e-marker-1').length - 1, 1, 'the appended line once');
    assert.deepEqual(repeated(text), [], 'no log line twice');
    assert.ok(api.streams.keys.some((k) => k.startsWith('logs:') && k.endsWith(`${jobId}/worker-0`)), 'the follow is registered');

    await run('modelarts.trainingJob.stopFollowing', task.node);
    assert.ok(!api.streams.keys.some((k) => k.startsWith('logs:')), 'no log follow left');
    assert.match(prompts.channels.get(channel) ?? '', /\[Stopped following\]\n$/);
    training().appendLog(jobId, 'worker-0', 'e2e-marker-2\n');
    await sleep(4_500);
    assert.ok(!(prompts.channels.get(channel) ?? '').includes('e2e-marker-2'), 'nothing read after Stop Following');
  });

  it('Show Events writes the job\'s events once each', async () => {
    const job = await row('default', 'Training Jobs', LONG_JOB);
    const channel = `ModelArts Logs: ${LONG_JOB}/events`;
    await run('modelarts.trainingJob.showEvents', job.node);
    await waitFor('event lines', () => (prompts.channels.get(channel) ?? '').trim() !== '');
    await sleep(4_500);
    const text = prompts.channels.get(channel) ?? '';
    assert.deepEqual(repeated(text), [], `no event twice: ${text}`);
    await run('modelarts.trainingJob.stopFollowing', job.node);
    assert.ok(!api.streams.keys.some((k) => k.startsWith('events:')), 'the events follow stopped');
  });

  it('Save Image to SWR: build lines in "ModelArts: Images" until ACTIVE; a failing build reports its error', async () => {
    const job = await row('default', 'Training Jobs', LONG_JOB);
    const start = emulator().requests.length;
    assert.equal(prompts.contexts.get(WALKTHROUGH_CONTEXT_KEYS.imageSaved), undefined, 'not before a save');
    prompts.inputs.push('mnist-snapshot', 'demo-org', 'v1', 'host test');
    await run('modelarts.trainingJob.saveImage', job.node);
    assert.equal(prompts.contexts.get(WALKTHROUGH_CONTEXT_KEYS.imageSaved), true, 'the walkthrough step "Save an image" is done');
    assertRequest(start, 'POST', /save-image|image/i);
    const text = prompts.channels.get('ModelArts: Images') ?? '';
    assert.match(text, /Saving the image of pytorch-mnist-long-run\/worker-0 as demo-org\/mnist-snapshot:v1/);
    assert.match(text, /Image saved: \S+mnist-snapshot:v1/);
    assert.deepEqual(repeated(text), [], 'no build line twice');

    const jobId = (job.node as unknown as { key: string }).key;
    training().failNextSaveImage(jobId, 'worker-0', 'no space left on device');
    prompts.inputs.push('mnist-broken', 'demo-org', 'v2', '');
    await vscode.commands.executeCommand('modelarts.trainingJob.saveImage', job.node);
    const errors = prompts.errors();
    prompts.settle();
    assert.equal(errors.length, 1, `one error notification: ${JSON.stringify(errors)}`);
    assert.match(errors[0], /Saving the image failed: .*no space left on device/);
    assert.match(prompts.channels.get('ModelArts: Images') ?? '', /ERROR: no space left on device\nSaving the image failed\./);
  });

  it('Add Tag, then Remove Tag', async () => {
    const job = await row('default', 'Training Jobs', LONG_JOB);
    const jobId = (job.node as unknown as { key: string }).key;
    prompts.inputs.push('e2e', 'yes');
    await run('modelarts.trainingJob.addTag', job.node);
    assert.ok((await client().trainingJobs.getTags(jobId)).some((t) => t.key === 'e2e'), 'tag e2e added');
    prompts.picks.push('e2e');
    await run('modelarts.trainingJob.removeTag', job.node);
    assert.ok(!(await client().trainingJobs.getTags(jobId)).some((t) => t.key === 'e2e'), 'tag e2e removed');
  });

  it('Stop Training Job (confirmed) terminates it', async () => {
    const job = await row('default', 'Training Jobs', 'unet-segmentation');
    assert.match(job.description, /Running|Pending|Creating/);
    const jobId = (job.node as unknown as { key: string }).key;
    const start = emulator().requests.length;
    prompts.confirms.push('Stop');
    await run('modelarts.trainingJob.stop', job.node);
    assert.ok(requestsSince(start).some((r) => r.path.includes(jobId) && r.status < 400 && r.method !== 'GET'), described(requestsSince(start)));
    await waitFor('Terminated', async () => /Terminat/.test((await client().trainingJobs.get(jobId)).status.phase ?? ''), 20_000);
  });

  // ------------------------------------------------------------------ workflows

  it('Stream Execution Events: one channel, each event once', async () => {
    const ex = await row('default', 'Workflows', 'workflow-service-infer', 'execution-005');
    const channel = 'ModelArts Events: execution-005';
    await run('modelarts.execution.streamEvents', ex.node);
    await waitFor('events', () => (prompts.channels.get(channel) ?? '').includes('service_step'));
    await sleep(4_500);
    const text = prompts.channels.get(channel) ?? '';
    assert.deepEqual(repeated(text), [], `no event twice: ${text}`);
    // Streaming again asks whether to stop (the notification's button is left alone here).
    await run('modelarts.execution.streamEvents', ex.node);
    assert.equal(api.streams.keys.filter((k) => k.includes('execution-') || k.includes('/execution/')).length, 1, 'one stream for the execution');
  });

  it('Continue Step on the step waiting for inputs', async () => {
    const step = await row('default', 'Workflows', 'workflow-service-infer', 'execution-005', 'service_step');
    assert.match(step.description, /^Waiting for inputs/);
    const start = emulator().requests.length;
    await run('modelarts.step.continue', step.node);
    assertRequest(start, 'POST', /steps?\/.+|step/);
  });

  it('Retry Step on the failed step (confirmed)', async () => {
    const step = await row('nlp-research', 'Workflows', 'nlp-finetune-pipeline', 'execution-001', 'train_step');
    assert.match(step.description, /^Failed/);
    const start = emulator().requests.length;
    prompts.confirms.push('Retry');
    await run('modelarts.step.retry', step.node);
    assertRequest(start, 'POST', /step|retry/);
  });

  it('Stop Step on a running step (confirmed)', async () => {
    const step = await row('vision-team', 'Workflows', 'train-and-deploy', 'execution-002', 'job_step');
    assert.match(step.description, /^Running/);
    const start = emulator().requests.length;
    prompts.confirms.push('Stop');
    await run('modelarts.step.stop', step.node);
    assertRequest(start, 'POST', /step|stop/);
  });

  it('Rerun Execution on a stopped execution (confirmed)', async () => {
    const ex = await row('nlp-research', 'Workflows', 'nlp-finetune-pipeline', 'execution-002');
    const start = emulator().requests.length;
    prompts.confirms.push('Rerun');
    await run('modelarts.execution.rerun', ex.node);
    assertRequest(start, 'POST', /rerun|execution/);
  });

  it('Stop Execution on a running execution (confirmed)', async () => {
    const ex = await row('default', 'Workflows', 'workflow-service-infer', 'execution-005');
    const start = emulator().requests.length;
    prompts.confirms.push('Stop');
    await run('modelarts.execution.stop', ex.node);
    assertRequest(start, 'POST', /stop|execution/);
  });

  it('[Q23] Create, Show, Update and Delete Subscription on a workflow (the delete declined once, then confirmed)', async () => {
    const wf = await row('vision-team', 'Workflows', 'train-and-deploy');
    const pid = emulator().projectId;
    let start = emulator().requests.length;
    prompts.inputs.push(`urn:smn:cn-north-4:${pid}:e2e-topic`);
    prompts.picks.push((items) => [items.find((i) => labelOf(i) === '*:failed,completed') ?? items[0]]);
    await run('modelarts.subscription.create', wf.node);
    const created = assertRequest(start, 'POST', /\/subscriptions$/);
    assert.equal(created.status, 201);

    await run('modelarts.subscription.show', wf.node);
    const doc = await waitFor('the subscription document', () => vscode.window.activeTextEditor?.document);
    assert.equal(doc.uri.scheme, 'modelarts');
    assert.match(doc.getText(), /e2e-topic/);

    start = emulator().requests.length;
    prompts.inputs.push((options) => `${options.value ?? ''}, urn:smn:cn-north-4:${pid}:e2e-topic-2`);
    prompts.picks.push((items) => items.filter((i) => typeof i !== 'string' && i.picked));
    await run('modelarts.subscription.update', wf.node);
    assertRequest(start, 'PUT', /\/subscriptions\/[^/]+$/);

    // Declined first: asked, and nothing is deleted.
    start = emulator().requests.length;
    prompts.confirms.push(undefined);
    await run('modelarts.subscription.delete', wf.node);
    assert.deepEqual(requestsSince(start).filter((r) => r.method !== 'GET').map((r) => r.path), [], 'declined, nothing deleted');

    start = emulator().requests.length;
    prompts.confirms.push('Delete');
    await run('modelarts.subscription.delete', wf.node);
    assertRequest(start, 'DELETE', /\/subscriptions\/[^/]+$/);
  });

  // ------------------------------------------------------------------ workspace

  it('Update Quota on workspace "default"', async () => {
    const ws = await row('default');
    const start = emulator().requests.length;
    prompts.picks.push((items) => items[0]);
    // The current value plus one, or minus one when that is over the maximum.
    prompts.inputs.push((options) => {
      const current = Number(options.value ?? '1');
      const up = String(current + 1);
      return options.validateInput?.(up) ? String(Math.max(0, current - 1)) : up;
    });
    await run('modelarts.workspace.updateQuota', ws.node);
    assertRequest(start, 'PUT', /quota/);
  });

  it('Create App shows the AppKey/AppSecret once; the secret stays out of the log channel', async () => {
    const ws = await row('default');
    const start = emulator().requests.length;
    prompts.inputs.push('e2e_app', 'made by the host test');
    await run('modelarts.app.create', ws.node);
    assertRequest(start, 'POST', /app/);
    const shown = prompts.customPicks.at(-1) ?? [];
    const secret = shown.find((item) => item.label === 'AppSecret')?.detail;
    assert.ok(secret && secret.length >= 8, `the AppSecret is shown once: ${JSON.stringify(shown.map((i) => i.label))}`);
    const log = prompts.channels.get('ModelArts');
    if (log === undefined) {
      // The extension was active before this file loaded: its log channel was created unwrapped.
      console.log(`[figures] Create App: the log channel was not observable (extension active before the stubs: ${activeBeforeInstall})`);
    } else {
      assert.ok(!log.includes(secret), 'the app secret is not in the "ModelArts" log channel');
    }
  });

  // ------------------------------------------------------------------ specs

  it('New Training Job Spec (YAML, saved in the workspace folder), then Submit Training Job', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the e2e workspace folder is open');
    const ws = await row('default');
    prompts.saveTarget = vscode.Uri.joinPath(folder, 'host-spec.modelarts-job.yaml');
    prompts.picks.push('YAML');
    prompts.inputs.push('host-spec-job');
    await run('modelarts.trainingJob.newSpec', ws.node);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), prompts.saveTarget.toString(), 'the spec file is open');
    const text = editor.document.getText();
    assert.match(text, /host-spec-job/);
    // The template's image is a placeholder: a real one, as a user would type.
    const real = text.replace(/<organization>\/<image>:<tag>/, 'demo-org/train:v1');
    await vscode.workspace.fs.writeFile(prompts.saveTarget, new TextEncoder().encode(real));
    await waitFor('the editor to reload', () => editor.document.getText() === real);

    const start = emulator().requests.length;
    prompts.confirms.push('Submit');
    await run('modelarts.trainingJob.submit', prompts.saveTarget);
    assertRequest(start, 'POST', /\/training-jobs$/);
    prompts.saveTarget = undefined;
  });

  it('a spec with an unknown key and a placeholder: both in the Problems panel, Submit refuses it and sends nothing; fixed, it is sent', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the e2e workspace folder is open');
    const uri = vscode.Uri.joinPath(folder, 'host-checked.modelarts-job.yaml');
    const lines = [
      'kind: job',
      'metadata:',
      '  name: host-checked',
      '  workspace_id: "0"',
      '  colour: red',
      'algorithm:',
      '  engine:',
      '    image_url: swr.cn-north-4.myhuaweicloud.com/<organization>/train:1.0',
      '  command: python train.py',
      'spec:',
      '  resource: { flavor_id: modelarts.vm.cpu.8u, node_count: 1 }',
      '',
    ];
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(lines.join('\n')));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor('the problems of the spec', () => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.length >= 2 && found;
    });
    assert.deepEqual(
      diagnostics.map((d) => [d.source, d.severity, d.range.start.line, document.getText(d.range), d.message]),
      [
        ['ModelArts', vscode.DiagnosticSeverity.Error, 4, 'colour', '"colour" is not a key of metadata, which takes: name, workspace_id, description, annotations, training_experiment_reference.'],
        ['ModelArts', vscode.DiagnosticSeverity.Error, 7, '<organization>', 'Replace the placeholder <organization> in algorithm.engine.image_url with your SWR organization.'],
      ],
    );

    const start = emulator().requests.length;
    await vscode.commands.executeCommand('modelarts.trainingJob.submit', uri);
    const errors = prompts.errors();
    const modals = prompts.shown.filter((s) => s.kind === 'modal');
    prompts.settle();
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0], /^Not submitted: the spec has 2 problem\(s\)\. Line 5: "colour" is not a key of metadata.* Line 8: Replace the placeholder <organization>/);
    assert.deepEqual(modals, [], 'no confirmation is asked for a refused spec');
    assert.deepEqual(requestsSince(start).filter((r) => r.method === 'POST' && /\/training-jobs$/.test(r.path)), [], 'no create request');

    // Fixed in the editor, unsaved, as a user would: the problems go, and Submit sends the create.
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    const fixed = lines.filter((line) => !line.includes('colour')).join('\n').replace('<organization>', 'demo-org');
    await editor.edit((edit) => edit.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), fixed));
    await waitFor('the problems to clear', () => vscode.languages.getDiagnostics(uri).length === 0);
    prompts.confirms.push('Submit');
    await vscode.commands.executeCommand('modelarts.trainingJob.submit', uri);
    const said = prompts.shown.filter((s) => s.kind === 'info').map((s) => s.text);
    const failures = prompts.errors();
    prompts.settle();
    assert.deepEqual(failures, []);
    assertRequest(start, 'POST', /\/training-jobs$/);
    // Said as soon as the create is accepted, before the job runs.
    assert.ok(said.includes('Training job host-checked submitted; watching it until it runs.'), JSON.stringify(said));
    await closeEditorsUnsaved();
  });

  it('Export as Spec (JSON) and Clone and Resubmit (YAML) open the job as a spec', async () => {
    const job = await row('default', 'Training Jobs', LONG_JOB);
    prompts.picks.push('JSON');
    await run('modelarts.trainingJob.exportSpec', job.node);
    const exported = vscode.window.activeTextEditor?.document;
    assert.equal(exported?.languageId, 'json');
    assert.match(exported.getText(), /pytorch-mnist-long-run/);

    prompts.picks.push('YAML');
    await vscode.commands.executeCommand('modelarts.trainingJob.clone', job.node);
    assert.deepEqual(prompts.errors(), []);
    assert.ok(prompts.shown.some((s) => s.kind === 'info' && /then run "Submit Training Job"/.test(s.text)));
    prompts.settle();
    const cloned = vscode.window.activeTextEditor?.document;
    assert.equal(cloned?.languageId, 'yaml');
    assert.notEqual(cloned.uri.toString(), exported.uri.toString());
    assert.match(cloned.getText(), /pytorch-mnist-long-run/);
    await closeEditorsUnsaved();
  });
});
