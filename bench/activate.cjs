// One cold load + activate of dist/extension.js in this fresh process, with bench/vscodeStandIn.cjs as `vscode`.
// Prints one JSON line: { loadMs, activateMs, totalMs }.
'use strict';
const Module = require('node:module');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const root = join(__dirname, '..');
const standIn = require('./vscodeStandIn.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? require.resolve('./vscodeStandIn.cjs') : resolve.call(this, request, ...rest);
};

const t0 = performance.now();
const extension = require(join(root, 'dist', 'extension.js'));
const t1 = performance.now();
const context = standIn.makeContext(root);
Promise.resolve(extension.activate(context)).then(async () => {
  const t2 = performance.now();
  process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0 })}\n`);
  for (const d of context.subscriptions) d?.dispose?.();
  await extension.deactivate?.();
  process.exit(0);
});
