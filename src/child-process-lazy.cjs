// Commander requires child_process at start-up for executable subcommands, which django-drill
// never uses; loading it costs every run (even --help) several milliseconds. The bundle gives
// commander this stand-in, which loads the real module only if something touches it.
let real;
module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      real ??= require('node:child_process');
      return real[key];
    },
  },
);
