// Stand-in for the full `highlight.js` package inside the bundle (see scripts/build.mjs):
// cli-highlight requires all ~190 grammars; the bank uses a handful, so register only those and
// `show`/`drill` start-up pays for these few. CommonJS on purpose: cli-highlight require()s it
// and expects module.exports to be the hljs object itself. Literal require() calls so the
// bundler includes exactly these grammars.
const hljs = require('highlight.js/lib/core');

hljs.registerLanguage('bash', require('highlight.js/lib/languages/bash'));
hljs.registerLanguage('django', require('highlight.js/lib/languages/django'));
hljs.registerLanguage('ini', require('highlight.js/lib/languages/ini'));
hljs.registerLanguage('javascript', require('highlight.js/lib/languages/javascript'));
hljs.registerLanguage('json', require('highlight.js/lib/languages/json'));
hljs.registerLanguage('plaintext', require('highlight.js/lib/languages/plaintext'));
hljs.registerLanguage('python', require('highlight.js/lib/languages/python'));
hljs.registerLanguage('sql', require('highlight.js/lib/languages/sql'));
hljs.registerLanguage('xml', require('highlight.js/lib/languages/xml'));
hljs.registerLanguage('yaml', require('highlight.js/lib/languages/yaml'));

module.exports = hljs;
