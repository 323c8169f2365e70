import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  allowedExecutionActions,
  allowedStepActions,
  normalizeImageTag,
  topicUrnWarning,
  validateAppName,
  validateAppRemark,
  validateExecutionAction,
  validateImageDescription,
  validateImageName,
  validateImageNamespace,
  validateImageTag,
  validateNotebookAction,
  validateNotebookDescription,
  validateNotebookDuration,
  validateNotebookName,
  validatePageSize,
  validateQuotaValue,
  validateStepAction,
  validateSubscriptionEvent,
  validateSubscriptionRequest,
  validateTagKey,
  validateTagValue,
  validateTopicUrn,
  validateTrainingJobName,
  validateWorkspaceId,
} from '../../../src/api/validate';

const ok = (reason: string | undefined) => assert.equal(reason, undefined);
const bad = (reason: string | undefined, pattern: RegExp) => {
  assert.ok(reason !== undefined, 'expected a reason');
  assert.match(reason, pattern);
};

describe('save image inputs', () => {
  it('[Q22] name: required, ≤512, [a-z0-9._-]', () => {
    ok(validateImageName('imagesave'));
    ok(validateImageName('a.b_c-1'));
    ok(validateImageName('a'.repeat(512)));
    bad(validateImageName(''), /required/);
    bad(validateImageName('a'.repeat(513)), /512/);
    bad(validateImageName('Image'), /lower-case/);
    bad(validateImageName('my image'), /lower-case/);
    bad(validateImageName('a/b'), /lower-case/);
  });
  it('[Q22] namespace: required, starts with a letter, lower-case, ≤64', () => {
    ok(validateImageNamespace('dev'));
    ok(validateImageNamespace('team-1.ml_x'));
    ok(validateImageNamespace('a'.repeat(64)));
    bad(validateImageNamespace(''), /required/);
    bad(validateImageNamespace('a'.repeat(65)), /64/);
    bad(validateImageNamespace('1team'), /start with a lower-case letter/);
    bad(validateImageNamespace('Team'), /start with a lower-case letter/);
    bad(validateImageNamespace('te am'), /only/);
    // SWR's rule for organization names (Creating an Organization): the end, and separators next to each other.
    ok(validateImageNamespace('a__b'));
    ok(validateImageNamespace('a1'));
    bad(validateImageNamespace('a.'), /end with a lower-case letter or a digit/);
    bad(validateImageNamespace('a_'), /end with/);
    for (const adjacent of ['a._b', 'a-.b', 'a___b', 'a..b', 'a_-b']) bad(validateImageNamespace(adjacent), /next to each other/);
  });
  it('[Q22] tag: ≤64 [A-Za-z0-9._-], empty means latest, a number is its text', () => {
    ok(validateImageTag(undefined));
    ok(validateImageTag(''));
    ok(validateImageTag('V1.0_rc-2'));
    ok(validateImageTag(0.1));
    ok(validateImageTag('a'.repeat(64)));
    bad(validateImageTag('a'.repeat(65)), /64/);
    bad(validateImageTag('v1 0'), /only/);
    bad(validateImageTag('v1:0'), /only/);
    bad(validateImageTag(Number.NaN), /finite/);
    assert.equal(normalizeImageTag(undefined), 'latest');
    assert.equal(normalizeImageTag(''), 'latest');
    assert.equal(normalizeImageTag(0.1), '0.1');
    assert.equal(normalizeImageTag('v2'), 'v2');
  });
  it('description ≤512', () => {
    ok(validateImageDescription(undefined));
    ok(validateImageDescription('x'.repeat(512)));
    bad(validateImageDescription('x'.repeat(513)), /512/);
  });
});

