// Preloaded (`node -r`) by bench modules that render tree items: `vscode` resolves to bench/vscodeStandIn.cjs.
'use strict';
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? require.resolve('./vscodeStandIn.cjs') : resolve.call(this, request, ...rest);
};
