import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
  WORKFLOW_EVENTS,
  eventPicks,
  parseTopicUrns,
  subscriptionCalls,
  subscriptionEventChoices,
  subscriptionGoneMessage,
  subscriptionIdsOf,
  subscriptionRequest,
  topicUrnsReason,
  topicUrnsWarning,
} from '../../../../src/commands/subscriptions/subscriptions';
import type { ModelArtsClient } from '../../../../src/api/client';
import type { ManualClock } from '../../../../src/api/clock';
import { isModelArtsError } from '../../../../src/api/errors';
import { validateSubscriptionEvent } from '../../../../src/api/validate';
import { englishL10n as l10n } from '../../../../src/common/translate';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { MANUAL_SUBSCRIPTION, SUBSCRIPTION_WORKFLOW_ID } from '../../../../src/emulator/workflows/seed';
import { detailsPath, fetchDetails, parseDetailsPath } from '../../../../src/explorer/details';
import { emulatorClient, startTestEmulator } from '../../helpers/emulatorHelpers';
import { contributionsOf } from '../../helpers/manifest';

// Workflow subscriptions without VS Code: the events offered for a workflow, the checks on typed input (no
// request for bad input), the create → get → update → delete round trip and the message for a gone one.

const WF = SUBSCRIPTION_WORKFLOW_ID;
const URN = 'urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:train-alerts';

describe('subscriptions: choices and checks', () => {
  it('offers the whole-workflow events, then completed/failed/stop for each step, all valid', () => {
    const choices = subscriptionEventChoices({ steps: [{ name: 'job_step' }, { name: 'model_step' }, { name: 'job_step' }, { name: 'bad name!' }] });
    assert.deepEqual(
      choices.map((c) => c.event),
      ['*:failed', '*:completed', '*:failed,completed', '*:stopped', 'job_step:completed', 'job_step:failed', 'job_step:stop', 'model_step:completed', 'model_step:failed', 'model_step:stop'],
      'each step once; a name the grammar refuses is left out',
    );
    assert.deepEqual(choices.slice(0, 4).map((c) => c.target), ['*', '*', '*', '*']);
    assert.equal(choices[4]?.target, 'job_step');
    for (const c of choices) assert.equal(validateSubscriptionEvent(c.event), undefined, c.event);
    assert.deepEqual(subscriptionEventChoices({}).map((c) => c.event), [...WORKFLOW_EVENTS]);
  });

  it('prefills the current events, keeping any that are not offered', () => {
    const picks = eventPicks(subscriptionEventChoices({ steps: [{ name: 'job_step' }] }), MANUAL_SUBSCRIPTION.events);
    assert.deepEqual(picks.filter((p) => p.picked).map((p) => p.event), ['*:failed,completed', 'job_step:stop']);
    const extra = eventPicks(subscriptionEventChoices({}), ['other_step:failed']);
    assert.deepEqual(extra.at(-1), { event: 'other_step:failed', target: 'other_step', picked: true });
  });

  it('checks typed topic URNs: full URNs pass, a bare topic name passes with a warning, anything else is refused', () => {
    assert.deepEqual(parseTopicUrns(` ${URN}, ,fengbin26 `), [URN, 'fengbin26']);
    assert.equal(topicUrnsReason(URN, l10n), undefined);
    assert.equal(topicUrnsWarning(URN, l10n), undefined);
    // The seed example's bare name.
    assert.equal(topicUrnsReason('fengbin26', l10n), undefined);
    assert.match(topicUrnsWarning(`${URN}, fengbin26`, l10n) ?? '', /^fengbin26: a topic name, not a full URN/);
    assert.equal(topicUrnsReason('  , ', l10n), 'Enter at least one SMN topic URN.');
    assert.match(topicUrnsReason(`${URN}, urn:smn:bad region`, l10n) ?? '', /'urn:smn:bad region' is not an SMN topic URN/);
  });

  it('names the subscription ids the workflow gives, or none', () => {
    assert.deepEqual(subscriptionIdsOf({ subscription_id: 'abc' }), ['abc']);
    assert.deepEqual(subscriptionIdsOf({}), []);
    assert.deepEqual(subscriptionIdsOf({ subscription_id: '' }), []);
  });

  it('has a details document per subscription', () => {
    const target = { kind: 'subscription', workflowId: WF, subscriptionId: MANUAL_SUBSCRIPTION.subscription_id } as const;
    const path = detailsPath('default', target);
    assert.equal(path, `/default/workflow/${WF}/subscription/${MANUAL_SUBSCRIPTION.subscription_id}.json`);
    assert.deepEqual(parseDetailsPath(path), { profile: 'default', target });
  });
});

