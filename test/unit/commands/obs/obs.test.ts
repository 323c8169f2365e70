import '../../helpers/fixedTimeZone';
import { commandsSeen, createdChannels, shown } from '../../helpers/vscodeStandIn';
import { contentProviders, recorded, treeViews } from '../../helpers/obsStandIn';
import { startFeatureRig } from '../../helpers/obsFeatureRig';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { isModelArtsError } from '../../../../src/api/errors';
import { bucketNameProblem } from '../../../../src/api/obs/limits';
import type { TrainingJob } from '../../../../src/api/types';
import type { ActionDeps } from '../../../../src/commands/actionDeps';
import { COMMAND } from '../../../../src/commands/ids';
import type { ObsNode } from '../../../../src/commands/obs/obsFeature';
import { createObsShell } from '../../../../src/commands/obs/obsShell';
import { OPEN_MAX_BYTES } from '../../../../src/commands/obs/obsDocuments';
import { bucketNameMessage, objectKeyMessage, translatedReasons } from '../../../../src/commands/obs/obsLimits';
import { folderNameProblem, jobObsFolders, parseObsLocation } from '../../../../src/commands/obs/obsPaths';
import { localPathsOfUriList } from '../../../../src/commands/obs/obsTransfers';
import { englishL10n } from '../../../../src/common/translate';
import { FakeObs } from '../../helpers/fakeObsClient';

// The OBS commands against an in-memory OBS, through the feature as the extension loads it: what is asked,
// what is sent (and, when the user says no, that nothing is), and what the user is told.

const seeded = (): FakeObs =>
  new FakeObs()
    .addBucket('data')
    .addBucket('far', 'ap-southeast-1')
    .put('data', 'out/', '')
    .put('data', 'out/a.txt', 'a')
    .put('data', 'out/deep/b.txt', 'b')
    .put('data', 'keep.txt', 'keep');

const temp = mkdtempSync(join(tmpdir(), 'modelarts-obs-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('OBS commands: delete', () => {
  it('a folder: the modal names the count of objects under it, and Delete removes exactly those', async () => {
    const { obs, feature, row } = startFeatureRig(seeded());
    const folder = await row(await row(undefined, 'data'), 'out');
    shown.answers.push('Delete');
    assert.equal(await feature.run(COMMAND.obsDelete, [folder]), 3);
    const [question] = shown.messages;
    assert.deepEqual(question, { kind: 'warning', message: 'Delete 3 objects under obs\u2236//data/out/? This cannot be undone.', modal: true, buttons: ['Delete'] });
    assert.deepEqual(obs.keys('data'), ['keep.txt']);
    assert.deepEqual(obs.calls.filter((c) => c.startsWith('deleteObjects')), ['deleteObjects data 3']);
  });

  it('dismissed, nothing is sent; an object asks about itself', async () => {
    const { obs, feature, row } = startFeatureRig(seeded());
    const keep = await row(await row(undefined, 'data'), 'keep.txt');
    await assert.rejects(feature.run(COMMAND.obsDelete, [keep]), (e: Error) => e.constructor.name === 'CancellationError');
    assert.equal(shown.messages[0]?.message, 'Delete obs\u2236//data/keep.txt? This cannot be undone.');
    assert.ok(!obs.calls.some((c) => c.startsWith('deleteObject')), obs.calls.join('\n'));
    assert.ok(obs.keys('data').includes('keep.txt'));
    // The same row, confirmed: it goes.
    shown.answers.push('Delete');
    await feature.run(COMMAND.obsDelete, [keep]);
    assert.ok(!obs.keys('data').includes('keep.txt'));
  });
});

