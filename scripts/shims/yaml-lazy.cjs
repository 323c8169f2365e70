// The extension bundle's stand-in for the `yaml` package: the library lives in its own bundle (dist/yaml.js)
// and is loaded on first use, so activation does not pay for it. Each export is a getter, so the load
// happens when a spec is parsed or written, not when this module is imported.
const { join } = require('node:path');

let lib;
const load = () => (lib ??= require(join(__dirname, 'yaml.js')));

for (const name of ['parse', 'parseDocument', 'stringify', 'YAMLParseError', 'Document', 'LineCounter']) {
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => load()[name] });
}