describe('subscriptions against the emulator', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let client: ModelArtsClient;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
    client = emulatorClient(emu, clock);
  });
  after(async () => {
    client.dispose();
    await emu.close();
  });

  const subscriptionRequests = (): string[] => emu.requests.filter((r) => r.service === 'modelarts' && /\/subscriptions/.test(r.path)).map((r) => `${r.method} ${r.path}`);

  it('the demo workflow offers its steps and names its seeded subscription', async () => {
    const wf = await client.workflows.get(WF, {});
    assert.deepEqual(subscriptionIdsOf(wf), [MANUAL_SUBSCRIPTION.subscription_id]);
    const events = subscriptionEventChoices(wf).map((c) => c.event);
    for (const step of wf.steps ?? []) assert.ok(events.includes(`${step.name}:stop`), step.name);
    assert.ok(events.includes('job_step:stop'));
    const doc = (await fetchDetails(client, { kind: 'subscription', workflowId: WF, subscriptionId: MANUAL_SUBSCRIPTION.subscription_id })) as { events: string[] };
    assert.deepEqual(doc.events, MANUAL_SUBSCRIPTION.events);
  });

  it('bad input sends nothing; the same call with good input sends one request', async () => {
    const calls = subscriptionCalls(client.workflows);
    const before = subscriptionRequests().length;
    assert.throws(() => subscriptionRequest('not a urn!', ['*:failed'], l10n), /'not a urn!' is not an SMN topic URN/);
    assert.throws(() => subscriptionRequest(URN, ['*:exploded'], l10n), /'\*:exploded' is not a subscription event/);
    assert.throws(() => subscriptionRequest('', ['*:failed'], l10n), /at least one SMN topic URN/);
    // Straight to the API with a bad event: refused before sending too.
    await assert.rejects(calls.create(WF, { topic_urns: [URN], events: ['job_step'] }), /must look like/);
    assert.equal(subscriptionRequests().length, before, '0 requests for bad input');
    // Positive control: the good request is sent.
    const created = await calls.create(WF, subscriptionRequest(URN, ['*:failed'], l10n));
    assert.equal(subscriptionRequests().length, before + 1);
    await calls.delete(WF, created.subscription_id);
  });

  it('create → get → update → delete, and the workflow names the new subscription while it exists', async () => {
    const calls = subscriptionCalls(client.workflows);
    const request = subscriptionRequest(`${URN}, fengbin26`, ['*:failed,completed', 'job_step:stop'], l10n);
    assert.deepEqual(request, { topic_urns: [URN, 'fengbin26'], events: ['*:failed,completed', 'job_step:stop'] });
    const created = await calls.create(WF, request);
    assert.match(created.subscription_id, /\S/);
    assert.deepEqual(created.events, request.events);
    assert.deepEqual(subscriptionIdsOf(await client.workflows.get(WF, {})), [created.subscription_id]);

    const got = await calls.get(WF, created.subscription_id);
    assert.deepEqual(got.topic_urns, [URN, 'fengbin26']);

    const updated = await calls.update(WF, created.subscription_id, subscriptionRequest(URN, ['*:stopped'], l10n, got.entity));
    assert.deepEqual(updated.topic_urns, [URN]);
    assert.deepEqual(updated.events, ['*:stopped']);
    assert.equal(updated.entity, got.entity, 'the entity is kept');
    assert.deepEqual((await calls.get(WF, created.subscription_id)).events, ['*:stopped']);

    await calls.delete(WF, created.subscription_id);
    await assert.rejects(calls.get(WF, created.subscription_id), (error: unknown) => isModelArtsError(error) && error.code === 'ModelArts.7519');
    assert.deepEqual(subscriptionIdsOf(await client.workflows.get(WF, {})), [MANUAL_SUBSCRIPTION.subscription_id], 'back to the seeded one');
  });

  it('a subscription that is gone (400 ModelArts.7519) gets a plain message; other errors get none', async () => {
    const calls = subscriptionCalls(client.workflows);
    const missing = '00000000-0000-4000-8000-000000000000';
    let caught: unknown;
    try {
      await calls.get(WF, missing);
    } catch (error) {
      caught = error;
    }
    assert.ok(isModelArtsError(caught) && caught.status === 400 && caught.code === 'ModelArts.7519', String(caught));
    assert.equal(
      subscriptionGoneMessage(caught, { subscriptionId: missing, workflowName: 'train-and-deploy' }, l10n),
      `Subscription ${missing} of workflow train-and-deploy no longer exists.`,
    );
    await assert.rejects(calls.delete(WF, missing), (error: unknown) => subscriptionGoneMessage(error, { subscriptionId: missing, workflowName: 'w' }, l10n) !== undefined);
    assert.equal(subscriptionGoneMessage(new Error('boom'), { subscriptionId: missing, workflowName: 'w' }, l10n), undefined);
  });
});

describe('subscriptions: contributions and translations', () => {
  const matches = (when: string, contextValue: string): boolean => {
    assert.ok(when.startsWith('view == modelarts.explorer && '), when);
    const regexes = [...when.matchAll(/viewItem =~ \/([^/]+)\//g)].map((m) => new RegExp(m[1] ?? ''));
    if (regexes.length > 1) assert.match(when, /&& \(viewItem =~ .*\)$/, `every || parenthesised: ${when}`);
    return regexes.some((r) => r.test(contextValue));
  };

  it('contributes the four commands on workflow rows only, with Chinese titles; Create App is on the Apps group', () => {
    const c = contributionsOf(['modelarts.subscription.']);
    assert.deepEqual(
      c.commands.map((x) => [x.command, x.title]),
      [
        ['modelarts.subscription.create', 'Create Subscription'],
        ['modelarts.subscription.show', 'Show Subscription'],
        ['modelarts.subscription.update', 'Update Subscription'],
        ['modelarts.subscription.delete', 'Delete Subscription'],
      ],
    );
    for (const cmd of c.commands) assert.ok(c.zh[cmd.title], `zh title for ${cmd.title}`);
    const menus = c.menus['view/item/context'];
    assert.equal(menus.length, 4);
    for (const entry of menus) {
      assert.match(entry.group, /^4_subscription@\d$/);
      assert.ok(matches(entry.when, ';resource;workflow;completed;refreshable;'), entry.command);
      assert.ok(!matches(entry.when, ';resource;execution;completed;refreshable;'), `${entry.command} not on an execution`);
    }
    const app = contributionsOf(['modelarts.app.create']).menus['view/item/context'];
    assert.ok(app.some((m) => matches(m.when, ';group;apps;refreshable;')), 'on the Apps group');
    assert.ok(app.some((m) => matches(m.when, ';resource;workspace;normal;refreshable;')), 'still on the workspace');
    assert.ok(!app.some((m) => matches(m.when, ';group;notebooks;refreshable;')), 'not on other groups');
  });

});
