// Micro-benchmark of the Dict (src/types/dict.ts) against a plain Map: fill,
// get of random present keys, and set (overwrite) of random keys, at several
// sizes. With the default shard limit (2^22) a 10 M dict is sharded.
//
//   node --max-old-space-size=8000 scripts/bench-dict.mjs [sizes...]   (default 1000 1000000 10000000)
//
// Prints ns per operation, the best of several rounds for each.
import { Dict } from '../dist/src/types/dict.js';

const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(1000, 1_000_000, 10_000_000);
const OPS = 2_000_000;

function rounds(fn, n = 5) {
  let best = Infinity;
  for (let r = 0; r < n; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
  }
  return best;
}

// One copy of each loop per container type, so their type feedback stays apart.
function makeLoops() {
  return new Function(
    'keys',
    'idx',
    `return {
      fill(m) { for (let i = 0; i < keys.length; i++) m.set(keys[i], i); },
      get(m) { let s = 0; for (let i = 0; i < idx.length; i++) s += m.get(keys[idx[i]]); return s; },
      set(m) { for (let i = 0; i < idx.length; i++) m.set(keys[idx[i]], i); },
    };`,
  );
}

for (const n of sizes) {
  const keys = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = Buffer.from('key:' + String(i).padStart(9, '0'), 'latin1').toString('latin1');
  const idx = new Int32Array(OPS);
  for (let i = 0; i < OPS; i++) idx[i] = Math.floor(Math.random() * n);
  const out = [];
  for (const [name, make] of [
    ['Map', () => new Map()],
    ['Dict', () => new Dict()],
  ]) {
    const loops = makeLoops()(keys, idx);
    let m = make();
    const fillNs = rounds(() => {
      m = make();
      loops.fill(m);
    }, n >= 1e7 ? 2 : 5);
    const getNs = rounds(() => loops.get(m));
    const setNs = rounds(() => loops.set(m));
    const shards = m instanceof Dict ? ` (${m.shards} shards)` : '';
    out.push(`${name}${shards}: fill ${(fillNs / n).toFixed(1)} ns/key, get ${(getNs / OPS).toFixed(1)} ns, set ${(setNs / OPS).toFixed(1)} ns`);
    m = null;
    globalThis.gc?.();
  }
  console.log(`${n} keys\n  ${out.join('\n  ')}`);
}
