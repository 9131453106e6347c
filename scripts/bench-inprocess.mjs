// In-process A/B of whole builds: the cost per command of Client.onData (parse,
// dispatch, handler, reply) with no socket, for several compiled builds loaded
// into one process and run round by round in alternating order, so that a
// slow minute of the machine hits every build alike.
//
//   node scripts/bench-inprocess.mjs GET dist /tmp/other-build/dist
//   RANDKEYS=1 node scripts/bench-inprocess.mjs SET dist ...   (a new key per request)
//   SIZE=100000 node scripts/bench-inprocess.mjs XRANGE dist   (stream commands on a stream of SIZE entries)
//   node --expose-gc scripts/bench-inprocess.mjs STREAM-MEMORY dist   (heap per stream entry)
//
// Prints each build's best round (ns per command) and the median of its
// per-round ratio to the first build. The same build's cost differs between
// processes (bimodal here), so compare builds within one run, and repeat it.
//
// Stream commands (XADD, XRANGE, XREADGROUP) run on `mystream`, first filled
// with SIZE entries of three small fields (default 1000). XREADGROUP reads
// one entry at a time with a consumer group created afresh before each round
// (so each round reads min(SIZE, 20000) new entries). STREAM-MEMORY adds
// 1,000,000 such entries (MEMSIZE) and prints the heap and array-buffer bytes
// per entry.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [command = 'GET', ...builds] = process.argv.slice(2);
if (builds.length === 0) builds.push('dist');
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
  XADD: ['XADD', 'mystream', '*', 'f', 'v'],
  XRANGE: ['XRANGE', 'mystream', '-', '+', 'COUNT', '10'],
  XREVRANGE: ['XREVRANGE', 'mystream', '+', '-', 'COUNT', '10'],
  XREADGROUP: ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'mystream', '>'],
  'STREAM-MEMORY': ['PING'],
}[command.toUpperCase()];
if (!ARGV) throw new Error(`unknown command ${command}`);
const encode = (args) => Buffer.from(`*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join(''));
const frame = encode(ARGV);
const CMD = command.toUpperCase();
const isStream = CMD.startsWith('X') || CMD === 'STREAM-MEMORY';
const SIZE = Number(process.env.SIZE ?? 1000);

/** Runs one command on a build's client, outside the timed loop. */
function run(r, args) {
  const f = encode(args);
  f.copy(r.buf);
  r.server.inInputHandler++;
  r.client.onData(r.buf, f.length);
  r.server.inInputHandler--;
  r.server.flushPending();
}

/** Fills mystream with n entries of three small fields, in pipelined batches. */
function fillStream(r, n) {
  const BATCH = 500;
  for (let i = 0; i < n; i += BATCH) {
    let parts = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) parts.push(encode(['XADD', 'mystream', '*', 'f1', String(j % 1000), 'f2', 'ab', 'f3', String(j)]));
    const f = Buffer.concat(parts);
    const buf = f.length <= r.buf.length ? r.buf : Buffer.alloc(f.length);
    f.copy(buf);
    r.server.inInputHandler++;
    r.client.onData(buf, f.length);
    r.server.inInputHandler--;
    r.server.flushPending();
    r.server.flushScheduled = false;
  }
}
const randomKeys = process.env.RANDKEYS === '1';
const keyEnd = frame.indexOf('__rand_int__') + 12;

// Each build gets its own copy of the loop, so their type feedback stays apart.
const LOOP = `
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (randomKeys) {
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
  frame.copy(buf);
  const loop = new Function('server', 'client', 'buf', 'len', 'n', 'randomKeys', 'keyEnd', LOOP);
  runs.push({ dir, server, client, buf, loop, best: Infinity, ratios: [] });
}

if (CMD === 'STREAM-MEMORY') {
  const MEMSIZE = Number(process.env.MEMSIZE ?? 1000000);
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  for (const r of runs) {
    run(r, ['DEL', 'mystream']);
    globalThis.gc();
    const m0 = process.memoryUsage();
    fillStream(r, MEMSIZE);
    globalThis.gc();
    const m1 = process.memoryUsage();
    const heap = (m1.heapUsed - m0.heapUsed) / MEMSIZE;
    const ab = (m1.arrayBuffers - m0.arrayBuffers) / MEMSIZE;
    console.log(`STREAM-MEMORY ${r.dir}: ${MEMSIZE} entries of 3 small fields: ${heap.toFixed(1)} B/entry heap + ${ab.toFixed(1)} B/entry array buffers = ${(heap + ab).toFixed(1)} B/entry`);
    run(r, ['DEL', 'mystream']);
  }
  process.exit(0);
}
if (isStream) for (const r of runs) fillStream(r, SIZE);

const N = 20000;
for (let round = 0; round < 150; round++) {
  const ns = [];
  const order = runs.map((_, i) => i);
  if (round & 1) order.reverse();
  for (const i of order) {
    const r = runs[i];
    let n = N;
    if (CMD === 'XREADGROUP') {
      // A fresh group each round: every read delivers one new entry.
      run(r, ['XGROUP', 'DESTROY', 'mystream', 'g']);
      run(r, ['XGROUP', 'CREATE', 'mystream', 'g', '0']);
      n = Math.min(N, SIZE);
    }
    frame.copy(r.buf);
    const t0 = process.hrtime.bigint();
    r.loop(r.server, r.client, r.buf, frame.length, n, randomKeys, keyEnd);
    ns[i] = Number(process.hrtime.bigint() - t0) / n;
    r.best = Math.min(r.best, ns[i]);
  }
  // The first rounds are warm-up (the JIT is still compiling).
  if (round >= 20) runs.forEach((r, i) => r.ratios.push(ns[i] / ns[0]));
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const sizeNote = isStream ? ` (stream of ${SIZE} entries)` : '';
for (const r of runs) console.log(`${command.toUpperCase()}${sizeNote} ${r.dir}: best ${r.best.toFixed(0)} ns/command, median ratio to the first ${median(r.ratios).toFixed(3)}`);
