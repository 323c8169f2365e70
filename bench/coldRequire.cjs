// One cold require in this fresh process: `ours` (bench/.build/apiClient.cjs, the client-only bundle of src/api)
// or `sdk` (@huaweicloud/huaweicloud-sdk-core: its entry, which holds the credentials, plus the ClientBuilder and
// HcClient that every generated service client requires). Prints one JSON line: { ms }.
'use strict';
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const which = process.argv[2];
const sdk = '@huaweicloud/huaweicloud-sdk-core';
const t0 = performance.now();
const loaded =
  which === 'ours'
    ? require(join(__dirname, '.build', 'apiClient.cjs'))
    : { ...require(sdk), ...require(`${sdk}/ClientBuilder`), ...require(`${sdk}/HcClient`) };
const ms = performance.now() - t0;
// Positive control: what was loaded can build a client.
const ok =
  which === 'ours'
    ? typeof loaded.createClient === 'function'
    : typeof loaded.ClientBuilder === 'function' && typeof loaded.HcClient === 'function' && typeof loaded.BasicCredentials === 'function';
if (!ok) throw new Error(`${which}: unexpected exports`);
process.stdout.write(`${JSON.stringify({ ms })}\n`);