describe('notebook inputs', () => {
  it('[Q22] duration: 1 h to 72 h in whole ms, or none', () => {
    ok(validateNotebookDuration(3_600_000));
    ok(validateNotebookDuration(259_200_000));
    ok(validateNotebookDuration('none'));
    bad(validateNotebookDuration(3_599_999), /1 hour to 72 hours/);
    bad(validateNotebookDuration(259_200_001), /1 hour to 72 hours/);
    bad(validateNotebookDuration(3_600_000.5), /whole/);
    bad(validateNotebookDuration(-1), /1 hour/);
  });
  it('name and description', () => {
    ok(validateNotebookName('notebooks_test'));
    bad(validateNotebookName(''), /required/);
    bad(validateNotebookName('nb 1'), /only/);
    bad(validateNotebookName('n'.repeat(129)), /128/);
    ok(validateNotebookDescription('api-test'));
    bad(validateNotebookDescription('a<b'), /must not contain/);
    bad(validateNotebookDescription('a/b'), /must not contain/);
  });
  it('start/stop by state', () => {
    ok(validateNotebookAction('start', 'STOPPED'));
    ok(validateNotebookAction('start', undefined));
    bad(validateNotebookAction('start', 'RUNNING'), /cannot be started while it is RUNNING/);
    ok(validateNotebookAction('stop', 'RUNNING'));
    bad(validateNotebookAction('stop', 'STOPPED'), /cannot be stopped/);
  });
});

describe('training job inputs', () => {
  it('job name 1–64 letters, digits, _ -', () => {
    ok(validateTrainingJobName('TestModelArtsJob2'));
    bad(validateTrainingJobName(''), /required/);
    bad(validateTrainingJobName('a'.repeat(65)), /64/);
    bad(validateTrainingJobName('job.1'), /only/);
  });
  it('[Q22] tag key and value', () => {
    ok(validateTagKey('111'));
    ok(validateTagKey('k3'));
    ok(validateTagKey('项目'));
    ok(validateTagKey('team:ml=1+2-3@x_y.z'));
    bad(validateTagKey(''), /required/);
    bad(validateTagKey(' k'), /space/);
    bad(validateTagKey('k'.repeat(129)), /128/);
    bad(validateTagKey('_sys_x'), /_sys_/);
    bad(validateTagKey('a/b'), /only/);
    ok(validateTagValue(''));
    ok(validateTagValue('v2'));
    ok(validateTagValue('a/b'));
    bad(validateTagValue('v'.repeat(256)), /255/);
    bad(validateTagValue('a#b'), /only/);
  });
});

describe('quota value', () => {
  const limits = { min_quota: -1, max_quota: 60000 };
  it('a whole number within [min, max], or -1 when allowed', () => {
    ok(validateQuotaValue(20, limits));
    ok(validateQuotaValue('60000', limits));
    ok(validateQuotaValue(-1, limits));
    ok(validateQuotaValue(' 7 '));
    bad(validateQuotaValue(60001, limits), /at most 60000/);
    bad(validateQuotaValue(0, limits), /positive/);
    bad(validateQuotaValue(-2, limits), /positive/);
    bad(validateQuotaValue('1.5', limits), /whole/);
    bad(validateQuotaValue('ten', limits), /whole/);
    bad(validateQuotaValue(2.5, limits), /whole/);
    bad(validateQuotaValue(5, { min_quota: 10, max_quota: 20 }), /at least 10/);
    bad(validateQuotaValue(-1, limits, false), /cannot be unlimited/);
  });
});

