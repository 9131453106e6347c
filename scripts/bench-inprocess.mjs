// In-process A/B of whole builds: the cost per command of Client.onData (parse,
// dispatch, handler, reply) with no socket, for several compiled builds loaded
// into one process and run round by round in alternating order, so that a
// slow minute of the machine hits every build alike.
//
//   node scripts/bench-inprocess.mjs GET dist /tmp/other-build/dist
//   RANDKEYS=1 node scripts/bench-inprocess.mjs SET dist ...   (a new key per request)
//   RANDKEYS=1 PIPELINE=16 ZSET_SIZE=100000 ZSET_SCORES=random \
//     node scripts/bench-inprocess.mjs ZADD_RAND dist ...
//
// Placeholders in a command, as redis-benchmark writes them (12 digits, zero padded):
//   __rand_int__  a random integer in [0, RANGE) per request when RANDKEYS=1
//                 (members, keys); otherwise left as is
//   __rand_scr__  the same from a second stream (scores), so a refill can replay
//                 the member stream of a round with scores of its own
//   __next_int__  a counter from RANGE up (members never seen before)
//   __rand_lon__, __rand_lat__  a random longitude / latitude (12 characters, uniform
//                 over -180..180 / -85..85) per request, from the score stream
//
// Environment:
//   RANDKEYS=1        randomize __rand_int__ (always on for the zset workloads below)
//   RANGE=N           random values in [0, N) (default ZSET_SIZE, else 1000000)
//   PIPELINE=P        P requests per read, like redis-benchmark -P (default 1)
//   ZSET_SIZE=N       before timing, myzset gets members element:<i> for i < N
//   ZSET_SCORES=equal every score 0 (default), or random: scores in [0, RANGE)
//   GEO_SIZE=N        before timing, mygeo gets N members at random positions
//   KEYS=N            before timing, keys key:<i> (12 digits) for i < N get the value
//                     xxx (GET's keys, as `npm run bench` loads them)
//   CPU_PROFILE=file  write a CPU profile (.cpuprofile) of the timed rounds only
//                     (not the preload and set-up, which --cpu-prof would include)
//   CPU_TIME=1        measure the process's CPU time (user + system) instead of
//                     wall time: steadier when other processes share the CPUs
//   ROUNDS, PER_ROUND rounds (default 150; the first 20 are warm-up) of PER_ROUND
//                     commands (default 20000)
//
// Commands that shrink the zset (ZREM, ZPOPMIN) are followed, untimed, by a
// refill that adds as many members back, so every round sees the same size.
//
//   node scripts/bench-inprocess.mjs SETBIT64M dist             (random offsets of a 64 Mbit key)
//
// A command with a SETUP runs it once per build first; an argument {r:N} is
// a random integer below N (no padding), drawn for each of 4096 pre-built
// requests that the loop cycles through. MEMORY=1 (with --expose-gc) instead
// prints the heap and off-heap bytes per key of a 1 M-bit bitmap and of 10 K
// HyperLogLogs.
//
//   SIZE=100000 node scripts/bench-inprocess.mjs XRANGE dist   (stream commands on a stream of SIZE entries)
//   node --expose-gc scripts/bench-inprocess.mjs STREAM-MEMORY dist   (heap per stream entry)
//
// Stream commands (XADD, XRANGE, XREVRANGE, XREADGROUP) run on `mystream`, first
// filled with SIZE entries of three small fields (default 1000). XREADGROUP reads
// one entry at a time with a consumer group created afresh before each round
// (so each round reads min(SIZE, PER_ROUND) new entries). STREAM-MEMORY adds
// 1,000,000 such entries (MEMSIZE) and prints the heap and array-buffer bytes
// per entry.
//
//   RANDKEYS=1 PIPELINE=16 node scripts/bench-inprocess.mjs MULTI dist   (MULTI / SET / EXEC as one request)
//
// Prints each build's best and median round (ns per command) and the median
// of its per-round ratio to the first build. The same build's cost differs between
// processes (bimodal here), so compare builds within one run, and repeat it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [command = 'GET', ...builds] = process.argv.slice(2);
if (builds.length === 0) builds.push('dist');
if (process.env.MEMORY === '1') {
  await memory(builds[0]);
  process.exit(0);
}
if (command.toUpperCase() === 'STREAM-MEMORY') {
  await streamMemory(builds);
  process.exit(0);
}
const env = process.env;
const ZSET_SIZE = Number(env.ZSET_SIZE || 0);
const RANDOM_SCORES = env.ZSET_SCORES === 'random';
const GEO_SIZE = Number(env.GEO_SIZE || 0);
const KEYS = Number(env.KEYS || 0);
const RANGE = Number(env.RANGE || ZSET_SIZE || GEO_SIZE || KEYS || 1000000);
const PIPELINE = Number(env.PIPELINE || 1);
const ROUNDS = Number(env.ROUNDS || 150);
const PER_ROUND = Number(env.PER_ROUND || 20000);
const USE_CPU = env.CPU_TIME === '1';
const REFILL_SCORE = RANDOM_SCORES ? '__rand_scr__' : '0';

