import '../../helpers/fixedTimeZone';
import { commandsSeen, shown } from '../../helpers/vscodeStandIn';
import { inChinese, RunUri, SCHEMA_KNOWS_CODE, startRunRig, workbench, type RunRig } from '../../helpers/runFeatureRig';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { parse } from 'yaml';
import { TRAINING_TIMINGS } from '../../../../src/emulator/training/records';
import { COMMAND } from '../../../../src/commands/ids';
import { CancelledByUser } from '../../../../src/commands/registry';
import { formatRunConfiguration, newRunConfiguration } from '../../../../src/commands/run/runConfig';
import { advanceInSteps } from '../../helpers/clockSteps';
import type { AnyJson } from '../../helpers/emulatorHelpers';

// Run on ModelArts as the user meets it, without the workbench: the real feature (src/commands/run/) over a
// temporary folder, against the emulator with its OBS, every question answered by the stand-in's queues.

const CODE = 'modelarts-runs/proj/code/';
const TRAIN_PY = 'print("hello from train.py")\nimport utils.helpers\n';
const PROJECT = { 'train.py': TRAIN_PY, 'utils/helpers.py': 'def helper():\n    return 1\n', '.gitignore': 'data/\n', 'data/big.csv': 'a,b\n1,2\n' };
/** What a run of PROJECT uploads: not data/, which .gitignore excludes, nor .modelarts/. */
const UPLOADED = ['.gitignore', 'train.py', 'utils/helpers.py'];

const base64Md5 = (content: string | Buffer): string => createHash('md5').update(content).digest('base64');

/** The answers of a first run, in the order the questions come. */
function answerFirstRun(options: { prefix?: string; outputs?: boolean } = {}): void {
  shown.pickAnswers.push(
    (item) => item.description === '0', // the workspace: default
    (item) => item.description === 'pytorch-cp36-1.4.0-v2', // the engine
    (item) => item.detail === 'modelarts.vm.cpu.2u', // the flavor (one node at most: no node count asked)
    (item) => item.label === 'train.py', // the boot file
    (item) => item.label === 'demo-bucket',
    (item) => (options.outputs === false ? item.label === 'No Outputs' : item.label.startsWith('obs://')),
  );
  shown.inputAnswers.push(options.prefix ?? CODE);
}

/** A configuration as the first run writes it, without asking. */
function writeConfiguration(rig: RunRig, folder: RunUri, prefix: string): void {
  const spec = newRunConfiguration({
    name: 'proj',
    workspaceId: '0',
    engine: { engine_name: 'PyTorch', engine_version: 'PyTorch-1.4.0-python3.6-v2' },
    flavorId: 'modelarts.vm.cpu.2u',
    nodeCount: 1,
    bootFile: 'train.py',
    folder: '.',
    bucket: 'demo-bucket',
    prefix,
  });
  const uri = rig.configUri(folder);
  mkdirSync(dirname(uri.fsPath), { recursive: true });
  writeFileSync(uri.fsPath, formatRunConfiguration(spec));
}

/** The "Submitted …" message of the run, with the job name. */
function submitted(): { name: string; text: string } {
  const message = shown.messages.find((m) => m.kind === 'info' && m.message.startsWith('Submitted '));
  assert.ok(message, `no Submitted message: ${JSON.stringify(shown.messages)}`);
  return { name: /^Submitted (\S+):/.exec(message.message)?.[1] ?? '', text: message.message };
}

async function rejects(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('the run went on');
}