describe('subscriptions', () => {
  it('topic URN: full URN or (as the manual does) a bare topic name', () => {
    ok(validateTopicUrn('urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:my_topic'));
    ok(validateTopicUrn('fengbin26'));
    bad(validateTopicUrn(''), /required/);
    bad(validateTopicUrn('urn:smn:cn-north-4:proj'), /not an SMN topic URN/);
    bad(validateTopicUrn('has space'), /not an SMN topic URN/);
    assert.match(topicUrnWarning('fengbin26') ?? '', /topic name, not a full URN/);
    assert.equal(topicUrnWarning('urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:t'), undefined);
  });
  it('events: <step or *>:<status>[,<status>…]', () => {
    ok(validateSubscriptionEvent('*:failed,completed'));
    ok(validateSubscriptionEvent('job_step:stop'));
    ok(validateSubscriptionEvent('model_step:running'));
    ok(validateSubscriptionEvent('*:abnormal'));
    bad(validateSubscriptionEvent(''), /required/);
    bad(validateSubscriptionEvent('failed'), /must look like/);
    bad(validateSubscriptionEvent('*:'), /empty status/);
    bad(validateSubscriptionEvent('*:failed,,completed'), /empty status/);
    bad(validateSubscriptionEvent('*:exploded'), /unknown status 'exploded'/);
    bad(validateSubscriptionEvent('a b:failed'), /neither \* nor a step name/);
    bad(validateSubscriptionEvent('*: failed'), /unknown status ' failed'/);
  });
  it('a whole request', () => {
    ok(validateSubscriptionRequest({ topic_urns: ['fengbin26'], entity: '238947895793875835893490', events: ['*:failed,completed', 'job_step:stop'] }));
    bad(validateSubscriptionRequest({ topic_urns: [] }), /At least one topic/);
    bad(validateSubscriptionRequest({ topic_urns: ['t'], events: ['nope'] }), /must look like/);
  });
});

describe('workflow actions by state', () => {
  it('step actions', () => {
    for (const s of ['running', 'pending', 'creating', 'created', 'wait_inputs', 'hold']) ok(validateStepAction('stop', s));
    for (const s of ['failed', 'stopped', 'timeout', 'create_failed']) ok(validateStepAction('retry', s));
    for (const s of ['wait_inputs', 'hold']) ok(validateStepAction('continue', s));
    bad(validateStepAction('stop', 'completed'), /cannot stop/);
    bad(validateStepAction('retry', 'running'), /cannot retry/);
    bad(validateStepAction('continue', 'running'), /cannot continue/);
    ok(validateStepAction('stop', undefined));
    assert.deepEqual(allowedStepActions('wait_inputs'), ['stop', 'continue']);
    assert.deepEqual(allowedStepActions('failed'), ['retry']);
    assert.deepEqual(allowedStepActions('completed'), []);
  });
  it('execution actions', () => {
    ok(validateExecutionAction('stop', 'running'));
    ok(validateExecutionAction('stop', 'init'));
    for (const s of ['completed', 'stopped', 'abnormal']) ok(validateExecutionAction('rerun', s));
    bad(validateExecutionAction('stop', 'completed'), /cannot stop/);
    bad(validateExecutionAction('rerun', 'running'), /cannot rerun/);
    assert.deepEqual(allowedExecutionActions('running'), ['stop']);
    assert.deepEqual(allowedExecutionActions('stopped'), ['rerun']);
  });
});

describe('other inputs', () => {
  it('workspace ids', () => {
    ok(validateWorkspaceId('0'));
    ok(validateWorkspaceId('7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b'));
    bad(validateWorkspaceId('default'), /"0" or 32/);
    bad(validateWorkspaceId('7C4A2F1E9B3D4E6F8A0B1C2D3E4F5A6B'), /"0" or 32/);
  });
  it('page sizes', () => {
    ok(validatePageSize(20, [10, 20, 50]));
    bad(validatePageSize(25, [10, 20, 50]), /one of 10, 20, 50/);
    ok(validatePageSize(50, { min: 1, max: 50 }));
    bad(validatePageSize(51, { min: 1, max: 50 }), /1 to 50/);
    bad(validatePageSize(0, { min: 1, max: 50 }), /1 to 50/);
  });
  it('app name and remark', () => {
    ok(validateAppName('my_app1'));
    bad(validateAppName(''), /required/);
    bad(validateAppName('ab'), /3 to 64/);
    bad(validateAppName('1app'), /start with a letter/);
    bad(validateAppName('my-app'), /start with a letter and contain only/);
    ok(validateAppRemark('r'.repeat(200)));
    bad(validateAppRemark('r'.repeat(201)), /200/);
  });
});
