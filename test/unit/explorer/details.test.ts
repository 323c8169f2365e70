import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { ManualClock } from '../../../src/api/clock';
import { createRedactor } from '../../../src/api/redact';
import { startEmulator } from '../../../src/emulator/server';
import { DetailsContentProvider, detailsPath, detailsText, isSecretField, parseDetailsPath, redactSecrets, type DetailsTarget } from '../../../src/explorer/details';
import { emulatorClient } from '../helpers/emulatorHelpers';

const SEED_NOTEBOOK_ID = 'f9937afa-4451-42db-a76b-72d624749f66';
const SEED_NOTEBOOK_TOKEN = '5cc60e8b-8772-7690-efd6-a5874ca387c0';

describe('explorer details: paths', () => {
  it('names one document per resource and profile, and reads it back', () => {
    const targets: DetailsTarget[] = [
      { kind: 'workspace', workspaceId: '0' },
      { kind: 'trainingJob', jobId: 'j1' },
      { kind: 'task', jobId: 'j1', task: 'worker-0' },
      { kind: 'notebook', notebookId: SEED_NOTEBOOK_ID },
      { kind: 'workflow', workflowId: 'w1' },
      { kind: 'execution', workflowId: 'w1', executionId: 'e1' },
      { kind: 'step', workflowId: 'w1', executionId: 'e1', stepId: 's1' },
      { kind: 'app', appId: 'a1' },
    ];
    assert.equal(detailsPath('default', targets[3]), `/default/notebook/${SEED_NOTEBOOK_ID}.json`);
    for (const target of targets) assert.deepEqual(parseDetailsPath(detailsPath('my/profile', target)), { profile: 'my/profile', target });
    for (const bad of ['/default/notebook.json', '/default/notebook/x', 'default/notebook/x.json', '/default/bogus/x.json', '/default//x.json', '/%E0%A4%A/notebook/x.json']) {
      assert.equal(parseDetailsPath(bad), undefined, bad);
    }
  });
});

describe('explorer details: tab titles', () => {
  const nb = (id: string): DetailsTarget => ({ kind: 'notebook', notebookId: id });

  it("titles the document with the resource's name, and still reads the resource back from its path", () => {
    const path = detailsPath('default', nb(SEED_NOTEBOOK_ID), 'pytorch-dev');
    assert.equal(path, `/default/notebook/${SEED_NOTEBOOK_ID}/pytorch-dev.json`);
    assert.equal(path.split('/').at(-1), 'pytorch-dev.json', 'the tab shows the name, not the id');
    assert.deepEqual(parseDetailsPath(path), { profile: 'default', target: nb(SEED_NOTEBOOK_ID) });
    const step: DetailsTarget = { kind: 'step', workflowId: 'w1', executionId: 'e1', stepId: 's1' };
    assert.deepEqual(parseDetailsPath(detailsPath('p', step, 'train')), { profile: 'p', target: step });
    const task: DetailsTarget = { kind: 'task', jobId: 'j1', task: 'worker-0' };
    assert.deepEqual(parseDetailsPath(detailsPath('p', task, 'worker-0')), { profile: 'p', target: task });
    // Paths without a name (documents restored from before, subscriptions) still read.
    assert.deepEqual(parseDetailsPath(detailsPath('default', nb('n1'))), { profile: 'default', target: nb('n1') });
  });

  it('two resources with one name are two documents', () => {
    const a = detailsPath('default', nb('id-a'), 'pytorch-dev');
    const b = detailsPath('default', nb('id-b'), 'pytorch-dev');
    assert.notEqual(a, b);
    assert.equal(a.split('/').at(-1), b.split('/').at(-1), 'both tabs read pytorch-dev.json');
    assert.notEqual(detailsPath('p1', nb('id-a'), 'x'), detailsPath('p2', nb('id-a'), 'x'), 'nor one resource in two profiles');
  });

  it('a name is shown as it is (CJK too), with separators and control characters replaced, and is never read back', () => {
    assert.equal(detailsPath('p', { kind: 'workflow', workflowId: 'w1' }, '图像分类 流程').split('/').at(-1), '图像分类 流程.json');
    const hostile = detailsPath('p', nb('n1'), 'a/../b\\c%2F\nd');
    assert.equal(hostile.split('/').at(-1), 'a_.._b_c_2F_d.json');
    assert.deepEqual(parseDetailsPath(hostile), { profile: 'p', target: nb('n1') });
    assert.equal(detailsPath('p', nb('n1'), '   '), '/p/notebook/n1.json', 'a blank name: the id names the tab');
    assert.equal(detailsPath('p', nb('n1'), 'x'.repeat(300)).split('/').at(-1), `${'x'.repeat(100)}.json`);
  });
});

