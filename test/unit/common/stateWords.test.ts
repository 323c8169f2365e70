import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { EXECUTION_STATUSES, NOTEBOOK_STATUSES, STEP_STATUSES, TRAINING_PHASES, WORKFLOW_STATUSES, WORKSPACE_STATUSES } from '../../../src/api/types';
import { knownStates, stateWithRaw, stateWord, type StateKind } from '../../../src/common/stateWords';
import { englishL10n } from '../../../src/common/translate';
import { filterStateWord, statusOptions } from '../../../src/explorer/filters';
import { statusLook } from '../../../src/explorer/status';
import { notebookDescription, trainingJobDescription } from '../../../src/explorer/text';

// One vocabulary of states for every kind: every state the API reference lists has a short sentence-case
// word (and a Chinese one), unknown values pass through, and the filter picker reads the same words.

const l10n = englishL10n;
const ROOT = join(__dirname, '..', '..', '..', '..');
const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
/** vscode.l10n as it behaves with the Chinese bundle loaded. */
const chineseL10n = {
  t: (message: string, ...args: string[]) => englishL10n.t(bundle[message] ?? `MISSING ${message}`, ...args),
  bundle,
  uri: undefined,
} as typeof vscode.l10n;

const DOCUMENTED: ReadonlyArray<[StateKind, readonly string[]]> = [
  ['workspace', WORKSPACE_STATUSES],
  ['trainingJob', TRAINING_PHASES],
  ['notebook', NOTEBOOK_STATUSES],
  ['workflow', WORKFLOW_STATUSES],
  ['execution', EXECUTION_STATUSES],
  ['step', STEP_STATUSES],
];

