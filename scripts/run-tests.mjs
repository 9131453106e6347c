// Runs the test suite (compiled to dist/) with node:test.
// Usage: node scripts/run-tests.mjs [unit|integration|differential ...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const levels = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'differential'];
const files = [];
function walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    // Only tests whose TypeScript source still exists (tsc leaves stale outputs behind).
    else if (e.name.endsWith('.test.js') && fs.existsSync(p.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts'))) files.push(p);
  }
}
for (const l of levels) walk(path.join('dist', 'test', l));
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