describe('OBS commands: paths, folders, buckets', () => {
  it('Copy OBS Path copies obs://bucket/key for an object, a folder and a bucket', async () => {
    const { feature, row } = startFeatureRig(seeded());
    const bucket = await row(undefined, 'data');
    const folder = await row(bucket, 'out');
    const object = await row(folder, 'a.txt');
    for (const node of [object, folder, bucket]) await feature.run(COMMAND.obsCopyPath, [node]);
    assert.deepEqual(recorded.clipboard, ['obs://data/out/a.txt', 'obs://data/out/', 'obs://data/']);
    assert.deepEqual(shown.statusBar, ['Copied: obs://data/out/a.txt', 'Copied: obs://data/out/', 'Copied: obs://data/']);
  });

  it('New OBS Folder puts a zero-byte prefix/name/ object in the row\'s folder (an object row: its folder), checking the name as it is typed', async () => {
    const { obs, feature, row } = startFeatureRig(seeded());
    const object = await row(await row(await row(undefined, 'data'), 'out'), 'a.txt');
    shown.inputAnswers.push('logs');
    await feature.run(COMMAND.obsNewFolder, [object]);
    assert.equal(obs.text('data', 'out/logs/'), '');
    assert.deepEqual(shown.inputs[0]?.validation, []);
    assert.equal(shown.inputs[0]?.prompt, 'Name of the new folder in obs\u2236//data/out/');
    assert.equal(folderNameProblem('a/b', englishL10n), 'A folder name cannot contain / or \\.');
    assert.equal(folderNameProblem('..', englishL10n), 'A folder name cannot be . or ..');
    assert.equal(folderNameProblem('a\u0007', englishL10n), 'A folder name cannot contain control characters.');
    assert.equal(folderNameProblem('résumé 2026', englishL10n), undefined);
    assert.equal(objectKeyMessage(`${'é'.repeat(600)}/`, englishL10n), 'An object key has at most 1024 bytes of UTF-8; this one has 1201.');
  });

  it('Create Bucket checks the name with the documented rules as it is typed, then creates it in the profile\'s region', async () => {
    const { obs, feature } = startFeatureRig(seeded());
    shown.inputAnswers.push('Bad_Name');
    await assert.rejects(feature.run(COMMAND.obsCreateBucket, []), (e: unknown) => isModelArtsError(e) && e.code === 'InvalidBucketName');
    assert.deepEqual(shown.inputs[0]?.validation, ['A bucket name holds only lower-case letters, digits, hyphens (-) and periods (.).']);
    shown.inputAnswers.push('new-bucket');
    await feature.run(COMMAND.obsCreateBucket, []);
    assert.deepEqual(shown.inputs[1]?.validation, []);
    assert.deepEqual(obs.calls.filter((c) => c.startsWith('createBucket')), ['createBucket Bad_Name cn-north-4', 'createBucket new-bucket cn-north-4']);
    assert.equal(obs.buckets.get('new-bucket')?.info.location, 'cn-north-4');
  });

  it('every reason the API gives for a bad bucket name or key has its translation', () => {
    const bad = ['ab', 'x'.repeat(64), 'Ab1', 'a_b', '-ab', '.ab', 'ab-', 'ab.', 'a..b', 'a.-b', 'a-.b', '192.168.1.1'];
    const reasons = new Set(bad.map((name) => bucketNameProblem(name)).filter((r): r is string => r !== undefined));
    assert.ok(reasons.size >= 6, [...reasons].join('\n'));
    const table = translatedReasons(englishL10n);
    for (const reason of reasons) if (!/has 3 to 63 characters/.test(reason)) assert.ok(reason in table, reason);
    assert.equal(bucketNameMessage('ab', englishL10n), 'A bucket name has 3 to 63 characters; this one has 2.');
    assert.equal(bucketNameMessage('ok-name', englishL10n), undefined);
    assert.equal(objectKeyMessage('', englishL10n), 'An object key cannot be empty.');
  });
});

