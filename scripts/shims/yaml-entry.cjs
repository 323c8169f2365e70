// Entry of dist/yaml.js: the YAML library on its own, loaded on demand by the extension.
module.exports = require('yaml');
