// Engine speed: the Lua benchmarks in bench/lua/ (each a `bench(name, fn)`)
// run by Spinel's engine and by lua5.1 (when installed). Each function runs
// 5 times in one state: "cold" is the first run (for Spinel, before V8 has
// compiled the generated code), "warm" the best of the others.
// Usage: node scripts/bench-lua.mjs [file-filter]
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { newLuaState, loadLua, basicToString } from '../dist/src/scripting/lua/index.js';

const RUNS = 5;
const dir = path.resolve('bench/lua');
const filter = process.argv[2] ?? '';
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.lua') && f.includes(filter)).sort();

function spinel(src) {
  const out = [];
  const L = newLuaState();
  L.globals.setStr('bench', (L, a) => {
    const times = [];
    let result;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      result = L.callSync(a[1], [])[0];
      times.push((performance.now() - t) / 1000);
    }
    out.push([a[0], times, basicToString(result)]);
    return undefined;
  });
  L.callFunction(loadLua(L, src, '=bench'), []);
  return out;
}

function lua51(src) {
  const prelude = `function bench(name, f)
  local times, r = {}
  for i = 1, ${RUNS} do local t = os.clock() r = f() times[#times + 1] = string.format("%.6f", os.clock() - t) end
  io.write(name, "\\t", table.concat(times, ","), "\\t", tostring(r), "\\n")
end
`;
  const r = spawnSync('lua5.1', ['-'], { input: prelude + src, encoding: 'latin1' });
  if (r.status !== 0) return null;
  return r.stdout.trim().split('\n').map((l) => { const [n, t, v] = l.split('\t'); return [n, t.split(',').map(Number), v]; });
}

const fmt = (x) => x.toFixed(3);
const rows = [];
for (const f of files) {
  const src = fs.readFileSync(path.join(dir, f), 'latin1');
  const mine = spinel(src);
  const ref = lua51(src);
  mine.forEach(([name, times, result], j) => {
    const r = ref?.[j];
    const warm = Math.min(...times.slice(1));
    const refBest = r ? Math.min(...r[1]) : null;
    rows.push({
      bench: name,
      'spinel cold': fmt(times[0]),
      'spinel warm': fmt(warm),
      lua51: r ? fmt(refBest) : '-',
      'warm ratio': r ? (warm / refBest).toFixed(2) : '-',
      same: r ? String(r[2] === result) : '-',
    });
  });
}
console.table(rows);
