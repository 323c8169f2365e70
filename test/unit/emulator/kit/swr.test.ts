import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { swrOrganizationProblem } from '../../../../src/emulator/kit/swr';

// SWR "Creating an Organization": 1-64 characters, a lowercase letter first, a lowercase letter or digit last,
// lowercase letters, digits, ".", "_", "-" only, separators never together except "__".
describe('emulator SWR organization (namespace) rule', () => {
  it('accepts the names SWR accepts, at the boundaries', () => {
    for (const name of ['a', 'dev', 'demo-team', 'a__b', 'a.b_c-d', 'a1', 'z9', `a${'b'.repeat(63)}`, 'a_b__c.d-e']) {
      assert.equal(swrOrganizationProblem(name), undefined, name);
    }
  });

  it('refuses the names SWR refuses, saying why', () => {
    const refused: Array<[unknown, string]> = [
      [undefined, 'required'],
      ['', 'required'],
      [42, 'required'],
      [`a${'b'.repeat(64)}`, '64'],
      ['1a', 'start'],
      ['_a', 'start'],
      ['Dev', 'start'],
      ['dEv', 'only lowercase'],
      ['a/b', 'only lowercase'],
      ['a.', 'end'],
      ['a_', 'end'],
      ['a-', 'end'],
      ['a._b', 'next to each other'],
      ['a-.b', 'next to each other'],
      ['a..b', 'next to each other'],
      ['a--b', 'next to each other'],
      ['a___b', 'next to each other'],
      ['a__.b', 'next to each other'],
    ];
    for (const [name, why] of refused) {
      const problem = swrOrganizationProblem(name);
      assert.ok(problem?.includes(why), `${String(name)}: ${problem}`);
    }
  });
});
