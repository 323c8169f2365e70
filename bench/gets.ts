// 1,000 signed GETs with our client versus the official SDK core client (HcClient + BasicCredentials, endpoint
// override), the same request from both, interleaved round by round against one emulator process.

import { performance } from 'node:perf_hooks';
import { createClient } from '../src/api/client';
import { emit, median, run, targetFromEnv } from './lib';

interface SdkRequestOptions {
  method: string;
  url: string;
  contentType: string;
  pathParams: Record<string, string>;
  queryParams: Record<string, unknown>;
  headers: Record<string, string>;
}
interface SdkClient {
  sendRequest(options: SdkRequestOptions): Promise<{ httpStatusCode: number; workspaces?: unknown[] }>;
}
// The SDK ships no types the bench can lean on for these internals: typed here just as far as used.
/* eslint-disable @typescript-eslint/no-require-imports */
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder') as {
  ClientBuilder: new (init: (client: SdkClient) => SdkClient) => {
    withCredential(c: unknown): { withEndpoint(e: string): { build(): SdkClient } };
  };
};
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials') as {
  BasicCredentials: new () => { withAk(ak: string): { withSk(sk: string): { withProjectId(p: string): unknown } } };
};
/* eslint-enable @typescript-eslint/no-require-imports */

const CALLS = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 100;

run(async () => {
  const target = targetFromEnv();
  const ours = createClient({
    region: target.region,
    endpoint: target.endpoint,
    iamEndpoint: target.iamEndpoint,
    credentials: { kind: 'aksk', ak: target.ak, sk: target.sk },
    projectId: target.projectId,
  });
  const credentials = new BasicCredentials().withAk(target.ak).withSk(target.sk).withProjectId(target.projectId);
  const official = new ClientBuilder((c) => c).withCredential(credentials).withEndpoint(target.endpoint).build();

  // The same call from both: GET /v1/{project_id}/workspaces?limit=1, signed with AK/SK.
  const oursGet = async (): Promise<void> => {
    const r = await ours.connection.http.send<{ workspaces: unknown[] }>({
      method: 'GET',
      path: `/v1/${target.projectId}/workspaces`,
      query: { limit: 1 },
      operation: 'workspaces.list',
    });
    if (r.status !== 200 || r.body.workspaces.length !== 1) throw new Error(`ours: ${r.status}`);
  };
  const officialGet = async (): Promise<void> => {
    const r = await official.sendRequest({
      method: 'GET',
      url: '/v1/{project_id}/workspaces',
      contentType: 'application/json',
      pathParams: {},
      queryParams: { limit: 1 },
      headers: {},
    });
    if (r.httpStatusCode !== 200 || r.workspaces?.length !== 1) throw new Error(`official: ${r.httpStatusCode}`);
  };
  const time = async (get: () => Promise<void>, n: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await get();
    return performance.now() - t0;
  };

  await time(oursGet, WARMUP);
  await time(officialGet, WARMUP);
  const oursMs: number[] = [];
  const officialMs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first so neither always runs on a warmer emulator.
    let a: number;
    let b: number;
    if (round % 2 === 0) {
      a = await time(oursGet, CALLS);
      b = await time(officialGet, CALLS);
    } else {
      b = await time(officialGet, CALLS);
      a = await time(oursGet, CALLS);
    }
    oursMs.push(a);
    officialMs.push(b);
    ratios.push(a / b);
  }
  ours.dispose();
  emit({ calls: CALLS, rounds: ROUNDS, oursMs, officialMs, ratios, medianRatio: median(ratios) });
});
