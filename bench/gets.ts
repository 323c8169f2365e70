// 1,000 signed GETs with our client versus the official SDK core client (HcClient + BasicCredentials, endpoint
// override) and the floor: a bare `http.request` over a keep-alive agent with headers signed once in advance, the
// same request from all three, interleaved round by round (the order rotating) against one emulator process.
// What each client costs is its time above the floor.

import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createClient } from '../src/api/client';
import { formatSdkDate, sign } from '../src/api/signer';
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
// Enough for the JIT to settle in all three (100 left the first round of each several times slower).
const WARMUP = 500;

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
  // The floor: the same GET, signed once (the signature stays valid for the run), over a keep-alive agent.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(`${target.endpoint}/v1/${target.projectId}/workspaces?limit=1`);
  const unsigned = { host: url.host, 'x-sdk-date': formatSdkDate(new Date()), 'content-type': 'application/json' };
  const signed = { ...unsigned, authorization: sign({ method: 'GET', path: url.pathname, query: [['limit', '1']], headers: unsigned }, { ak: target.ak, sk: target.sk }).authorization };
  const floorGet = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(url, { agent, headers: signed }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { workspaces?: unknown[] };
          if (response.statusCode !== 200 || body.workspaces?.length !== 1) reject(new Error(`floor: ${response.statusCode}`));
          else resolve();
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  const time = async (get: () => Promise<void>, n: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await get();
    return performance.now() - t0;
  };

  const gets = { ours: oursGet, official: officialGet, floor: floorGet };
  type Who = keyof typeof gets;
  const order: Who[] = ['ours', 'official', 'floor'];
  for (const who of order) await time(gets[who], WARMUP);
  const ms: Record<Who, number[]> = { ours: [], official: [], floor: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // The order rotates so that none always runs first, on a colder or a warmer emulator.
    for (let k = 0; k < order.length; k++) {
      const who = order[(round + k) % order.length];
      ms[who].push(await time(gets[who], CALLS));
    }
  }
  // What the floor leaves out and every real client must do: sign each call (a new X-Sdk-Date every second).
  const signMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const s0 = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const headers = { ...unsigned, 'x-sdk-date': formatSdkDate(new Date(Date.now() + i * 1000)) };
      sign({ method: 'GET', path: url.pathname, query: [['limit', '1']], headers }, { ak: target.ak, sk: target.sk });
    }
    signMs.push(performance.now() - s0);
  }
  // Per round: each client's overhead above that round's floor, in ms per call, and the ratios.
  const oursOverhead = ms.ours.map((t, i) => (t - ms.floor[i]) / CALLS);
  const officialOverhead = ms.official.map((t, i) => (t - ms.floor[i]) / CALLS);
  const overheadRatios = oursOverhead.map((o, i) => o / officialOverhead[i]);
  const floorRatios = ms.ours.map((t, i) => t / ms.floor[i]);
  const ratios = ms.ours.map((t, i) => t / ms.official[i]);
  agent.destroy();
  ours.dispose();
  emit({
    calls: CALLS,
    rounds: ROUNDS,
    oursMs: ms.ours,
    officialMs: ms.official,
    floorMs: ms.floor,
    signMs,
    oursOverheadMs: oursOverhead,
    officialOverheadMs: officialOverhead,
    overheadRatios,
    floorRatios,
    ratios,
    medianRatio: median(ratios),
  });
});