describe('OBS commands: upload', () => {
  const project = join(temp, 'proj');
  mkdirSync(join(project, 'sub'), { recursive: true });
  writeFileSync(join(project, 'a.txt'), 'A');
  writeFileSync(join(project, 'sub', 'b.txt'), 'BB');
  writeFileSync(join(temp, 'top.txt'), 'TOP');

  it('a drop of a folder and a file on a folder row uploads under it with the relative paths; what is not on this computer is left out and said', async () => {
    const { obs, feature, row } = startFeatureRig(seeded());
    const folder = await row(await row(undefined, 'data'), 'out');
    const list = [pathToFileURL(project).href, '# a comment', pathToFileURL(join(temp, 'top.txt')).href, 'vscode-remote://ssh-remote+x/home/a.txt', ''].join('\r\n');
    assert.equal(await feature.run(COMMAND.obsUpload, [folder, list]), 3);
    assert.deepEqual(
      obs.keys('data').filter((k) => k.startsWith('out/') && !k.startsWith('out/deep') && k !== 'out/a.txt' && k !== 'out/'),
      ['out/proj/a.txt', 'out/proj/sub/b.txt', 'out/top.txt'],
    );
    assert.equal(obs.text('data', 'out/proj/sub/b.txt'), 'BB');
    assert.deepEqual(
      shown.messages.map((m) => m.message),
      ['1 of the dropped items are not files on this computer and were left out.', 'Uploaded 3 files (6 B) to obs\u2236//data/out/.'],
    );
    const channel = createdChannels.filter((c) => c.name === 'ModelArts: Uploads').at(-1);
    assert.match(channel?.text ?? '', /sub[\\/]b\.txt → obs:\/\/data\/out\/proj\/sub\/b\.txt \(2 B\)/);
    assert.deepEqual(shown.progress, ['Uploading to obs\u2236//data/out/']);
  });

  it('from the palette: a bucket picked, then files from the dialog; Cancel in the progress leaves no object under the keys', async () => {
    const { obs, feature } = startFeatureRig(seeded());
    const pickBucket = (item: { label: string }): boolean => item.label === 'far';
    const pickFiles = (item: { label: string }): boolean => item.label === 'Files…';
    shown.pickAnswers.push(pickBucket, pickFiles);
    recorded.openAnswers.push([join(temp, 'top.txt')]);
    recorded.cancelNextProgress = true;
    await assert.rejects(feature.run(COMMAND.obsUpload, []), (e: unknown) => isModelArtsError(e) && e.kind === 'aborted');
    assert.deepEqual(obs.keys('far'), [], 'cancelled: nothing under the key');
    assert.equal(shown.picks[0]?.items.find((i) => i.label === 'far')?.description, 'ap-southeast-1', 'the other region is named');
    // The same again, not cancelled: the file is there.
    shown.pickAnswers.push(pickBucket, pickFiles);
    recorded.openAnswers.push([join(temp, 'top.txt')]);
    await feature.run(COMMAND.obsUpload, []);
    assert.deepEqual(obs.keys('far'), ['top.txt']);
  });

  it('a uri-list keeps only file: URIs, as paths', () => {
    const { paths, skipped } = localPathsOfUriList(`${pathToFileURL('/tmp/a b.txt').href}\nhttps://example.com/x\n#c\n`);
    assert.deepEqual([paths, skipped], [['/tmp/a b.txt'], 1]);
  });
});

describe('OBS commands: open and download', () => {
  it('a small text object opens as a read-only obs: document whose text is the object', async () => {
    const { feature, row } = startFeatureRig(seeded());
    const object = await row(await row(await row(undefined, 'data'), 'out'), 'a.txt');
    await feature.run(COMMAND.obsOpen, [object]);
    assert.deepEqual(recorded.documents, ['obs:/work/data/out/a.txt']);
    assert.deepEqual(recorded.shownDocuments, ['obs:/work/data/out/a.txt']);
    const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;
    const uri = { path: '/work/data/out/a.txt', toString: () => 'obs:/work/data/out/a.txt' } as vscode.Uri;
    assert.equal(await feature.provideContent(uri, token), 'a');
    const other = { path: '/home/data/out/a.txt', toString: () => 'obs:/home/data/out/a.txt' } as vscode.Uri;
    assert.equal(await feature.provideContent(other, token), '// Sign in with the profile of this document to load it.\n');
  });

  it('a large object is not read: Download is offered instead', async () => {
    const obs = seeded().put('data', 'big.bin', Buffer.alloc(OPEN_MAX_BYTES + 1));
    const { feature, row } = startFeatureRig(obs);
    const big = await row(await row(undefined, 'data'), 'big.bin');
    await feature.run(COMMAND.obsOpen, [big]);
    assert.deepEqual(recorded.documents, []);
    assert.deepEqual(shown.messages[0], { kind: 'info', message: 'obs\u2236//data/big.bin is 1 MB: only objects up to 1 MB open in an editor.', modal: false, buttons: ['Download'] });
    assert.ok(!obs.calls.some((c) => c.startsWith('getObject')));
  });

  it('a folder downloads into the chosen folder under its own name; an object to the file chosen', async () => {
    const { feature, row } = startFeatureRig(seeded());
    const folder = await row(await row(undefined, 'data'), 'out');
    const into = join(temp, 'downloads');
    recorded.openAnswers.push([into]);
    assert.equal(await feature.run(COMMAND.obsDownload, [folder]), join(into, 'out'));
    assert.equal(readFileSync(join(into, 'out', 'deep', 'b.txt'), 'utf8'), 'b');
    const object = await row(folder, 'a.txt');
    recorded.saveAnswers.push(join(temp, 'saved.txt'));
    await feature.run(COMMAND.obsDownload, [object]);
    assert.equal(readFileSync(join(temp, 'saved.txt'), 'utf8'), 'a');
  });
});