describe('explorer details: redaction', () => {
  it('replaces every secret field, however deep, and keeps the rest', () => {
    const value = {
      id: 'nb1',
      token: 'tok-123456',
      auth_type: 'PUBLIC',
      lease: { duration: 3600 },
      app: { app_key: 'k-123456', app_secret: 's-123456', app_codes: ['c-123456'] },
      list: [{ password: 'p-123456', securityToken: 'st-123456', 'X-Auth-Token': 'x-123456', AccessSecret: 'as-123456' }],
      empty_token: '',
      problems: ['missing status'],
    };
    const out = redactSecrets(value) as Record<string, unknown>;
    assert.deepEqual(out, {
      id: 'nb1',
      token: '***',
      auth_type: 'PUBLIC',
      lease: { duration: 3600 },
      app: { app_key: '***', app_secret: '***', app_codes: '***' },
      list: [{ password: '***', securityToken: '***', 'X-Auth-Token': '***', AccessSecret: '***' }],
      empty_token: '',
    });
    for (const name of ['token', 'app_secret', 'app_key', 'password', 'securityToken', 'security_token', 'auth', 'secret_key']) assert.ok(isSecretField(name), name);
    for (const name of ['auth_type', 'id', 'key_pair_names', 'name', 'status']) assert.ok(!isSecretField(name), name);
  });

  it('pretty-prints, then runs the redactor over the whole text', () => {
    const redactor = createRedactor(['canary-secret-value']);
    const text = detailsText({ description: 'has canary-secret-value inside', token: 'abc123456' }, redactor);
    assert.equal(text, '{\n  "description": "has *** inside",\n  "token": "***"\n}\n');
  });
});

describe('explorer details: documents', () => {
  it("a notebook's document is a fresh GET without its token; another profile's is not loaded", async () => {
    const clock = new ManualClock();
    const emu = await startEmulator({ port: 0, iamPort: 0, clock, gatewayClock: clock });
    const client = emulatorClient(emu, clock);
    try {
      const provider = new DetailsContentProvider({
        clientFor: (profile) => (profile === 'default' ? client : undefined),
        redactor: createRedactor(),
        unavailable: () => '// not signed in\n',
      });
      const path = detailsPath('default', { kind: 'notebook', notebookId: SEED_NOTEBOOK_ID });
      const before = emu.requests.length;
      const text = await provider.load(path);
      assert.equal(emu.requests.length - before, 1, 'one GET');
      assert.match(emu.requests.at(-1)!.path, new RegExp(`/notebooks/${SEED_NOTEBOOK_ID}$`));
      const json = JSON.parse(text) as { name: string; token: string };
      assert.equal(json.name, 'notebooks_test');
      assert.equal(json.token, '***');
      assert.ok(!text.includes(SEED_NOTEBOOK_TOKEN));
      // Positive control: the emulator does send the token.
      assert.equal((await client.notebooks.get(SEED_NOTEBOOK_ID)).token, SEED_NOTEBOOK_TOKEN);
      // VS Code then reads what was loaded, without another request.
      const count = emu.requests.length;
      assert.equal(await provider.provideTextDocumentContent({ path } as vscode.Uri), text);
      assert.equal(emu.requests.length, count);
      assert.equal(await provider.load(detailsPath('other', { kind: 'notebook', notebookId: SEED_NOTEBOOK_ID })), '// not signed in\n');
      assert.equal(emu.requests.length, count, 'nothing is asked for a profile that is not signed in');
      const missing = await provider.provideTextDocumentContent({ path: detailsPath('default', { kind: 'notebook', notebookId: 'nope' }) } as vscode.Uri);
      assert.match(missing, /^\/\/ /, 'a failure reads as a comment, not a thrown error');
    } finally {
      client.dispose();
      await emu.close();
    }
  });
});
