// Compares spinel-benchmark with redis-benchmark, and spinel-cli --pipe with
// redis-cli --pipe, against Spinel and against the reference Redis (both
// started here on free ports). Runs alternate between the tools and the
// median of each is printed, since the machine may be shared.
//
// Usage: node scripts/bench-tools.mjs [rounds]   (needs npm run build;
// REDIS_SERVER or redis-server on PATH, with redis-benchmark and redis-cli
// beside it)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

const rounds = Number(process.argv[2] ?? 3);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const redisServer = process.env.REDIS_SERVER ?? spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
if (!redisServer) throw new Error('set REDIS_SERVER');
const refDir = path.dirname(redisServer);
const tools = {
  'redis-benchmark': path.join(refDir, 'redis-benchmark'),
  'spinel-benchmark': path.join(root, 'bin/spinel-benchmark'),
  'redis-cli': path.join(refDir, 'redis-cli'),
  'spinel-cli': path.join(root, 'bin/spinel-cli'),
};

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function start(bin, port) {
  const child = spawn(bin, ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = spawnSync(tools['redis-cli'], ['-p', String(port), 'PING'], { encoding: 'utf8' }).stdout === 'PONG\n';
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${bin} did not start`);
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function benchOnce(tool, port, pipeline) {
  const n = pipeline === 1 ? 50000 : 500000;
  const r = spawnSync(tools[tool], ['-p', String(port), '-t', 'set,get', '-n', String(n), '-P', String(pipeline), '-c', '50', '--threads', '2', '-q'], { encoding: 'latin1' });
  const out = r.stdout.replace(/[^\n\r]*\r/g, '');
  const rps = {};
  for (const m of out.matchAll(/^(SET|GET): ([\d.]+) requests per second/gm)) rps[m[1]] = Number(m[2]);
  return rps;
}

function pipeOnce(tool, port, file) {
  spawnSync(tools['redis-cli'], ['-p', String(port), 'FLUSHALL']);
  const fd = fs.openSync(file, 'r');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(tools[tool], ['-p', String(port), '--pipe'], { stdio: [fd, 'pipe', 'pipe'], encoding: 'latin1' });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.closeSync(fd);
  if (!r.stdout.includes('errors: 0, replies: 1000000')) throw new Error(`${tool} --pipe: ${r.stdout} ${r.stderr}`);
  return secs;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tools-'));
const pipeFile = path.join(dir, 'sets.resp');
{
  const chunks = [];
  for (let i = 0; i < 1_000_000; i++) {
    const k = `key:${i}`;
    const v = `value:${i}`;
    chunks.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`);
  }
  fs.writeFileSync(pipeFile, chunks.join(''));
}

const servers = [
  ['Spinel', path.join(root, 'bin/spinel-server')],
  ['Redis 7.2', redisServer],
];
console.log(`${os.cpus().length} CPUs (${os.cpus()[0].model}), node ${process.version}, ${rounds} alternating rounds, medians`);
console.log('| server | -P | test | redis-benchmark rps | spinel-benchmark rps | ratio |');
console.log('|---|---|---|---|---|---|');
const pipeRows = [];
for (const [name, bin] of servers) {
  const port = await freePort();
  const child = await start(bin, port);
  try {
    for (const p of [1, 16]) {
      const res = { 'redis-benchmark': { SET: [], GET: [] }, 'spinel-benchmark': { SET: [], GET: [] } };
      for (let i = 0; i < rounds; i++) {
        for (const tool of i % 2 ? ['spinel-benchmark', 'redis-benchmark'] : ['redis-benchmark', 'spinel-benchmark']) {
          const r = benchOnce(tool, port, p);
          for (const t of ['SET', 'GET']) res[tool][t].push(r[t] ?? 0);
        }
      }
      for (const t of ['SET', 'GET']) {
        const a = median(res['redis-benchmark'][t]);
        const b = median(res['spinel-benchmark'][t]);
        console.log(`| ${name} | ${p} | ${t} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
      }
    }
    const times = { 'redis-cli': [], 'spinel-cli': [] };
    for (let i = 0; i < Math.max(2, rounds - 1); i++) {
      for (const tool of i % 2 ? ['spinel-cli', 'redis-cli'] : ['redis-cli', 'spinel-cli']) times[tool].push(pipeOnce(tool, port, pipeFile));
    }
    pipeRows.push([name, median(times['redis-cli']), median(times['spinel-cli'])]);
  } finally {
    child.kill('SIGKILL');
  }
}
console.log('\n| server | redis-cli --pipe (1 M SETs) | spinel-cli --pipe | ratio |');
console.log('|---|---|---|---|');
for (const [name, a, b] of pipeRows) console.log(`| ${name} | ${a.toFixed(2)} s | ${b.toFixed(2)} s | ${(b / a).toFixed(2)} |`);
fs.rmSync(dir, { recursive: true, force: true });
