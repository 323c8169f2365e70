// `uuid` as far as the SDK core uses it (see sdkPreload.cjs).
'use strict';
exports.v4 = () => require('node:crypto').randomUUID();