describe('OBS commands: a training job\'s folders', () => {
  const job = {
    metadata: { id: 'job-1', name: 'train' },
    status: { phase: 'Completed', tasks: [] },
    algorithm: { code_dir: '/data/out/', outputs: [{ name: 'model', remote: { obs: { obs_url: 'obs://data/out/deep/' } } }, { name: 'gone', remote: { obs: { obs_url: '/data/missing/x/' } } }] },
    spec: { log_export_path: { obs_url: '/data/out/deep' } },
  } as unknown as TrainingJob;

  it('reads them from the spec in both forms, each once', () => {
    assert.deepEqual(
      jobObsFolders(job).map((f) => `${f.role} ${f.bucket} ${f.key}`),
      ['output data out/deep/', 'output data missing/x/', 'code data out/'],
    );
    assert.deepEqual(parseObsLocation('https://obs.example.com/x'), undefined);
    assert.deepEqual(parseObsLocation('s3://b/k.txt'), { bucket: 'b', key: 'k.txt' });
  });

  it('Open Outputs in OBS reveals each folder in the view, and names those not in OBS', async () => {
    const { feature, revealed } = startFeatureRig(seeded(), { jobs: [job] });
    await feature.run(COMMAND.trainingJobOpenOutputs, [{ id: 'job-1', name: 'train', workspaceId: '0' }]);
    assert.deepEqual(revealed, ['work/obs/data/out%2Fdeep%2F', 'work/obs/data', 'work/obs/data/out%2F']);
    assert.deepEqual(shown.messages.map((m) => m.message), ['Not in OBS (yet): obs\u2236//data/missing/x/']);
  });
});

describe('OBS view: the shell in the extension bundle', () => {
  it('signed out, the view has no rows and loads nothing; a drop runs Upload to OBS with the row and the uri-list', async () => {
    const deps = { sessions: { current: undefined, onDidChange: () => ({ dispose: () => undefined }) } } as unknown as ActionDeps;
    const shell = createObsShell(deps);
    const view = treeViews.at(-1);
    assert.equal(view?.id, 'modelarts.obs');
    const provider = view?.options['treeDataProvider'] as vscode.TreeDataProvider<ObsNode>;
    assert.deepEqual(await provider.getChildren(undefined), []);
    assert.ok(contentProviders.has('obs'), 'obs: documents have a provider');
    assert.deepEqual(shell.drop.dropMimeTypes, ['text/uri-list']);
    const target = { id: 'row' } as ObsNode;
    const list = 'file:///tmp/a.txt\r\n';
    commandsSeen.clear();
    const data = { get: (mime: string) => (mime === 'text/uri-list' ? { asString: () => Promise.resolve(list) } : undefined) } as unknown as vscode.DataTransfer;
    await shell.drop.handleDrop?.(target, data, { isCancellationRequested: false } as vscode.CancellationToken);
    assert.deepEqual(commandsSeen.executed, [{ id: 'modelarts.obs.upload', args: [target, list] }]);
    // A drop without files (text from an editor) runs nothing.
    commandsSeen.clear();
    await shell.drop.handleDrop?.(target, { get: () => undefined } as unknown as vscode.DataTransfer, { isCancellationRequested: false } as vscode.CancellationToken);
    assert.deepEqual(commandsSeen.executed, []);
    assert.deepEqual(shell.commands.map((c) => c.id).sort(), Object.values(COMMAND).filter((id) => id.startsWith('modelarts.obs.') || id === 'modelarts.trainingJob.openOutputs').sort());
    shell.dispose();
  });
});