/** name -> [argv, refill argv or null, randomize even without RANDKEYS]. */
const COMMANDS = {
  PING: [['PING']],
  SET: [['SET', 'key:__rand_int__', 'xxx']],
  GET: [['GET', 'key:__rand_int__']],
  INCR: [['INCR', 'counter:__rand_int__']],
  LPUSH: [['LPUSH', 'mylist', 'xxx']],
  RPUSH: [['RPUSH', 'mylist', 'xxx']],
  LPOP: [['LPOP', 'mylist']],
  RPOP: [['RPOP', 'mylist']],
  // The first 100 of a list of 10,000 elements (and a list past one storage chunk).
  LRANGE_100: [['LRANGE', 'biglist', '0', '99']],
  SPOP: [['SPOP', 'myset']],
  SADD: [['SADD', 'myset', 'element:__rand_int__']],
  HSET: [['HSET', 'myhash', 'element:__rand_int__', 'xxx']],
  // redis-benchmark's ZADD is ZADD myzset 0 element:__rand_int__, with a random
  // score when run with -r (ZADD_RAND).
  ZADD: [['ZADD', 'myzset', '0', 'element:__rand_int__']],
  ZADD_RAND: [['ZADD', 'myzset', '__rand_scr__', 'element:__rand_int__'], null, true],
  // New members at random places (random scores), the set growing.
  ZADD_NEW: [['ZADD', 'myzset', '__rand_scr__', 'new:__next_int__'], null, true],
  ZINCRBY: [['ZINCRBY', 'myzset', '1', 'element:__rand_int__'], null, true],
  ZSCORE: [['ZSCORE', 'myzset', 'element:__rand_int__'], null, true],
  ZRANK: [['ZRANK', 'myzset', 'element:__rand_int__'], null, true],
  ZREVRANK: [['ZREVRANK', 'myzset', 'element:__rand_int__'], null, true],
  // From a random score (random scores) or a random rank (equal scores), ten members.
  ZRANGEBYSCORE: [
    RANDOM_SCORES ? ['ZRANGEBYSCORE', 'myzset', '__rand_scr__', '+inf', 'LIMIT', '0', '10'] : ['ZRANGEBYSCORE', 'myzset', '0', '0', 'LIMIT', '__rand_int__', '10'],
    null,
    true,
  ],
  ZREM: [['ZREM', 'myzset', 'element:__rand_int__'], ['ZADD', 'myzset', REFILL_SCORE, 'element:__rand_int__'], true],
  // Without ZSET_SIZE: redis-benchmark's test (pops from a missing key).
  ZPOPMIN: [['ZPOPMIN', 'myzset'], ZSET_SIZE > 0 ? ['ZADD', 'myzset', REFILL_SCORE, 'element:__next_int__'] : null],
  // Strings, bitmaps, HyperLogLog ({r:N}: a random integer below N per pre-built request).
  GETHIT: [['GET', 'str']],
  SETR: [['SET', 'key:{r:1000}', '{r:2}']],
  GETBUF: [['GET', 'buf']],
  APPEND: [['APPEND', 'app', 'xxx']],
  SETBIT64M: [['SETBIT', 'bm64m', '{r:67108864}', '1']],
  SETBIT1K: [['SETBIT', 'bm1k', '{r:1024}', '1']],
  GETBIT: [['GETBIT', 'bm64m', '{r:67108864}']],
  BITCOUNT1M: [['BITCOUNT', 'bc1m']],
  PFADD: [['PFADD', 'hll', 'element:{r:1000000000}']],
  PFCOUNT: [['PFCOUNT', 'hll']],
  PFCOUNT2: [['PFCOUNT', 'hll', 'hll2']],
  // Streams (on a stream of SIZE entries).
  XADD: [['XADD', 'mystream', '*', 'f', 'v']],
  XRANGE: [['XRANGE', 'mystream', '-', '+', 'COUNT', '10']],
  XREVRANGE: [['XREVRANGE', 'mystream', '+', '-', 'COUNT', '10']],
  XREADGROUP: [['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'mystream', '>']],
  // A member at a random position (moved when it exists), and a 100 km search around a random point.
  GEOADD: [['GEOADD', 'mygeo', '__rand_lon__', '__rand_lat__', 'element:__rand_int__'], null, true],
  GEOSEARCH: [['GEOSEARCH', 'mygeo', 'FROMLONLAT', '__rand_lon__', '__rand_lat__', 'BYRADIUS', '100', 'km'], null, true],
  GEOSEARCH_WITHDIST: [['GEOSEARCH', 'mygeo', 'FROMLONLAT', '__rand_lon__', '__rand_lat__', 'BYRADIUS', '100', 'km', 'ASC', 'WITHDIST'], null, true],
  // A transaction as one request: three commands (the time printed is per unit).
  MULTI: [[['MULTI'], ['SET', 'key:__rand_int__', 'xxx'], ['EXEC']]],
}[command.toUpperCase()];
const CMD = command.toUpperCase();
const SIZE = Number(env.SIZE ?? 1000);
const isStream = /^X/.test(CMD);
/** SIZE stream entries of three small fields. */
function streamFill(n) {
  return Array.from({ length: n }, (_, j) => ['XADD', 'mystream', '*', 'f1', String(j % 1000), 'f2', 'ab', 'f3', String(j)]);
}
const randomBytes = (n) => Buffer.from(Array.from({ length: n }, () => (Math.random() * 256) | 0)).toString('latin1');
const hllSeed = ['PFADD', 'hll', ...Array.from({ length: 5000 }, (_, i) => `seed:${i}`)];
/** Untimed commands run once per build before timing. */
const SETUP = {
  GETHIT: [['SET', 'str', 'xxx']],
  GETBUF: [['SET', 'buf', 'x'.repeat(64)], ['APPEND', 'buf', 'xxx']],
  SETBIT64M: [['SETBIT', 'bm64m', '67108863', '0']],
  SETBIT1K: [['SETBIT', 'bm1k', '1023', '0']],
  GETBIT: [['SETBIT', 'bm64m', '67108863', '0']],
  // Built only when asked for (a megabyte of random text takes a while).
  BITCOUNT1M: CMD === 'BITCOUNT1M' ? [['SETRANGE', 'bc1m', '0', randomBytes(1024 * 1024)]] : [],
  LRANGE_100: [['RPUSH', 'biglist', ...Array.from({ length: 10000 }, (_, i) => `element:${i}`)]],
  PFADD: [hllSeed],
  PFCOUNT: [hllSeed],
  PFCOUNT2: [hllSeed, ['PFADD', 'hll2', 'a', 'b', 'c']],
}[CMD] ?? (isStream ? streamFill(SIZE) : []);
if (!COMMANDS) throw new Error(`unknown command ${command}`);
const [ARGV, REFILL = null, alwaysRandom = false] = COMMANDS;
const randomKeys = env.RANDKEYS === '1' || alwaysRandom;

/** Random streams: a 32-bit LCG each, read from the high bits. */
class Stream {
  constructor(seed) {
    this.x = seed >>> 0;
  }
  next() {
    return Math.floor(this.unit() * RANGE);
  }
  /** A uniform number in [0, 1). */
  unit() {
    this.x = (Math.imul(this.x, 1103515245) + 12345) >>> 0;
    return this.x / 4294967296;
  }
}

/**
 * `count` frames of argv in one buffer, with the offsets of each placeholder
 * kind. An argv of argvs (MULTI) is a unit of several commands per frame.
 */
function frames(argv, count) {
  let text = '';
  const slots = { int: [], scr: [], next: [], lon: [], lat: [] };
  const unit = Array.isArray(argv[0]) ? argv : [argv];
  for (let f = 0; f < count; f++) {
    for (const cmd of unit) {
      text += `*${cmd.length}\r\n`;
      for (const a of cmd) {
        text += `$${a.length}\r\n`;
        for (const [kind, ph] of [['int', '__rand_int__'], ['scr', '__rand_scr__'], ['next', '__next_int__'], ['lon', '__rand_lon__'], ['lat', '__rand_lat__']]) {
          for (let i = a.indexOf(ph); i >= 0; i = a.indexOf(ph, i + 1)) slots[kind].push(text.length + i + ph.length);
        }
        text += a + '\r\n';
      }
    }
  }
  const buf = Buffer.alloc(Math.max(64 * 1024, text.length));
  buf.write(text, 'latin1');
  return { buf, len: text.length, slots };
}

/** A random coordinate within +-limit as 12 characters (sign, 3 digits, point, 7 digits) ending at `end`. */
function putCoord(buf, end, stream, limit) {
  const v = (stream.unit() * 2 - 1) * limit;
  let u = Math.round(Math.abs(v) * 1e7);
  for (let j = 1; j <= 11; j++) {
    if (j === 8) buf[end - j] = 46; // '.'
    else {
      buf[end - j] = 48 + (u % 10);
      u = Math.floor(u / 10);
    }
  }
  buf[end - 12] = v < 0 ? 45 : 43;
}

/** The same as a string (preloads). */
function coord(stream, limit) {
  const b = Buffer.alloc(12);
  putCoord(b, 12, stream, limit);
  return b.toString('latin1');
}

/** Writes v as 12 zero-padded digits ending at `end`. */
function put12(buf, end, v) {
  for (let j = 1; j <= 12; j++, v = Math.floor(v / 10)) buf[end - j] = 48 + (v % 10);
}

function encode(argv) {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
}
/** With {r:N} arguments: 4096 requests with their random integers drawn, cycled through by the loop. */
if (PIPELINE > 1 && ARGV.some((a) => typeof a === 'string' && /\{r:\d+\}/.test(a))) throw new Error('{r:N} commands run one per read (PIPELINE=1)');
const RANDOM_FRAMES = ARGV.some((a) => typeof a === 'string' && /\{r:\d+\}/.test(a))
  ? Array.from({ length: 4096 }, () => Buffer.from(encode(ARGV.map((a) => a.replace(/\{r:(\d+)\}/g, (_, n) => String(Math.floor(Math.random() * Number(n)))))), 'latin1'))
  : [];

// Each build gets its own copy of the loop, so their type feedback stays apart.
const LOOP = `
  const ints = frame.slots.int, scrs = frame.slots.scr, nexts = frame.slots.next, buf = frame.buf;
  let len = frame.len;
  const lons = frame.slots.lon, lats = frame.slots.lat;
  for (let i = 0; i < n; i += per) {
    if (rframes.length !== 0) {
      const f = rframes[(i / per) & 4095];
      f.copy(buf);
      len = f.length;
    } else if (randomKeys) {
      for (let j = 0; j < ints.length; j++) put12(buf, ints[j], memberStream.next());
      for (let j = 0; j < scrs.length; j++) put12(buf, scrs[j], scoreStream.next());
      for (let j = 0; j < lons.length; j++) putCoord(buf, lons[j], scoreStream, 180);
      for (let j = 0; j < lats.length; j++) putCoord(buf, lats[j], scoreStream, 85);
    }
    for (let j = 0; j < nexts.length; j++) put12(buf, nexts[j], counter.n++);
    server.inInputHandler++;
    client.onData(buf, len);
    server.inInputHandler--;
    server.flushPending();
    // As if this turn's flush were still to come: no setImmediate per command
    // (the real server schedules one per event-loop turn, for every client).
    server.flushScheduled = true;
  }
  server.flushScheduled = false;`;

/** Feeds a whole buffer of commands to a client (untimed set-up). */
function feed(server, client, text) {
  const buf = Buffer.from(text, 'latin1');
  // Flushed right here: no setImmediate per command (see LOOP).
  server.flushScheduled = true;
  server.inInputHandler++;
  client.onData(buf, buf.length);
  server.inInputHandler--;
  server.flushPending();
}

function preload(server, client) {
  for (let i = 0; i < KEYS; i += 500) {
    const args = ['MSET'];
    for (let k = i; k < Math.min(KEYS, i + 500); k++) args.push('key:' + String(k).padStart(12, '0'), 'xxx');
    feed(server, client, encode(args));
  }
  const pos = new Stream(11);
  for (let i = 0; i < GEO_SIZE; i += 1000) {
    const args = ['GEOADD', 'mygeo'];
    for (let k = i; k < Math.min(GEO_SIZE, i + 1000); k++) args.push(coord(pos, 180), coord(pos, 85), 'element:' + String(k).padStart(12, '0'));
    feed(server, client, `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join(''));
  }
  const scores = new Stream(7);
  const CHUNK = 1000;
  for (let i = 0; i < ZSET_SIZE; i += CHUNK) {
    const n = Math.min(CHUNK, ZSET_SIZE - i);
    const args = ['ZADD', 'myzset'];
    for (let k = 0; k < n; k++) args.push(RANDOM_SCORES ? String(scores.next()) : '0', 'element:' + String(i + k).padStart(12, '0'));
    feed(server, client, `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join(''));
  }
}

const runs = [];
for (const dir of builds) {
  const url = pathToFileURL(path.resolve(dir, 'src/server/server.js')).href;
  const { Server } = await import(url + `?build=${runs.length}`);
  const server = new Server();
  server.log.silent = true;
  const client = server.createClient(null);
  if (ZSET_SIZE > 0 || GEO_SIZE > 0 || KEYS > 0) preload(server, client);
  for (const argv of SETUP) feed(server, client, encode(argv));
  const params = ['server', 'client', 'frame', 'n', 'per', 'randomKeys', 'memberStream', 'scoreStream', 'counter', 'put12', 'putCoord', 'rframes'];
  const loop = new Function(...params, LOOP);
  runs.push({ dir, server, client, frame: frames(ARGV, PIPELINE), refill: REFILL && frames(REFILL, PIPELINE), loop, refillLoop: new Function(...params, LOOP), best: Infinity, times: [], ratios: [], counter: { n: RANGE } });
}

const N = Math.ceil(PER_ROUND / PIPELINE) * PIPELINE;
let seed = 1;
const profiler = env.CPU_PROFILE ? await startProfiler() : null;
for (let round = 0; round < ROUNDS; round++) {
  const ns = [];
  const order = runs.map((_, i) => i);
  if (round & 1) order.reverse();
  const roundSeed = seed++;
  for (const i of order) {
    const r = runs[i];
    let n = N;
    if (CMD === 'XREADGROUP') {
      // A fresh group each round: every read delivers one new entry.
      feed(r.server, r.client, encode(['XGROUP', 'DESTROY', 'mystream', 'g']) + encode(['XGROUP', 'CREATE', 'mystream', 'g', '0']));
      n = Math.min(N, Math.ceil(SIZE / PIPELINE) * PIPELINE);
    }
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    r.loop(r.server, r.client, r.frame, n, PIPELINE, randomKeys, new Stream(roundSeed), new Stream(roundSeed + 1e6), r.counter, put12, putCoord, RANDOM_FRAMES);
    const c1 = process.cpuUsage(c0);
    // CPU time when asked: on a crowded machine wall time also counts the waits for a CPU.
    ns[i] = USE_CPU ? ((c1.user + c1.system) * 1000) / n : Number(process.hrtime.bigint() - t0) / n;
    r.best = Math.min(r.best, ns[i]);
    // The refill replays the round's member stream (ZREM) or adds new members (ZPOPMIN).
    if (r.refill) r.refillLoop(r.server, r.client, r.refill, N, PIPELINE, true, new Stream(roundSeed), new Stream(roundSeed + 2e6), r.counter, put12, putCoord, []);
  }
  // The first rounds are warm-up (the JIT is still compiling).
  if (round >= Math.min(20, ROUNDS >> 1)) {
    runs.forEach((r, i) => {
      r.ratios.push(ns[i] / ns[0]);
      r.times.push(ns[i]);
    });
  }
}
if (profiler !== null) await profiler.stop(env.CPU_PROFILE);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const setting = GEO_SIZE > 0
  ? ` (${GEO_SIZE} geo members, -P ${PIPELINE})`
  : ZSET_SIZE > 0
    ? ` (${ZSET_SIZE} members, ${RANDOM_SCORES ? 'random' : 'equal'} scores, -P ${PIPELINE})`
    : isStream ? ` (stream of ${SIZE} entries, -P ${PIPELINE})` : PIPELINE > 1 ? ` (-P ${PIPELINE})` : '';
for (const r of runs) {
  const key = GEO_SIZE > 0 ? 'mygeo' : 'myzset';
  const card = ZSET_SIZE > 0 || GEO_SIZE > 0 ? `, ${r.server.keyspace.dbs[0].dict.get(key)?.value.size ?? 0} members at the end` : '';
  console.log(`${command.toUpperCase()}${setting} ${r.dir}: best ${r.best.toFixed(0)} ns${USE_CPU ? ' CPU' : ''}/command, median ${median(r.times).toFixed(0)}, median ratio to the first ${median(r.ratios).toFixed(3)}${card}`);
}

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

/** STREAM-MEMORY (run with --expose-gc): heap and array-buffer bytes per entry of MEMSIZE stream entries. */
async function streamMemory(dirs) {
  const MEMSIZE = Number(process.env.MEMSIZE ?? 1000000);
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  for (const dir of dirs) {
    const { Server } = await import(pathToFileURL(path.resolve(dir, 'src/server/server.js')).href + `?mem=${dir}`);
    const server = new Server();
    server.log.silent = true;
    const client = server.createClient(null);
    globalThis.gc();
    const m0 = process.memoryUsage();
    for (let i = 0; i < MEMSIZE; i += 500) feed(server, client, streamFill(Math.min(500, MEMSIZE - i)).map((a) => encode(a)).join(''));
    globalThis.gc();
    const m1 = process.memoryUsage();
    const heap = (m1.heapUsed - m0.heapUsed) / MEMSIZE;
    const ab = (m1.arrayBuffers - m0.arrayBuffers) / MEMSIZE;
    console.log(`STREAM-MEMORY ${dir}: ${MEMSIZE} entries of 3 small fields: ${heap.toFixed(1)} B/entry heap + ${ab.toFixed(1)} B/entry array buffers = ${(heap + ab).toFixed(1)} B/entry`);
  }
}

/** A CPU profiler started now (node:inspector); stop(file) writes the profile. */
async function startProfiler() {
  const { Session } = await import('node:inspector');
  const fs = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
