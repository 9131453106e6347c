// A redis-benchmark for transactions: each request is the unit
// MULTI / SET key:__rand_int__ xxx / EXEC, which redis-benchmark cannot send
// (it repeats one command per request). Same model and output as
// `redis-benchmark --csv`: -c connections, each writes -P units at once and
// waits for all their replies before the next write; -n units in all; -r
// draws the key from a random keyspace (without it the key is literally
// key:__rand_int__, as redis-benchmark's SET); one CSV row with units/s and
// the latency of each unit (from its pipeline's write to its EXEC reply) in ms.
//
//   node scripts/bench-multi.mjs -p PORT [-c 50] [-n 100000] [-P 1] [-r N] [--seed S]
//
// Each unit's replies (+OK, +QUEUED, *1 +OK) are 23 bytes: the driver counts
// bytes instead of parsing, and fails on any other reply (an error, a null
// EXEC), so it costs the client little CPU.
import net from 'node:net';

const opts = { p: 6379, c: 50, n: 100000, P: 1, r: 0, seed: 1 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--?/, '');
  if (!(k in opts) && k !== 'csv' && k !== 'h') throw new Error(`bench-multi: unknown option ${argv[i]}`);
  if (k === 'csv') {
    i--;
    continue;
  }
  if (k !== 'h') opts[k] = Number(argv[i + 1]);
}

const UNIT_REPLY = '+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n';
const UNIT_BYTES = UNIT_REPLY.length;

/** A seeded xorshift, so both servers get the same keys. */
let state = opts.seed >>> 0 || 1;
function random(n) {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % n;
}

const bulk = (s) => `$${s.length}\r\n${s}\r\n`;
function unit() {
  const key = opts.r > 0 ? `key:${String(random(opts.r)).padStart(12, '0')}` : 'key:__rand_int__';
  return `*1\r\n${bulk('MULTI')}*3\r\n${bulk('SET')}${bulk(key)}${bulk('xxx')}*1\r\n${bulk('EXEC')}`;
}

// A pool of pipelines (P units each) built before the run and reused in turn.
const POOL = opts.r > 0 ? 512 : 1;
const pipelines = [];
for (let i = 0; i < POOL; i++) {
  let s = '';
  for (let j = 0; j < opts.P; j++) s += unit();
  pipelines.push(Buffer.from(s, 'latin1'));
}

const latencies = new Float64Array(opts.n);
let issued = 0; // units written
let completed = 0; // units answered
let poolIndex = 0;
const start = performance.now();

function client() {
  return new Promise((resolve, reject) => {
    const sock = net.connect(opts.p, '127.0.0.1');
    sock.setNoDelay(true);
    let batchStart = 0;
    let batchUnits = 0; // units in the pipeline in flight
    let received = 0; // bytes of its replies received
    let checked = 0; // bytes of the first reply compared so far
    const next = () => {
      if (issued >= opts.n) {
        sock.end();
        resolve();
        return;
      }
      batchUnits = Math.min(opts.P, opts.n - issued);
      issued += batchUnits;
      received = 0;
      batchStart = performance.now();
      const buf = pipelines[poolIndex++ % POOL];
      sock.write(batchUnits === opts.P ? buf : buf.subarray(0, unitOffset(buf, batchUnits)));
    };
    sock.on('connect', next);
    sock.on('data', (d) => {
      // Any reply but the expected ones has a '-' (error) or '*-1' (null EXEC) in it.
      if (d.indexOf(45 /* - */) !== -1) {
        reject(new Error(`bench-multi: unexpected reply ${JSON.stringify(d.toString('latin1', 0, 200))}`));
        sock.destroy();
        return;
      }
      for (; checked < UNIT_BYTES && checked < d.length; checked++) {
        if (d[checked] !== UNIT_REPLY.charCodeAt(checked)) {
          reject(new Error(`bench-multi: unexpected reply ${JSON.stringify(d.toString('latin1', 0, 200))}`));
          sock.destroy();
          return;
        }
      }
      const before = Math.floor(received / UNIT_BYTES);
      received += d.length;
      const after = Math.floor(received / UNIT_BYTES);
      if (after > before) {
        const ms = performance.now() - batchStart;
        for (let i = before; i < after; i++) latencies[completed++] = ms;
      }
      if (after === batchUnits) next();
    });
    sock.on('error', reject);
  });
}

/** Byte offset of the end of the first `units` units of a pipeline buffer. */
function unitOffset(buf, units) {
  let off = 0;
  for (let u = 0; u < units; u++) {
    // Each unit ends with the EXEC command: "*1\r\n$4\r\nEXEC\r\n".
    off = buf.indexOf('EXEC\r\n', off) + 6;
  }
  return off;
}

await Promise.all(Array.from({ length: opts.c }, client));
const secs = (performance.now() - start) / 1000;
const sorted = latencies.subarray(0, completed).sort();
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
let sum = 0;
for (const x of sorted) sum += x;
const f = (x) => `"${x.toFixed(3)}"`;
console.log('"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"');
console.log(`"MULTI/SET/EXEC","${(completed / secs).toFixed(2)}",${f(sum / sorted.length)},${f(sorted[0])},${f(pct(50))},${f(pct(95))},${f(pct(99))},${f(sorted[sorted.length - 1])}`);
