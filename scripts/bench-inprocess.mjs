// In-process A/B of whole builds: the cost per command of Client.onData (parse,
// dispatch, handler, reply) with no socket, for several compiled builds loaded
// into one process and run round by round in alternating order, so that a
// slow minute of the machine hits every build alike.
//
//   node scripts/bench-inprocess.mjs GET dist /tmp/other-build/dist
//   RANDKEYS=1 node scripts/bench-inprocess.mjs SET dist ...   (a new key per request)
//
// Prints each build's best round (ns per command) and the median of its
// per-round ratio to the first build. The same build's cost differs between
// processes (bimodal here), so compare builds within one run, and repeat it.
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
}[command.toUpperCase()];
if (!ARGV) throw new Error(`unknown command ${command}`);
const frame = Buffer.from(`*${ARGV.length}\r\n` + ARGV.map((a) => `$${a.length}\r\n${a}\r\n`).join(''));
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

const N = 20000;
for (let round = 0; round < 150; round++) {
  const ns = [];
  const order = runs.map((_, i) => i);
  if (round & 1) order.reverse();
  for (const i of order) {
    const r = runs[i];
    const t0 = process.hrtime.bigint();
    r.loop(r.server, r.client, r.buf, frame.length, N, randomKeys, keyEnd);
    ns[i] = Number(process.hrtime.bigint() - t0) / N;
    r.best = Math.min(r.best, ns[i]);
  }
  // The first rounds are warm-up (the JIT is still compiling).
  if (round >= 20) runs.forEach((r, i) => r.ratios.push(ns[i] / ns[0]));
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const r of runs) console.log(`${command.toUpperCase()} ${r.dir}: best ${r.best.toFixed(0)} ns/command, median ratio to the first ${median(r.ratios).toFixed(3)}`);
