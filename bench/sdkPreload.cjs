// Preloaded (node -r) where the official SDK core is loaded. @huaweicloud/huaweicloud-sdk-core 3.1.211 requires
// `uuid` (http/DefaultUserAgent.js, for one v4() id) without declaring it, so a clean install lacks it; this
// answers `uuid` with node:crypto's randomUUID. It is lighter than the real package, which favours the SDK.
'use strict';
const Module = require('node:module');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  try {
    return resolve.call(this, request, ...rest);
  } catch (error) {
    if (request !== 'uuid') throw error;
    return __filename.replace(/sdkPreload\.cjs$/, 'sdkUuid.cjs');
  }
};
