// In-process A/B of whole builds: the cost per command of Client.onData (parse,
// dispatch, handler, reply) with no socket, for several compiled builds loaded
// into one process and run round by round in alternating order, so that a
// slow minute of the machine hits every build alike.
//
//   node scripts/bench-inprocess.mjs GET dist /tmp/other-build/dist
//   RANDKEYS=1 node scripts/bench-inprocess.mjs SET dist ...   (a new key per request)
//   node scripts/bench-inprocess.mjs SETBIT64M dist             (random offsets of a 64 Mbit key)
//
// A command with a SETUP runs it once per build first; an argument {r:N} is
// a random integer below N, drawn for each of 4096 pre-built requests that
// the loop cycles through. MEMORY=1 instead prints the heap and off-heap
// bytes per key of a 1 M-bit bitmap and of 10 K HyperLogLogs.
//
// Prints each build's best round (ns per command) and the median of its
// per-round ratio to the first build. The same build's cost differs between
// processes (bimodal here), so compare builds within one run, and repeat it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [command = 'GET', ...builds] = process.argv.slice(2);
if (builds.length === 0) builds.push('dist');
if (process.env.MEMORY === '1') {
  await memory(builds[0]);
  process.exit(0);
}
const ARGV = {
  PING: ['PING'],
  SET: ['SET', 'key:__rand_int__', 'xxx'],
  GET: ['GET', 'key:__rand_int__'],
  INCR: ['INCR', 'counter:__rand_int__'],
  LPUSH: ['LPUSH', 'mylist', 'xxx'],
  RPUSH: ['RPUSH', 'mylist', 'xxx'],
  LPOP: ['LPOP', 'mylist'],
  RPOP: ['RPOP', 'mylist'],
  SPOP: ['SPOP', 'myset'],
  ZPOPMIN: ['ZPOPMIN', 'myzset'],
  SADD: ['SADD', 'myset', 'element:__rand_int__'],
  HSET: ['HSET', 'myhash', 'element:__rand_int__', 'xxx'],
  ZADD: ['ZADD', 'myzset', '0', 'element:__rand_int__'],
  GETHIT: ['GET', 'str'],
  SETR: ['SET', 'key:{r:1000}', '{r:2}'],
  GETBUF: ['GET', 'buf'],
  APPEND: ['APPEND', 'app', 'xxx'],
  SETBIT64M: ['SETBIT', 'bm64m', '{r:67108864}', '1'],
  SETBIT1K: ['SETBIT', 'bm1k', '{r:1024}', '1'],
  GETBIT: ['GETBIT', 'bm64m', '{r:67108864}'],
  BITCOUNT1M: ['BITCOUNT', 'bc1m'],
  PFADD: ['PFADD', 'hll', 'element:{r:1000000000}'],
  PFCOUNT: ['PFCOUNT', 'hll'],
  PFCOUNT2: ['PFCOUNT', 'hll', 'hll2'],
}[command.toUpperCase()];
if (!ARGV) throw new Error(`unknown command ${command}`);
const randomBytes = (n) => Buffer.from(Array.from({ length: n }, () => (Math.random() * 256) | 0)).toString('latin1');
const SETUP = {
  GETHIT: [['SET', 'str', 'xxx']],
  GETBUF: [['SET', 'buf', 'x'.repeat(64)], ['APPEND', 'buf', 'xxx']],
  SETBIT64M: [['SETBIT', 'bm64m', '67108863', '0']],
  SETBIT1K: [['SETBIT', 'bm1k', '1023', '0']],
  GETBIT: [['SETBIT', 'bm64m', '67108863', '0']],
  BITCOUNT1M: [['SETRANGE', 'bc1m', '0', randomBytes(1024 * 1024)]],
  PFADD: [['PFADD', 'hll', ...Array.from({ length: 5000 }, (_, i) => `seed:${i}`)]],
  PFCOUNT: [['PFADD', 'hll', ...Array.from({ length: 5000 }, (_, i) => `seed:${i}`)]],
  PFCOUNT2: [['PFADD', 'hll', ...Array.from({ length: 5000 }, (_, i) => `seed:${i}`)], ['PFADD', 'hll2', 'a', 'b', 'c']],
}[command.toUpperCase()] ?? [];
const encode = (argv) => Buffer.from(`*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join(''), 'latin1');
const frame = encode(ARGV);
const randomKeys = process.env.RANDKEYS === '1';
const keyEnd = frame.indexOf('__rand_int__') + 12;
// Requests with random arguments: 4096 of them, cycled through.
const randomArgs = ARGV.some((a) => /\{r:\d+\}/.test(a));
const frames = randomArgs
  ? Array.from({ length: 4096 }, () => encode(ARGV.map((a) => a.replace(/\{r:(\d+)\}/g, (_, n) => String(Math.floor(Math.random() * Number(n)))))))
  : [];

// Each build gets its own copy of the loop, so their type feedback stays apart.
const LOOP = `
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (frames.length !== 0) {
      const f = frames[i & 4095];
      f.copy(buf);
      len = f.length;
    } else if (randomKeys) {
      k = (k * 1103515245 + 12345) & 0x7fffffff;
      for (let j = 1, x = k; j <= 6; j++, x = (x / 10) | 0) buf[keyEnd - j] = 48 + (x % 10);
    }
    server.inInputHandler++;
    client.onData(buf, len);
    server.inInputHandler--;
    server.flushPending();
    // As if this turn's flush were still to come: no setImmediate per command
    // (the real server schedules one per event-loop turn, for every client).
    server.flushScheduled = true;
  }
  server.flushScheduled = false;`;

const runs = [];
for (const dir of builds) {
  const url = pathToFileURL(path.resolve(dir, 'src/server/server.js')).href;
  const { Server } = await import(url + `?build=${runs.length}`);
  const server = new Server();
  server.log.silent = true;
  const client = server.createClient(null);
  const buf = Buffer.alloc(64 * 1024);
  for (const argv of SETUP) {
    const f = encode(argv);
    server.inInputHandler++;
    client.onData(f, f.length);
    server.inInputHandler--;
    server.flushPending();
    server.flushScheduled = true;
  }
  server.flushScheduled = false;
  frame.copy(buf);
  const loop = new Function('server', 'client', 'buf', 'len', 'n', 'randomKeys', 'keyEnd', 'frames', LOOP);
  runs.push({ dir, server, client, buf, loop, best: Infinity, ratios: [] });
}

// Commands per round and rounds (fewer for the O(N) commands, e.g. N=200 ROUNDS=40 for BITCOUNT1M).
const N = Number(process.env.N ?? 20000);
const ROUNDS = Number(process.env.ROUNDS ?? 150);
const WARMUP = Math.min(20, ROUNDS >> 2);
for (let round = 0; round < ROUNDS; round++) {
  const ns = [];
  const order = runs.map((_, i) => i);
  if (round & 1) order.reverse();
  for (const i of order) {
    const r = runs[i];
    const t0 = process.hrtime.bigint();
    r.loop(r.server, r.client, r.buf, frame.length, N, randomKeys, keyEnd, frames);
    ns[i] = Number(process.hrtime.bigint() - t0) / N;
    r.best = Math.min(r.best, ns[i]);
  }
  // The first rounds are warm-up (the JIT is still compiling).
  if (round >= WARMUP) runs.forEach((r, i) => r.ratios.push(ns[i] / ns[0]));
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const r of runs) console.log(`${command.toUpperCase()} ${r.dir}: best ${r.best.toFixed(0)} ns/command, median ratio to the first ${median(r.ratios).toFixed(3)}`);

/**
 * MEMORY=1 (run with --expose-gc): heap + ArrayBuffer bytes added by a
 * 1 M-bit bitmap, and per HyperLogLog by 10 K small (sparse) and 10 K dense ones.
 */
async function memory(dir) {
  const { Server } = await import(pathToFileURL(path.resolve(dir, 'src/server/server.js')).href);
  const server = new Server();
  server.log.silent = true;
  const client = server.createClient(null);
  const run = (argv) => {
    const f = Buffer.from(`*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join(''), 'latin1');
    server.inInputHandler++;
    client.onData(f, f.length);
    server.inInputHandler--;
    server.flushPending();
    server.flushScheduled = true; // no setImmediate per request (see LOOP)
  };
  const used = () => {
    globalThis.gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const report = (name, fn, count) => {
    const before = used();
    fn();
    const bytes = used() - before;
    console.log(`${name}: ${bytes} bytes${count > 1 ? `, ${Math.round(bytes / count)} per key` : ''}`);
  };
  // Warm up (JIT code and lazily built tables are not data).
  for (let i = 0; i < 20000; i++) {
    run(['SETBIT', 'warm', String(i % 1000), '1']);
    run(['PFADD', 'warmhll', `w:${i}`]);
  }
  run(['PFDEBUG', 'TODENSE', 'warmhll']);
  run(['DEL', 'warm', 'warmhll']);
  report('1 M-bit bitmap (SETBIT bm 999999 1, then 10 K random bits)', () => {
    run(['SETBIT', 'bm', '999999', '1']);
    for (let i = 0; i < 10000; i++) run(['SETBIT', 'bm', String((Math.random() * 1000000) | 0), '1']);
  }, 1);
  report('10 K HLLs of 100 elements (sparse)', () => {
    for (let k = 0; k < 10000; k++) run(['PFADD', `hll:${k}`, ...Array.from({ length: 100 }, (_, i) => `e:${k}:${i}`)]);
  }, 10000);
  report('10 K dense HLLs (PFADD 3 elements, PFDEBUG TODENSE)', () => {
    for (let k = 0; k < 10000; k++) {
      run(['PFADD', `dense:${k}`, 'a', 'b', 'c']);
      run(['PFDEBUG', 'TODENSE', `dense:${k}`]);
    }
  }, 10000);
}
