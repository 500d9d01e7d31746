// Preloaded into every benchmarked process (node -r): appends the peak RSS in KB to the file
// named by BENCH_RSS_OUT when the process exits.
const { appendFileSync } = require('node:fs');
const out = process.env.BENCH_RSS_OUT;
if (out) process.on('exit', () => appendFileSync(out, `${process.resourceUsage().maxRSS}\n`));
