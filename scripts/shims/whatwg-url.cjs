// node-fetch v2 uses Node's own URL when it exists (always, on the Node versions VS Code ships);
// this stands in for the whatwg-url package so the bundle does not carry its Unicode tables.
module.exports = { URL: globalThis.URL };
