// Engine speed: the Lua benchmarks in bench/lua/ (each a `bench(name, fn)`)
// run by Spinel's engine, by lua5.1 (when installed) and by the Lua embedded
// in the reference redis-server ($REDIS_SERVER, through EVAL, timed with
// redis.call('TIME')). Each function runs 5 times in one state: "cold" is
// the first run (for Spinel, before V8 has compiled the generated code),
// "warm" the best of the others; lua5.1 and Redis show their best.
// Usage: node scripts/bench-lua.mjs [file-filter]
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync, spawn } from 'node:child_process';
import net from 'node:net';
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

// ---- Redis's embedded Lua, through EVAL ----
async function startRedis() {
  const exe = process.env.REDIS_SERVER;
  if (!exe || !fs.existsSync(exe)) return null;
  const port = await new Promise((res) => { const s = net.createServer(); s.listen(0, () => { const p = s.address().port; s.close(() => res(p)); }); });
  const child = spawn(exe, ['--port', String(port), '--save', '', '--appendonly', 'no', '--busy-reply-threshold', '0'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try { await evalRedis(port, 'return 1'); return { port, child }; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  child.kill();
  return null;
}

function evalRedis(port, script) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const body = Buffer.from(script, 'latin1');
    sock.write(Buffer.concat([Buffer.from(`*3\r\n$4\r\nEVAL\r\n$${body.length}\r\n`), body, Buffer.from('\r\n$1\r\n0\r\n')]));
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const s = buf.toString('latin1');
      if (s[0] === '-' && s.endsWith('\r\n')) { sock.end(); reject(new Error(s)); }
      if (s[0] === '$') {
        const nl = s.indexOf('\r\n');
        const len = Number(s.slice(1, nl));
        if (s.length >= nl + 2 + len + 2) { sock.end(); resolve(s.slice(nl + 2, nl + 2 + len)); }
      }
      if (s[0] === ':' && s.endsWith('\r\n')) { sock.end(); resolve(s.slice(1, -2)); }
    });
    sock.on('error', reject);
  });
}

// Time is frozen inside a Redis script, so each benchmark is one EVAL timed
// from here (the round trip is small next to the benchmarks).
const redisPrelude = (k) => `local seen, result = 0, nil
local function bench(name, f)
  seen = seen + 1
  if seen == ${k} then result = name .. "\\t" .. tostring(f()) end
end
`;

const redis = await startRedis();
async function redisLua(src, count) {
  if (!redis) return null;
  const rows = [];
  for (let k = 1; k <= count; k++) {
    const times = [];
    let line = '';
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      line = await evalRedis(redis.port, redisPrelude(k) + src + '\nreturn result');
      times.push((performance.now() - t) / 1000);
    }
    const [n, v] = line.split('\t');
    rows.push([n, times, v]);
  }
  return rows;
}

const fmt = (x) => x.toFixed(3);
const rows = [];
for (const f of files) {
  const src = fs.readFileSync(path.join(dir, f), 'latin1');
  const mine = spinel(src);
  const ref = src.includes('cjson') ? null : lua51(src);
  const red = await redisLua(src, mine.length);
  mine.forEach(([name, times, result], j) => {
    const r = ref?.[j];
    const warm = Math.min(...times.slice(1));
    const refBest = r ? Math.min(...r[1]) : null;
    const rr = red?.[j];
    const redBest = rr ? Math.min(...rr[1]) : null;
    rows.push({
      bench: name,
      'spinel cold': fmt(times[0]),
      'spinel warm': fmt(warm),
      lua51: r ? fmt(refBest) : '-',
      'vs lua51': r ? (warm / refBest).toFixed(2) : '-',
      redis: rr ? fmt(redBest) : '-',
      'vs redis': rr ? (warm / redBest).toFixed(2) : '-',
      same: [r ? r[2] === result : true, rr ? rr[2] === result : true].every(Boolean) ? 'yes' : 'NO',
    });
  });
}
console.table(rows);
if (redis) redis.child.kill();
