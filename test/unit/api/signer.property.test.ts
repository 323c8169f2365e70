import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildQueryPairs, buildRequestUrl, type QueryValue } from '../../../src/api/http';
import { parseQueryString, sign } from '../../../src/api/signer';
import { seededRandom } from '../helpers/fakeServer';

// The official Huawei Cloud Node SDK signer, as a reference implementation (dev dependency only).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner') as {
  AKSKSigner: {
    sign(
      request: { method: string; endpoint: string; headers: Record<string, string>; queryParams: Record<string, string | string[]>; data?: unknown },
      credential: { getAk(): string; getSk(): string },
    ): Record<string, string>;
  };
};

const SEED = 20260101;
const CASES = 400;

const WORDS = ['demo', 'job', '训练', '作业', 'a b', 'x+y', 'a&b=c', '100%', 'slash/path', 'tilde~ok', 'Ünïcödé', '😀', 'quote"s', "it's", '(paren)*!', ''];
const STATUSES = ['Running', 'Completed', 'Failed', 'RUNNING', 'STOPPED', 'Creating'];
const HOSTS = ['modelarts.cn-north-4.myhuaweicloud.com', 'modelarts.ap-southeast-1.myhuaweicloud.cn', '127.0.0.1:8443'];

function makeGenerators(random: () => number) {
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`;
  const text = (): string => Array.from({ length: 1 + int(3) }, () => pick(WORDS)).join(pick([' ', '-', '', ' 中 ']));

  const path = (): string => {
    const pid = hex(32);
    const options = [
      `/v1/${pid}/notebooks`,
      `/v1/${pid}/notebooks/${uuid()}`,
      `/v1/${pid}/notebooks/${uuid()}/start`,
      `/v1/${pid}/notebooks/${uuid()}/lease`,
      `/v2/${pid}/training-jobs/${uuid()}`,
      `/v2/${pid}/training-jobs/${uuid()}/tasks/worker-${int(8)}/logs/preview`,
      `/v2/${pid}/training-jobs/${uuid()}/tasks/worker-${int(8)}/save-image-job`,
      `/v2/${pid}/training-job-searches`,
      `/v2/${pid}/workflows/${uuid()}/executions/${uuid()}/step-executions/${uuid()}/actions`,
      `/v1/${pid}/workspaces/${hex(32)}/quotas`,
      `/v1/${pid}/app-auth/apps`,
      `/v3/projects`,
    ];
    return pick(options);
  };

  const query = (): Record<string, QueryValue> => {
    const q: Record<string, QueryValue> = {};
    const keys = ['limit', 'offset', 'status', 'name', 'sort_by', 'workspace_id', 'type', 'duration', 'filter', 'x_under', 'Upper'];
    const count = int(6);
    for (let i = 0; i < count; i++) {
      const key = pick(keys);
      switch (int(6)) {
        case 0:
          q[key] = int(1000);
          break;
        case 1:
          q[key] = random() < 0.5;
          break;
        case 2:
          q[key] = Array.from({ length: 1 + int(4) }, () => pick([...STATUSES, text()]));
          break;
        case 3:
          q[key] = [int(50), int(50), String(int(50))];
          break;
        default:
          q[key] = text();
      }
    }
    if (random() < 0.1) q.skipped = undefined;
    return q;
  };

  const body = (): unknown => {
    if (random() < 0.35) return undefined;
    return {
      kind: 'job',
      metadata: { name: text(), description: text(), labels: { [pick(['env', '环境', 'a b'])]: text() } },
      spec: { replicas: int(8), enabled: random() < 0.5, ratio: int(100) / 7, tags: [text(), text()], nothing: null },
    };
  };

  const headers = (): Record<string, string> => {
    const h: Record<string, string> = { 'Content-Type': pick(['application/json', 'application/json;charset=UTF-8']), 'X-Project-Id': hex(32) };
    if (random() < 0.5) h['X-Security-Token'] = `${hex(20)}+/=${hex(10)}`;
    if (random() < 0.3) h['X-Language'] = pick(['en-us', 'zh-cn']);
    return h;
  };

  const date = (): string => {
    const d = new Date(Date.UTC(2020 + int(8), int(12), 1 + int(28), int(24), int(60), int(60)));
    return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  };

  return { int, pick, path, query, body, headers, date };
}

/** The query in the shape the official signer takes: each key once, arrays for repeated values. */
function officialQuery(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of pairs) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

describe(`signer property test: ours vs the official Node SDK signer (${CASES} seeded cases, seed ${SEED})`, () => {
  it('identical signatures for realistic ModelArts requests', () => {
    const random = seededRandom(SEED);
    const gen = makeGenerators(random);
    let withBody = 0;
    let withRepeatedKeys = 0;
    let withNonAscii = 0;
    for (let i = 0; i < CASES; i++) {
      const method = gen.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
      const host = gen.pick(HOSTS);
      const path = gen.path();
      const query = gen.query();
      const data = method === 'GET' || method === 'DELETE' ? undefined : gen.body();
      const headers = { ...gen.headers(), 'X-Sdk-Date': gen.date(), host };
      const pairs = buildQueryPairs(query);
      const bodyText = data === undefined ? undefined : JSON.stringify(data);
      if (bodyText) withBody++;
      if (new Set(pairs.map(([k]) => k)).size < pairs.length) withRepeatedKeys++;
      if (/[^\x20-\x7e]/.test(JSON.stringify(pairs) + (bodyText ?? ''))) withNonAscii++;

      const ours = sign({ method, path, query: pairs, headers, body: bodyText }, { ak: 'AK_PROPERTY', sk: `SK_${i}` });
      const theirs = AKSKSigner.sign(
        { method, endpoint: `https://${host}${path}`, headers: { ...headers }, queryParams: officialQuery(pairs), data },
        { getAk: () => 'AK_PROPERTY', getSk: () => `SK_${i}` },
      );
      assert.equal(ours.authorization, theirs.Authorization, `case ${i}: ${method} ${path} ${JSON.stringify(pairs)}`);
    }
    // The generator really produced the hard cases.
    assert.ok(withBody > CASES / 5, `bodies: ${withBody}`);
    assert.ok(withRepeatedKeys > CASES / 10, `repeated keys: ${withRepeatedKeys}`);
    assert.ok(withNonAscii > CASES / 5, `non-ASCII: ${withNonAscii}`);
  });

  it('negative control: a one-character change in the body changes the official signature', () => {
    const base = { method: 'POST', endpoint: 'https://h/v1/x', headers: { 'X-Sdk-Date': '20240101T000000Z', host: 'h' }, queryParams: {} };
    const cred = { getAk: () => 'a', getSk: () => 'b' };
    const a = AKSKSigner.sign({ ...base, data: { n: '一' } }, cred).Authorization;
    const b = AKSKSigner.sign({ ...base, data: { n: '二' } }, cred).Authorization;
    assert.notEqual(a, b);
    const ours = sign({ method: 'POST', path: '/v1/x', query: [], headers: base.headers, body: JSON.stringify({ n: '一' }) }, { ak: 'a', sk: 'b' });
    assert.equal(ours.authorization, a);
  });

  it('the on-the-wire query our client builds parses back to the same pairs', () => {
    const gen = makeGenerators(seededRandom(SEED + 1));
    for (let i = 0; i < CASES; i++) {
      const pairs = buildQueryPairs(gen.query());
      const url = new URL(buildRequestUrl('https://modelarts.cn-north-4.myhuaweicloud.com', gen.path(), pairs));
      assert.deepEqual(parseQueryString(url.search.slice(1)), pairs, `case ${i}`);
      // The URL parser leaves the query exactly as encoded: what is signed is what is sent.
      assert.equal(url.search.slice(1), pairs.map(([k, v]) => `${encodeURIComponentStrict(k)}=${encodeURIComponentStrict(v)}`).join('&'));
    }
  });
});

/** RFC 3986 encoding, independent of the signer's own, as a cross-check. */
function encodeURIComponentStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
