import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  MAX_NAME_FILTER,
  NO_FILTER,
  acceptsStatus,
  filterMessage,
  isFilterActive,
  normalizeFilter,
  notebookQuery,
  statusOptions,
  trainingJobQuery,
  validateNameFilter,
  workflowQuery,
} from '../../../src/explorer/filters';
import { englishL10n } from '../../../src/common/translate';

const l10n = englishL10n;

describe('explorer filters', () => {
  it('offers each state once, with the lists that have it', () => {
    const options = statusOptions();
    const states = options.map((o) => o.state);
    assert.equal(new Set(states).size, states.length);
    assert.deepEqual(options.find((o) => o.state === 'RUNNING')?.kinds, ['trainingJobs', 'notebooks', 'workflows']);
    assert.deepEqual(options.find((o) => o.state === 'STOPPED')?.kinds, ['notebooks', 'workflows']);
    assert.deepEqual(options.find((o) => o.state === 'TERMINATED')?.kinds, ['trainingJobs']);
  });

  it('sends the name and what each API can filter on; nothing when no state of a list is chosen', () => {
    const filter = { name: 'bert', statuses: ['RUNNING', 'STOPPED'] };
    assert.deepEqual(trainingJobQuery(filter), { excluded: false, name: 'bert', status: ['Running'] });
    // Notebooks take one status: with two chosen, every row is checked here instead.
    assert.deepEqual(notebookQuery(filter), { excluded: false, name: 'bert' });
    assert.deepEqual(notebookQuery({ name: '', statuses: ['STOPPED'] }), { excluded: false, status: 'STOPPED' });
    assert.deepEqual(workflowQuery(filter), { excluded: false, name: 'bert' });
    assert.deepEqual(workflowQuery({ name: '', statuses: ['RUNNING'] }), { excluded: false, status: 'running' });
    assert.deepEqual(trainingJobQuery({ name: '', statuses: ['STOPPED'] }), { excluded: true });
    assert.deepEqual(trainingJobQuery(NO_FILTER), { excluded: false });
  });

  it('checks each row case-insensitively', () => {
    const filter = { name: '', statuses: ['RUNNING'] };
    assert.ok(acceptsStatus(filter, 'Running'));
    assert.ok(acceptsStatus(filter, 'running'));
    assert.ok(!acceptsStatus(filter, 'STOPPED'));
    assert.ok(!acceptsStatus(filter, undefined));
    assert.ok(acceptsStatus(NO_FILTER, undefined));
  });

  it('reads what workspaceState holds tolerantly', () => {
    assert.deepEqual(normalizeFilter(undefined), NO_FILTER);
    assert.deepEqual(normalizeFilter('x'), NO_FILTER);
    assert.deepEqual(normalizeFilter({ name: '  bert ', statuses: ['running', 'RUNNING', 'BOGUS', 3] }), { name: 'bert', statuses: ['RUNNING'] });
    assert.equal(normalizeFilter({ name: 'x'.repeat(500) }).name.length, MAX_NAME_FILTER);
  });

  it('says what is filtered in the view message', () => {
    assert.equal(filterMessage(NO_FILTER, l10n), undefined);
    assert.equal(filterMessage({ name: '', statuses: ['RUNNING', 'STOPPED', 'NEVER_EXECUTED'] }, l10n), 'Filtered: Running, Stopped, Never run');
    assert.equal(filterMessage({ name: 'bert', statuses: [] }, l10n), 'Filtered: name contains “bert”');
    assert.ok(isFilterActive({ name: 'a', statuses: [] }));
    assert.ok(!isFilterActive(NO_FILTER));
  });

  it('validates the name as the notebook list does (at most 128 characters)', () => {
    assert.equal(validateNameFilter('x'.repeat(128), l10n), undefined);
    assert.equal(validateNameFilter('x'.repeat(129), l10n), 'At most 128 characters.');
  });
});
