// The bundles' stand-in for `node-fetch`: the library lives in its own bundle (dist/nodeFetch.js), required by
// the client with its first request (src/api/transport.ts), so activation does not parse it and the features
// loaded on first use share one copy.
const { join } = require('node:path');

module.exports = require(join(__dirname, 'nodeFetch.js'));
