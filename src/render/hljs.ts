// Stand-in for the full `highlight.js` package inside the bundle (see scripts/build.mjs):
// cli-highlight imports all ~190 grammars; the bank uses a handful, so register only those.
// Start-up of `show` and `drill` pays for these few instead of every grammar.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import django from 'highlight.js/lib/languages/django';
import ini from 'highlight.js/lib/languages/ini';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import sql from 'highlight.js/lib/languages/sql';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, django, ini, javascript, json, plaintext, python, sql, xml, yaml };
for (const [name, grammar] of Object.entries(languages)) hljs.registerLanguage(name, grammar);

export default hljs;