describe('Run on ModelArts: the feature on the emulator', () => {
  let rig: RunRig;
  afterEach(async () => {
    await rig?.close();
  });

  it('the first run asks, saves the configuration, uploads what is not ignored and submits <folder>-<date>-<time>', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', PROJECT);
    answerFirstRun();
    await rig.run();

    // The questions, in order, each answered.
    assert.deepEqual(
      shown.picks.map((p) => p.placeHolder),
      ['Workspace to run in', 'Engine the code runs on', 'Flavor of each node', 'Boot file: the script the job runs', 'OBS bucket in cn-north-4 for the code', 'Where the job writes its outputs'],
    );
    assert.equal(shown.inputs.length, 1);
    assert.deepEqual(shown.pickAnswers, []);

    // The configuration: a spec with its code block.
    const config: AnyJson = parse(readFileSync(rig.configUri(folder).fsPath, 'utf8'));
    assert.equal(config.code.obs, `obs://demo-bucket/${CODE}`);
    assert.equal(config.code.folder, '.');
    assert.equal(config.algorithm.boot_file, 'train.py');
    assert.deepEqual(config.algorithm.engine, { engine_name: 'PyTorch', engine_version: 'PyTorch-1.4.0-python3.6-v2' });
    assert.deepEqual(config.spec.resource, { flavor_id: 'modelarts.vm.cpu.2u', node_count: 1 });
    assert.equal(config.metadata.workspace_id, '0');
    assert.equal(config.algorithm.outputs[0].remote.obs.obs_url, '/demo-bucket/modelarts-runs/proj/outputs/');
    assert.match(rig.uploads.text, /Saved the run configuration \.modelarts\/run\.modelarts-job\.yaml; later runs ask nothing\./);

    // The upload: each file with its MD5 as metadata; not data/ (.gitignore) nor .modelarts/.
    const objects = rig.objects('demo-bucket', CODE);
    assert.deepEqual([...objects.keys()].sort(), UPLOADED);
    assert.equal(objects.get('train.py')?.metadata.md5, base64Md5(TRAIN_PY));
    assert.equal(objects.get('utils/helpers.py')?.metadata.md5, base64Md5(PROJECT['utils/helpers.py']));

    // The job: named after the folder and the time, its code at the upload.
    const { name, text } = submitted();
    assert.match(name, /^proj-\d{8}-\d{6}$/);
    assert.equal(text, `Submitted ${name}: 3 files uploaded, 0 unchanged. Its log follows once it runs.`);
    assert.equal(rig.jobsCreated(), 1);
    const { history } = await rig.state(folder);
    assert.equal(history.length, 1);
    assert.deepEqual({ ...history[0], submittedAt: 0 }, { jobId: history[0].jobId, jobName: name, workspaceId: '0', submittedAt: 0, uploaded: 3, bytes: UPLOADED.reduce((n, p) => n + Buffer.byteLength(PROJECT[p as keyof typeof PROJECT]), 0) });
    const job = await rig.client.trainingJobs.get(history[0].jobId);
    assert.equal(job.metadata.name, name);
    assert.equal(job.metadata.workspace_id, '0');
    const algorithm = job.algorithm as Record<string, unknown>;
    assert.equal(algorithm.code_dir, `/demo-bucket/${CODE}`);
    assert.equal(algorithm.boot_file, `/demo-bucket/${CODE}train.py`);
    assert.match(rig.uploads.text, new RegExp(`Run ${name}: 3 files uploaded \\([^)]*\\), 0 unchanged, 0 deleted; submitted training job ${job.metadata.id} in \\d+ ms\\.`));

    // The progress: a notification with Cancel, and the status bar saying the stage while it lasts, gone after.
    const [progress] = workbench.progress;
    assert.equal(progress.title, `Run on ModelArts: ${name}`);
    assert.equal(progress.cancellable, true);
    const stages = progress.reports.map((r) => r.message);
    assert.ok(stages.includes('Comparing with OBS…') && stages.includes(`Submitting ${name}…`), stages.join(' | '));
    // The count of files sent keeps up with the files, the bar's increments add up to the whole.
    const uploading = stages.filter((m) => m?.startsWith('Uploading ') && m.includes(' of '));
    assert.equal(uploading[uploading.length - 1], 'Uploading 3 of 3 files (0 MB of 0 MB)…', stages.join(' | '));
    assert.equal(progress.reports.reduce((sum, r) => sum + (r.increment ?? 0), 0), 100);
    // The status bar follows each stage (it is set just after the notification's report, so it shows from the second on).
    assert.deepEqual(progress.reports[0].statusBar, []);
    assert.ok(progress.reports.slice(1).every((r) => r.statusBar.length === 1 && r.statusBar[0].startsWith('$(cloud-upload) ')), JSON.stringify(progress.reports));
    assert.ok(progress.reports.some((r) => r.statusBar[0] === '$(cloud-upload) Comparing with OBS…'));
    assert.ok(progress.reports.some((r) => r.statusBar[0] === '$(cloud-upload) Uploading 3 files (0 MB)…'));
    assert.equal(shown.statusItems.length, 1);
    assert.equal(shown.statusItems[0].text, `$(cloud-upload) Submitting ${name}…`);
    assert.equal(shown.statusItems[0].visible, false, 'the status bar item is gone after the run');

    assert.deepEqual(rig.milestones, ['folderRun']);
  });

  it('a second run from the Explorer asks nothing and uploads nothing; from the palette it offers Run Again, Edit and the recent runs', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', PROJECT);
    answerFirstRun();
    await rig.run();
    const first = submitted().name;
    const puts = (): number => rig.emu.requests.filter((r) => r.service === 'obs' && r.method === 'PUT').length;
    const putsAfterFirst = puts();
    assert.ok(putsAfterFirst >= UPLOADED.length, 'the first run uploaded');

    // The Explorer's menu on the folder: no question, nothing sent again.
    shown.clear();
    await rig.run(folder);
    assert.equal(shown.picks.length, 0);
    assert.equal(shown.inputs.length, 0);
    const second = submitted();
    assert.notEqual(second.name, first);
    assert.match(second.text, /: 0 files uploaded, 3 unchanged\./);
    assert.equal(puts(), putsAfterFirst);
    assert.equal(rig.jobsCreated(), 2);

    // The palette: Edit Run Configuration opens it and submits nothing.
    shown.clear();
    shown.pickAnswers.push((item) => item.label === '$(edit) Edit Run Configuration');
    await rig.run();
    assert.equal(shown.picks.length, 1);
    const [offer] = shown.picks;
    assert.equal(offer.placeHolder, 'Run on ModelArts: proj');
    const history = (await rig.state(folder)).history;
    assert.deepEqual(
      offer.items.map((i) => i.label),
      ['$(play) Run Again', '$(edit) Edit Run Configuration', 'Recent runs', second.name, first],
    );
    assert.equal((offer.items[2] as { kind?: number }).kind, -1, 'Recent runs is a separator');
    assert.equal(offer.items[1].description, '.modelarts/run.modelarts-job.yaml');
    assert.equal(offer.items[3].detail?.endsWith(history[0].jobId), true);
    assert.match(offer.items[3].detail ?? '', /^0 files uploaded /);
    assert.match(offer.items[4].detail ?? '', /^3 files uploaded /);
    assert.deepEqual(workbench.shownDocuments, [rig.configUri(folder).toString()]);
    assert.equal(rig.jobsCreated(), 2);

    // The palette's Run Again runs.
    shown.clear();
    shown.pickAnswers.push((item) => item.label === '$(play) Run Again');
    await rig.run();
    assert.match(submitted().text, /: 0 files uploaded, 3 unchanged\./);
    assert.equal(rig.jobsCreated(), 3);
    assert.equal((await rig.state(folder)).history.length, 3);
  });

  it('Cancel during the upload submits nothing, and the record keeps the files that finished', async () => {
    rig = await startRunRig();
    const files: Record<string, string> = { 'train.py': TRAIN_PY };
    for (let i = 0; i < 20; i++) files[`data${String(i).padStart(2, '0')}.txt`] = `${String(i)}\n`.repeat(20_000);
    const folder = await rig.openFolder('proj', files);
    answerFirstRun();
    // Cancel pressed once the first file has finished.
    workbench.onReport = (message, run) => {
      if (/^Uploading [1-9]\d* of 21 files/.test(message ?? '')) run.cancel();
    };
    const error = await rejects(rig.run());
    assert.ok(error instanceof CancelledByUser, String(error));
    assert.ok(shown.messages.some((m) => m.kind === 'info' && m.message === 'Run on ModelArts cancelled: nothing was submitted.'), JSON.stringify(shown.messages));
    assert.ok(!shown.messages.some((m) => m.message.startsWith('Submitted ')));
    assert.equal(rig.jobsCreated(), 0);
    assert.equal(shown.statusItems[0]?.visible, false, 'the status bar item is gone');
    const { record, history } = await rig.state(folder);
    assert.equal(history.length, 0);
    const kept = Object.keys(record?.files ?? {});
    const inObs = rig.objects('demo-bucket', CODE);
    assert.ok(kept.length >= 1 && kept.length < 21, `kept ${kept.length}`);
    for (const path of kept) assert.ok(inObs.has(path), `${path} is in OBS`);

    // The next run sends only the rest.
    shown.clear();
    workbench.onReport = undefined;
    await rig.run(folder);
    const counts = /: (\d+) files uploaded, (\d+) unchanged\./.exec(submitted().text);
    assert.ok(counts, submitted().text);
    assert.equal(Number(counts[1]) + Number(counts[2]), 21);
    assert.ok(Number(counts[2]) >= kept.length, submitted().text);
    assert.equal(rig.jobsCreated(), 1);

    // Cancel at the submit: no job either, and everything uploaded is remembered.
    shown.clear();
    workbench.onReport = (message, run) => {
      if (message?.startsWith('Submitting ')) run.cancel();
    };
    assert.ok((await rejects(rig.run(folder))) instanceof CancelledByUser);
    assert.ok(shown.messages.some((m) => m.message === 'Run on ModelArts cancelled: nothing was submitted.'));
    assert.equal(rig.jobsCreated(), 1);
    assert.equal(Object.keys((await rig.state(folder)).record?.files ?? {}).length, 21);
  });

  it('an untrusted workspace is refused with the trust message before any request; no open folder, with its error', async () => {
    rig = await startRunRig();
    await rig.openFolder('proj', PROJECT);
    workbench.trusted = false;
    const before = rig.emu.requests.length;
    shown.answers.push('Manage Workspace Trust');
    const error = await rejects(rig.run());
    assert.ok(error instanceof CancelledByUser, String(error));
    assert.deepEqual(shown.messages.map((m) => [m.kind, m.message, m.buttons]), [['warning', "Run on ModelArts uploads and runs this folder's code: trust the folder first.", ['Manage Workspace Trust']]]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(commandsSeen.executed.some((c) => c.id === 'workbench.trust.manage'));
    assert.equal(shown.picks.length, 0);
    assert.equal(rig.emu.requests.length, before, 'nothing requested');

    // Trusted, the same command goes on to ask (and to the service); dismissed there, it ends quietly.
    workbench.trusted = true;
    shown.clear();
    assert.ok((await rejects(rig.run())) instanceof CancelledByUser);
    assert.equal(shown.picks[0]?.placeHolder, 'Workspace to run in');
    assert.ok(rig.emu.requests.length > before);

    // Signed out: the sign-in prompt, nothing else.
    const sessions = rig.host.deps.sessions as { current: unknown };
    const session = sessions.current;
    sessions.current = undefined;
    shown.clear();
    const requests = rig.emu.requests.length;
    assert.ok((await rejects(rig.run())) instanceof CancelledByUser);
    assert.deepEqual(shown.messages.map((m) => [m.message, m.buttons]), [['Sign in to ModelArts first.', ['Sign In']]]);
    assert.equal(rig.emu.requests.length, requests);
    sessions.current = session;

    // No folder open.
    workbench.folders = [];
    shown.clear();
    const none = await rejects(rig.run());
    assert.ok(none instanceof Error && !(none instanceof CancelledByUser));
    assert.equal(none.message, 'Open the folder of your code first: Run on ModelArts runs a folder open in VS Code.');
    assert.equal(shown.picks.length, 0);
  });

  it('a folder over the code folder limit, or a boot file .gitignore excludes, is refused before any OBS request', async () => {
    rig = await startRunRig();
    const files: Record<string, string> = { 'train.py': TRAIN_PY };
    for (let i = 0; i < 1000; i++) files[`extra-${String(i)}.txt`] = 'x';
    const folder = await rig.openFolder('proj', files);
    writeConfiguration(rig, folder, CODE);
    const obsBefore = rig.obsRequests();

    const tooMany = await rejects(rig.run(folder));
    assert.ok(tooMany instanceof Error && !(tooMany instanceof CancelledByUser), String(tooMany));
    assert.equal(tooMany.message, 'The folder has 1,001 files and folders to upload; a ModelArts code folder holds at most 1,000. Exclude the rest in .gitignore, .modelartsignore or code.exclude.');
    const inChineseToo = await inChinese(() => rejects(rig.run(folder)));
    assert.equal((inChineseToo as Error).message, '该文件夹有 1,001 个文件和文件夹要上传；ModelArts 代码目录最多 1,000 个。请在 .gitignore、.modelartsignore 或 code.exclude 中排除其余部分。');
    assert.equal(rig.obsRequests(), obsBefore, 'no OBS request');
    assert.equal(rig.jobsCreated(), 0);

    // The boot file ignored by .gitignore, with the rest excluded by .modelartsignore.
    writeFileSync(join(folder.fsPath, '.modelartsignore'), 'extra-*\n');
    writeFileSync(join(folder.fsPath, '.gitignore'), 'train.py\n');
    const ignored = await rejects(rig.run(folder));
    assert.equal((ignored as Error).message, 'The boot file train.py is excluded (by .gitignore, .modelartsignore, code.exclude, or as a symbolic link), so it would not be uploaded.');
    assert.equal(rig.obsRequests(), obsBefore, 'no OBS request');

    // Within the limits and the boot file in, the same folder goes to OBS and runs.
    writeFileSync(join(folder.fsPath, '.gitignore'), '');
    shown.clear();
    await rig.run(folder);
    assert.match(submitted().text, /: 3 files uploaded, 0 unchanged\./);
    assert.ok(rig.obsRequests() > obsBefore);
    assert.deepEqual([...rig.objects('demo-bucket', CODE).keys()].sort(), ['.gitignore', '.modelartsignore', 'train.py']);
  });

  it('deletions: the first asks (Delete) and removes the object; a later one deletes without asking and logs it', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', { 'train.py': TRAIN_PY, 'a.py': 'a = 1\n', 'b.py': 'b = 2\n', 'my notes.py': '# notes\n' });
    answerFirstRun();
    await rig.run();
    assert.deepEqual([...rig.objects('demo-bucket', CODE).keys()].sort(), ['a.py', 'b.py', 'my notes.py', 'train.py']);

    rmSync(join(folder.fsPath, 'a.py'));
    rmSync(join(folder.fsPath, 'my notes.py'));
    shown.clear();
    shown.answers.push('Delete');
    await rig.run(folder);
    const modal = shown.messages.filter((m) => m.modal);
    assert.equal(modal.length, 1);
    assert.equal(modal[0].kind, 'warning');
    // The OBS folder is a value of the sentence, made inert: its obs:// is no link.
    assert.equal(modal[0].message, `2 objects in obs\u2236//demo-bucket/${CODE} are no longer in the local folder. Delete them from OBS?`);
    // Each name told apart from the next, though a name has a space.
    assert.match(modal[0].detail ?? '', /^a\.py, my notes\.py\s+Run keeps this OBS folder a copy of the local folder; after this, it deletes such objects without asking\.$/);
    assert.deepEqual(modal[0].buttons, ['Delete']);
    assert.deepEqual([...rig.objects('demo-bucket', CODE).keys()].sort(), ['b.py', 'train.py']);
    assert.match(rig.uploads.text, new RegExp(`Deleting obs://demo-bucket/${CODE}a\\.py \\(no longer local\\)`));
    assert.match(rig.uploads.text, /0 files uploaded \([^)]*\), 2 unchanged, 2 deleted;/);

    rmSync(join(folder.fsPath, 'b.py'));
    shown.clear();
    await rig.run(folder);
    assert.equal(shown.messages.filter((m) => m.modal).length, 0, 'asked once per OBS folder');
    assert.deepEqual([...rig.objects('demo-bucket', CODE).keys()], ['train.py']);
    assert.match(rig.uploads.text, new RegExp(`Deleting obs://demo-bucket/${CODE}b\\.py \\(no longer local\\)`));
    assert.match(submitted().text, /: 0 files uploaded, 1 unchanged\./);
  });

  it('deletions refused: the object stays, the run goes on, and the next run asks again', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', { 'train.py': TRAIN_PY, 'a.py': 'a = 1\n' });
    answerFirstRun();
    await rig.run();
    rmSync(join(folder.fsPath, 'a.py'));
    for (const answer of [undefined, 'Cancel']) {
      shown.clear();
      shown.answers.push(answer);
      await rig.run(folder);
      assert.equal(shown.messages.filter((m) => m.modal).length, 1, 'asked');
      assert.deepEqual([...rig.objects('demo-bucket', CODE).keys()].sort(), ['a.py', 'train.py']);
      assert.match(submitted().text, /: 0 files uploaded, 1 unchanged\./);
    }
    assert.match(rig.uploads.text, new RegExp(`Kept 1 objects in obs://demo-bucket/${CODE} that are no longer local\\.`));
    assert.doesNotMatch(rig.uploads.text, /Deleting /);
    assert.equal(rig.jobsCreated(), 3);
  });

  it('the end: a job whose boot file is gone from OBS fails with the service\'s message, Show Logs and Run Again; Run Again runs it again, which ends Completed', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', PROJECT);
    answerFirstRun();
    // The boot file is deleted from OBS between the upload and the submit.
    const bucket = rig.emu.obs.bucket('demo-bucket');
    workbench.onReport = (message) => {
      if (message?.startsWith('Submitting ')) rig.emu.obs.deleteObject(bucket, `${CODE}train.py`);
    };
    await rig.run();
    workbench.onReport = undefined;
    const name = submitted().name;
    const { history } = await rig.state(folder);
    const jobId = history[0].jobId;

    // Until it ends: the tree's watch, on the emulator's clock.
    shown.answers.push('Run Again');
    const failed = (): boolean => shown.messages.some((m) => m.kind === 'error');
    await advanceInSteps(rig.clock, TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + TRAINING_TIMINGS.codeFailureMs + 10_000, 1_000, failed);
    const end = shown.messages.find((m) => m.kind === 'error');
    assert.ok(end, JSON.stringify(shown.messages));
    // The service's text, made inert as server text is: its obs:// is no link.
    assert.equal(end.message, `Training job ${name} failed: The boot file obs\u2236//demo-bucket/${CODE}train.py does not exist in OBS.`);
    assert.deepEqual(end.buttons, ['Show Logs', 'Run Again', 'Open Outputs in OBS']);
    assert.equal(shown.messages.filter((m) => m.kind === 'error').length, 1, 'one notification');
    // Worker-0's log was followed once the job ran.
    assert.deepEqual(rig.followed.map((t) => [t.job.metadata.id, t.task]), [[jobId, 'worker-0']]);

    // Run Again: the command with the configuration, which runs it with no question and sends the boot file again.
    await new Promise((resolve) => setImmediate(resolve));
    const again = commandsSeen.executed.find((c) => c.id === COMMAND.runFolder);
    assert.deepEqual(again?.args, [{ runAgain: rig.configUri(folder).toString() }]);
    shown.clear();
    await rig.run(...again.args);
    assert.equal(shown.picks.length, 0);
    assert.match(submitted().text, /: 1 files uploaded, 2 unchanged\./);
    const second = submitted().name;

    // This one completes: an information message with the same buttons; Open Outputs in OBS opens them.
    shown.answers.push('Open Outputs in OBS');
    const completed = (): boolean => shown.messages.some((m) => m.kind === 'info' && m.message.startsWith('Training job '));
    await advanceInSteps(rig.clock, TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + TRAINING_TIMINGS.runningMs + 20_000, 5_000, completed);
    const done = shown.messages.find((m) => m.kind === 'info' && m.message.startsWith('Training job '));
    assert.equal(done?.message, `Training job ${second} completed.`);
    assert.deepEqual(done?.buttons, ['Show Logs', 'Run Again', 'Open Outputs in OBS']);
    await new Promise((resolve) => setImmediate(resolve));
    const secondId = (await rig.state(folder)).history[0].jobId;
    assert.deepEqual(rig.outputsOpened, [{ id: secondId, name: second, workspaceId: '0' }]);
  });

  it('the first run from a subfolder uploads only it; from a script, that script is the boot file and nothing asks for one', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', { ...PROJECT, 'src/main.py': 'print(1)\n', 'src/lib/util.py': 'x = 1\n', 'src/run.sh': 'python main.py\n' });
    const src = RunUri.joinPath(folder, 'src');
    shown.pickAnswers.push(
      (item) => item.description === '0',
      (item) => item.description === 'pytorch-cp36-1.4.0-v2',
      (item) => item.detail === 'modelarts.vm.cpu.2u',
      (item) => item.label === 'main.py',
      (item) => item.label === 'demo-bucket',
      (item) => item.label === 'No Outputs',
    );
    shown.inputAnswers.push('modelarts-runs/src/code/');
    await rig.run(src);
    // The scripts of the subfolder, shallow first, relative to it.
    const boot = shown.picks.find((p) => p.placeHolder === 'Boot file: the script the job runs');
    assert.deepEqual(boot?.items.map((i) => i.label), ['main.py', 'run.sh', 'lib/util.py']);
    assert.equal(shown.inputs[0].value, 'modelarts-runs/src/code/', 'the OBS folder suggested after the subfolder');
    const config = parse(readFileSync(rig.configUri(folder).fsPath, 'utf8')) as { code: { folder: string }; algorithm: { boot_file: string; outputs?: unknown } };
    assert.equal(config.code.folder, 'src');
    assert.equal(config.algorithm.boot_file, 'main.py');
    assert.equal(config.algorithm.outputs, undefined);
    assert.deepEqual([...rig.objects('demo-bucket', 'modelarts-runs/src/code/').keys()].sort(), ['lib/util.py', 'main.py', 'run.sh']);
    assert.match(submitted().name, /^src-\d{8}-\d{6}$/);

    // A script's run button in a new folder: the boot file is that script, with no pick of one.
    shown.clear();
    const other = await rig.openFolder('other', { 'tools/prepare.py': 'print(2)\n', 'train.py': TRAIN_PY });
    workbench.activeEditor = { document: { uri: RunUri.joinPath(other, 'tools', 'prepare.py') } };
    answerFirstRun({ prefix: 'modelarts-runs/other/code/' });
    shown.pickAnswers.splice(3, 1); // no boot file pick
    await rig.run();
    assert.ok(!shown.picks.some((p) => p.placeHolder === 'Boot file: the script the job runs'));
    const second = parse(readFileSync(rig.configUri(other).fsPath, 'utf8')) as { code: { folder: string }; algorithm: { boot_file: string } };
    assert.equal(second.code.folder, '.');
    assert.equal(second.algorithm.boot_file, 'tools/prepare.py');
    const job = await rig.client.trainingJobs.get((await rig.state(other)).history[0].jobId);
    assert.equal((job.algorithm as Record<string, unknown>).boot_file, '/demo-bucket/modelarts-runs/other/code/tools/prepare.py');
  });

  it('with two folders open the palette asks which; a new bucket is created in the region; a flavor of several nodes asks how many', async () => {
    rig = await startRunRig();
    const first = await rig.openFolder('first', { 'train.py': TRAIN_PY });
    const second = await rig.openFolder('second', { 'train.py': TRAIN_PY });
    workbench.folders = [
      { uri: first, name: 'first', index: 0 },
      { uri: second, name: 'second', index: 1 },
    ];
    shown.pickAnswers.push(
      (item) => item.label === 'second', // the folder
      (item) => item.description === '0',
      (item) => item.description === 'pytorch-cp36-1.4.0-v2',
      (item) => item.detail === 'modelarts.vm.cpu.8u',
      (item) => item.label === 'train.py',
      (item) => item.label === '$(add) Create Bucket…',
      (item) => item.label === 'No Outputs',
    );
    shown.inputAnswers.push('2', 'my-runs', 'second/code/');
    await rig.run();
    assert.deepEqual(shown.picks[0].items.map((i) => i.label), ['first', 'second']);
    assert.equal(shown.picks[0].placeHolder, 'Folder to run on ModelArts');
    assert.deepEqual(shown.inputs.map((i) => i.prompt), ['Number of nodes (1 to 16)', 'Name of the new bucket in cn-north-4 (3 to 63 lowercase letters, digits, "-" or ".")', 'OBS folder for the code. Run keeps it a copy of the local folder: objects in it that are not local are deleted.']);
    assert.equal(rig.emu.obs.findBucket('my-runs')?.region, rig.emu.region);
    assert.deepEqual([...rig.objects('my-runs', 'second/code/').keys()], ['train.py']);
    const config = parse(readFileSync(rig.configUri(second).fsPath, 'utf8')) as { spec: { resource: unknown }; code: { obs: string } };
    assert.deepEqual(config.spec.resource, { flavor_id: 'modelarts.vm.cpu.8u', node_count: 2 });
    assert.equal(config.code.obs, 'obs://my-runs/second/code/');
    assert.throws(() => readFileSync(rig.configUri(first).fsPath), /ENOENT/, 'the other folder has no configuration');
    assert.match(submitted().name, /^second-/);
  });

  it('a custom image: the job runs the boot file with python from where ModelArts puts the code', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', PROJECT);
    answerFirstRun();
    shown.pickAnswers[1] = (item) => item.label === 'Custom Image…';
    shown.inputAnswers.unshift('swr.cn-north-4.myhuaweicloud.com/team/train:1.0');
    await rig.run();
    assert.match(shown.inputs[0].prompt ?? '', /^SWR path of the image/);
    assert.deepEqual(shown.inputs[0].validation, [], 'the image path passes the check');
    const config = parse(readFileSync(rig.configUri(folder).fsPath, 'utf8')) as { algorithm: { engine: unknown } };
    assert.deepEqual(config.algorithm.engine, { image_url: 'swr.cn-north-4.myhuaweicloud.com/team/train:1.0' });
    const job = await rig.client.trainingJobs.get((await rig.state(folder)).history[0].jobId);
    const algorithm = job.algorithm as Record<string, unknown>;
    assert.equal(algorithm.command, 'python ${MA_JOB_DIR}/code/train.py');
    assert.equal(algorithm.boot_file, undefined, 'a custom image runs a command, not a boot file');
  });

  it('a second Run of the folder while its upload goes on is refused; once it ends, Run runs again', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', PROJECT);
    answerFirstRun();
    await rig.run();
    shown.clear();
    let during: Promise<unknown> | undefined;
    workbench.onReport = (message) => {
      if (message === 'Comparing with OBS…' && !during) during = rejects(rig.run(folder));
    };
    await rig.run(folder);
    workbench.onReport = undefined;
    assert.ok((await during) instanceof CancelledByUser);
    assert.ok(shown.messages.some((m) => m.kind === 'info' && m.message === 'This folder is being run already: wait for its upload to end.'), JSON.stringify(shown.messages));
    assert.equal(rig.jobsCreated(), 2);
    await rig.run(folder);
    assert.equal(rig.jobsCreated(), 3);
  });

  it('a recent run picked from the palette follows its log', async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', PROJECT);
    answerFirstRun();
    await rig.run();
    const { name } = submitted();
    const jobId = (await rig.state(folder)).history[0].jobId;
    await advanceInSteps(rig.clock, TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 2_000, 1_000, () => rig.followed.length > 0);
    assert.equal(rig.followed.length, 1, 'the run followed worker-0 once it ran');
    shown.clear();
    shown.pickAnswers.push((item) => item.label === name);
    await rig.run();
    assert.deepEqual(rig.followed.map((t) => [t.job.metadata.id, t.task]), [[jobId, 'worker-0'], [jobId, 'worker-0']]);
    assert.equal(rig.jobsCreated(), 1, 'nothing submitted');
  });

  it('the run configuration is checked by the spec checker' + (SCHEMA_KNOWS_CODE ? '' : ' (syntax only: the schema does not know the code block yet)'), async () => {
    rig = await startRunRig();
    const folder = await rig.openFolder('proj', PROJECT);
    writeConfiguration(rig, folder, CODE);
    const good = readFileSync(rig.configUri(folder).fsPath, 'utf8');
    writeFileSync(rig.configUri(folder).fsPath, `${good}\nkind: [unclosed\n`);
    const obsBefore = rig.obsRequests();
    const error = await rejects(rig.run(folder));
    assert.ok(error instanceof CancelledByUser, String(error));
    const refusal = shown.messages.find((m) => m.kind === 'error');
    assert.match(refusal?.message ?? '', /^Not submitted: the spec has \d+ problem\(s\)\. Line \d+: /);
    assert.deepEqual(refusal?.buttons, ['Show Problems']);
    assert.equal(rig.obsRequests(), obsBefore);
    assert.equal(rig.jobsCreated(), 0);

    // As written by the first run, it passes and runs.
    writeFileSync(rig.configUri(folder).fsPath, good);
    shown.clear();
    await rig.run(folder);
    assert.ok(rig.obsRequests() > obsBefore);
    assert.equal(rig.jobsCreated(), 1);
  });
});