describe('state words', () => {
  it('every documented state of every kind has a word: sentence case, short, one per state within a kind', () => {
    let count = 0;
    for (const [kind, states] of DOCUMENTED) {
      assert.deepEqual([...knownStates(kind, l10n)].sort(), [...states].sort(), `${kind}: the vocabulary covers exactly the documented states`);
      const words = states.map((s) => stateWord(kind, s, l10n));
      for (const [i, word] of words.entries()) {
        assert.match(word, /^[A-Z][a-z]*( [a-z0-9]+)*$/, `${kind} ${states[i]} → "${word}"`);
        assert.ok(word.length <= 18, `${kind} ${states[i]} → "${word}" fits beside a name`);
        // The look table knows it too (so its icon is not the unknown one).
        assert.notEqual(statusLook(kind, states[i]).category, 'unknown', `${kind} ${states[i]} has a look`);
        count++;
      }
      assert.equal(new Set(words).size, words.length, `${kind}: two states never read alike (${words.join(', ')})`);
    }
    assert.equal(count, 4 + 8 + 14 + 6 + 5 + 14);
  });

  it('reads the same word for the same state across kinds, whatever the service case', () => {
    assert.equal(stateWord('trainingJob', 'Running', l10n), 'Running');
    assert.equal(stateWord('notebook', 'RUNNING', l10n), 'Running');
    assert.equal(stateWord('workflow', 'running', l10n), 'Running');
    assert.equal(stateWord('step', 'running', l10n), 'Running');
    assert.equal(stateWord('workspace', 'NORMAL', l10n), 'Normal');
    assert.equal(stateWord('workflow', 'never_executed', l10n), 'Never run');
    assert.equal(stateWord('notebook', 'STOPPED', l10n), stateWord('execution', 'stopped', l10n));
    assert.equal(stateWord('notebook', 'CREATE_FAILED', l10n), stateWord('workspace', 'CREATE_FAILED', l10n));
  });

  it('shows an unknown value as the service sent it, and a missing one as Unknown', () => {
    assert.equal(stateWord('notebook', 'WEIRD', l10n), 'WEIRD');
    assert.equal(stateWord('step', 'Running', l10n), 'Running', 'a step state in another case passes through');
    assert.equal(stateWord('notebook', 'running', l10n), 'running', 'matched exactly as the API spells it');
    assert.equal(stateWord('workflow', 'constructor', l10n), 'constructor', 'not an object key of the table');
    assert.equal(stateWord('workflow', 'toString', l10n), 'toString');
    assert.equal(stateWord('execution', undefined, l10n), 'Unknown');
    assert.equal(stateWord('execution', '', l10n), 'Unknown');
  });

  it("a tooltip keeps the service's values: the word, then the raw value and the detail where they differ", () => {
    assert.equal(stateWithRaw('notebook', 'RUNNING', l10n), 'Running (RUNNING)');
    assert.equal(stateWithRaw('trainingJob', 'Running', l10n), 'Running');
    assert.equal(stateWithRaw('trainingJob', 'Running', l10n, 'Running'), 'Running');
    assert.equal(stateWithRaw('trainingJob', 'Abnormal', l10n, 'CreateFailed'), 'Abnormal (CreateFailed)');
    assert.equal(stateWithRaw('notebook', 'WEIRD', l10n), 'WEIRD');
    assert.equal(stateWithRaw('notebook', undefined, l10n), 'Unknown');
    assert.equal(stateWithRaw('trainingJob', 'Running', chineseL10n, 'Queuing'), '运行中 (Running, Queuing)');
  });

  it('reads in Chinese with the zh-cn bundle, short enough for the sidebar', () => {
    assert.equal(stateWord('notebook', 'RUNNING', chineseL10n), '运行中');
    assert.equal(stateWord('trainingJob', 'Completed', chineseL10n), '已完成');
    assert.equal(stateWord('workflow', 'never_executed', chineseL10n), '未运行');
    assert.equal(stateWord('notebook', 'WEIRD', chineseL10n), 'WEIRD');
    for (const [kind, states] of DOCUMENTED) {
      for (const state of states) {
        const word = stateWord(kind, state, chineseL10n);
        assert.ok(!word.startsWith('MISSING') && word.length <= 6, `${kind} ${state} → ${word}`);
      }
    }
  });

  it('descriptions fit the default sidebar width beside a name (about 30 characters in all)', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const lease = { create_at: now - 60_000, duration: 8 * 3600_000 - 1, enable: true };
    const samples = [
      notebookDescription({ id: 'n', name: 'pytorch-dev', status: 'RUNNING', lease }, now, l10n),
      notebookDescription({ id: 'n', name: 'pytorch-dev', status: 'RUNNING', lease: { ...lease, enable: false } }, now, l10n),
      notebookDescription({ id: 'n', name: 'pytorch-dev', status: 'RUNNING', lease: { ...lease, duration: 90_000 } }, now, l10n),
      trainingJobDescription({ metadata: { id: 'j', name: 'job' }, status: { phase: 'Completed', duration: (3 * 3600 + 5 * 60) * 1000, tasks: [] } }, now, l10n),
    ];
    // One unit in a row (the tooltip keeps `7h 58m`).
    assert.deepEqual(samples, ['Running · 7h left', 'Running · no auto-stop', 'Running · under 1m left', 'Completed · 3h']);
    for (const text of samples) assert.ok(`pytorch-dev ${text}`.length <= 36, text);
  });

  it('the status filter picker names each state by its word, the same for every list that has it', () => {
    for (const option of statusOptions()) {
      const words = new Set(option.raw.map(([kind, raw]) => stateWord(kind, raw, l10n)));
      assert.equal(words.size, 1, `${option.state}: ${[...words].join(' / ')}`);
      assert.equal(filterStateWord(option.state, l10n), [...words][0]);
    }
    assert.equal(filterStateWord('RUNNING', l10n), 'Running');
    assert.equal(filterStateWord('NEVER_EXECUTED', l10n), 'Never run');
    assert.equal(filterStateWord('TERMINATED', chineseL10n), '已终止');
    assert.equal(filterStateWord('BOGUS', l10n), 'BOGUS');
  });
});
