// npm run bench:scale: Spinel and the reference Redis with large data, one
// server at a time, each part in a fresh server.
//
//   keys: SET key:__rand_int__ xxx from redis-benchmark (-c 50, -P 1) until the
//     database holds each of SCALE_KEYS keys (default 10 M, then 50 M); the
//     load time and memory at each, and p50/p99/max latency and requests/s
//     for every tenth of the way (SCALE_STEPS) while it grows from empty.
//   hash, set, zset: one key each grown to SCALE_MEMBERS members (default 20 M)
//     by HSET myhash element:__rand_int__ xxx, SADD myset element:__rand_int__
//     and ZADD myzset __rand_int__ element:__rand_int__ (-P 16); load time,
//     memory, and latency while they grow.
// Memory is the server's resident size (VmRSS from /proc) and INFO's
// used_memory, read SCALE_SETTLE seconds (default 2) after the load.
//
// The keys are redis-benchmark's random 12-digit names drawn from -r
// SCALE_RANGE (default 1,000,000,000, 20x the largest load): each step runs as
// many requests as are expected to reach its key count (the expected overlap
// of random keys taken into account; the table shows the count reached), so
// nearly every write adds a key, as when a database grows. Both servers get the
// same random sequence (--seed per step). With a range equal to the target,
// e.g. -r 50000000 for 50 M keys, the last keys would take ever more requests
// (a random key is new ever more rarely); the range must exceed the target.
//
// A server that dies (its exit and the error it printed are reported), or
// answers no probe (DBSIZE / HLEN / SCARD / ZCARD once a second) with a new
// count for SCALE_STALL seconds (default 60), or has not finished a step
// (one redis-benchmark run) after SCALE_TIMEOUT minutes (default 60) is killed
// and reported as such; the run goes on with the next part. Servers are killed
// when the script ends.
//
// Settings, as environment variables or flags (`npm run bench:scale --
// --keys 1000000 --members 1000000` for a quick check):
//   SCALE_KEYS (--keys, comma list), SCALE_MEMBERS (--members), SCALE_STEPS,
//   SCALE_RANGE, SCALE_PARTS ("keys,hash,set,zset"), SCALE_SERVERS
//   ("redis,spinel"), SCALE_C (clients, 50), SCALE_PIPELINE (for keys, 1),
//   SCALE_COLLECTION_PIPELINE (16), SCALE_VALUE (value bytes, 3),
//   SCALE_STALL, SCALE_TIMEOUT, SCALE_SETTLE, SCALE_PIN (1: servers on CPU 1,
//   redis-benchmark on CPU 0). Spinel's heap limit is Node's default (~4 GB
//   here); NODE_OPTIONS=--max-old-space-size=N raises it.
// The reference is $REDIS_SERVER (path to redis-server; redis-benchmark is
// taken from beside it), else ../shared/redis-7.2.6/bin, else PATH.
import { fileURLToPath } from 'node:url';
import { Conn, count, describeDeath, findRedis, flagsToEnv, hasTaskset, infoField, mb, rssBytes, runBenchmark, sleep, startServer, stopServer, table, usage } from './bench-lib.mjs';

const SETTINGS = ['KEYS', 'MEMBERS', 'STEPS', 'RANGE', 'PARTS', 'SERVERS', 'C', 'PIPELINE', 'COLLECTION_PIPELINE', 'VALUE', 'STALL', 'TIMEOUT', 'SETTLE', 'PIN'];
if (flagsToEnv('SCALE', SETTINGS)) {
  console.log(usage(fileURLToPath(import.meta.url)));
  process.exit(0);
}
const env = process.env;
const num = (name, dflt) => {
  const v = Number(env[name] ?? dflt);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number, not ${env[name]}`);
  return v;
};
const KEYS = (env.SCALE_KEYS || '10000000,50000000').split(',').map(Number).sort((a, b) => a - b);
const MEMBERS = num('SCALE_MEMBERS', 20000000);
const STEPS = Math.max(1, num('SCALE_STEPS', 10));
const RANGE = num('SCALE_RANGE', 1000000000);
const C = num('SCALE_C', 50);
const PIPELINE = num('SCALE_PIPELINE', 1);
const COLLECTION_PIPELINE = num('SCALE_COLLECTION_PIPELINE', 16);
const VALUE = 'x'.repeat(num('SCALE_VALUE', 3));
const STALL_MS = num('SCALE_STALL', 60) * 1000;
const TIMEOUT_MS = num('SCALE_TIMEOUT', 60) * 60000;
const SETTLE_MS = num('SCALE_SETTLE', 2) * 1000;
const PARTS = (env.SCALE_PARTS || 'keys,hash,set,zset').split(',');
const SERVERS = (env.SCALE_SERVERS || 'redis,spinel').split(',');
const PIN = env.SCALE_PIN === '1' && hasTaskset;
if (env.SCALE_PIN === '1' && !hasTaskset) console.error('SCALE_PIN=1 but taskset is not installed: not pinning');
const SERVER_CPU = PIN ? 1 : null;
const CLIENT_CPU = PIN ? 0 : null;

const PART_DEFS = {
  keys: { what: 'keys', targets: KEYS, pipeline: PIPELINE, command: ['SET', 'key:__rand_int__', VALUE], probe: ['DBSIZE'] },
  hash: { what: 'hash fields', targets: [MEMBERS], pipeline: COLLECTION_PIPELINE, command: ['HSET', 'myhash', 'element:__rand_int__', VALUE], probe: ['HLEN', 'myhash'] },
  set: { what: 'set members', targets: [MEMBERS], pipeline: COLLECTION_PIPELINE, command: ['SADD', 'myset', 'element:__rand_int__'], probe: ['SCARD', 'myset'] },
  zset: { what: 'zset members', targets: [MEMBERS], pipeline: COLLECTION_PIPELINE, command: ['ZADD', 'myzset', '__rand_int__', 'element:__rand_int__'], probe: ['ZCARD', 'myzset'] },
};
for (const p of PARTS) if (!PART_DEFS[p]) throw new Error(`unknown part ${p} (keys, hash, set, zset)`);
for (const p of PARTS) {
  const top = PART_DEFS[p].targets.at(-1);
  if (!(top > 0)) throw new Error(`part ${p}: nothing to load`);
  if (top >= RANGE) throw new Error(`SCALE_RANGE (${RANGE}) must exceed the largest load (${top})`);
}
if (RANGE > 2147483647) throw new Error('SCALE_RANGE is at most 2147483647 (redis-benchmark takes an int)');

const redisBin = findRedis();

/** The requests that take a random keyspace of RANGE from `have` to `want` distinct keys, on average. */
function requestsFor(have, want) {
  return Math.max(1, Math.ceil(-RANGE * Math.log(1 - (want - have) / (RANGE - have))));
}

/** Step boundaries: every 1/STEPS of the largest target, plus the targets. */
function boundaries(targets) {
  const top = targets.at(-1);
  const b = new Set(targets);
  for (let i = 1; i <= STEPS; i++) b.add(Math.round((top * i) / STEPS));
  return [...b].filter((x) => x > 0).sort((x, y) => x - y);
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no reply in ${ms / 1000} s`)), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * Probes the server once a second while a load runs: the count must change
 * within STALL_MS (and the load finish within TIMEOUT_MS), or the server is
 * killed and `failure` says why.
 */
class Watchdog {
  constructor(server, conn, probe) {
    Object.assign(this, { server, conn, probe, last: 0, failure: null, active: false });
    this.timer = setInterval(() => this.tick(), 1000);
  }

  begin() {
    this.active = true;
    this.started = this.progressAt = Date.now();
  }

  end() {
    this.active = false;
  }

  async tick() {
    if (!this.active || this.failure || this.server.exit) return;
    const now = Date.now();
    if (now - this.progressAt > STALL_MS) return this.kill(`no progress for ${STALL_MS / 1000} s (answered no probe with a new count)`);
    if (now - this.started > TIMEOUT_MS) return this.kill(`a step still running after ${TIMEOUT_MS / 60000} min`);
    if (this.inFlight) return; // the last probe is unanswered: wait, without piling up more
    this.inFlight = true;
    try {
      const n = await this.conn.send(...this.probe);
      if (n !== this.last) {
        this.last = n;
        this.progressAt = Date.now();
      }
    } catch {
      // The server is gone or closing: its exit is reported elsewhere.
    } finally {
      this.inFlight = false;
    }
  }

  kill(why) {
    this.failure = why;
    this.server.child.kill('SIGKILL');
  }

  stop() {
    clearInterval(this.timer);
  }
}

/** Memory of a running server: VmRSS and INFO's used_memory. */
async function memory(server, conn) {
  const info = await withTimeout(conn.send('INFO', 'memory'), STALL_MS);
  return { rss: rssBytes(server.pid), used: infoField(info, 'used_memory') };
}

/** Grows one part in a fresh server; returns its steps, checkpoints and how it ended. */
async function grow(kind, partName, partIndex) {
  const part = PART_DEFS[partName];
  const result = { kind, part: partName, steps: [], checkpoints: [], failure: null, empty: null };
  const server = await startServer(kind, { redis: redisBin, cpu: SERVER_CPU });
  const conn = await Conn.open(server.port);
  const probeConn = await Conn.open(server.port);
  const dog = new Watchdog(server, probeConn, part.probe);
  try {
    result.empty = await memory(server, conn);
    let have = 0;
    let loadMs = 0;
    const bounds = boundaries(part.targets);
    for (let i = 0; i < bounds.length; i++) {
      const want = bounds[i];
      if (want <= have) continue;
      const n = requestsFor(have, want);
      const args = ['-c', String(C), '-P', String(part.pipeline), '-n', String(n), '-r', String(RANGE), '--seed', String(partIndex * 1000 + i + 1), ...part.command];
      dog.begin();
      const t0 = Date.now();
      const bench = runBenchmark(redisBin, server.port, args, { cpu: CLIENT_CPU, timeoutMs: TIMEOUT_MS + STALL_MS });
      // A server that dies leaves redis-benchmark to give up on its own ("All
      // clients disconnected"); it is killed if it has not within 5 s.
      let running = true;
      server.exited.then(() => running && setTimeout(() => bench.child.kill('SIGKILL'), 5000).unref());
      const res = await bench;
      running = false;
      const ms = Date.now() - t0;
      dog.end();
      let reached = null;
      if (!server.exit) {
        try {
          reached = await withTimeout(conn.send(...part.probe), STALL_MS);
        } catch (e) {
          // It may be dying: give it a moment to exit before calling it hung.
          await withTimeout(server.exited, 5000).catch(() => {});
          if (!server.exit) dog.kill(`no answer to ${part.probe[0]} after the load (${e.message})`);
        }
      }
      if (!res.rows || reached === null) {
        // A server the watchdog killed, or one on its way out, is reported once it is gone.
        await withTimeout(server.exited, 10000).catch(() => {});
        const at = Math.max(dog.last, have);
        const why = dog.failure ?? (server.exit ? describeDeath(server) : `redis-benchmark failed: ${res.error}`);
        result.failure = { at, why, output: server.output };
        result.steps.push({ from: have, to: at, target: want, failed: true });
        console.error(`${kind} ${partName}: stopped at about ${count(at)} ${part.what}: ${why}`);
        break;
      }
      const row = res.rows.at(-1);
      loadMs += ms;
      result.steps.push({ from: have, to: reached, target: want, requests: n, seconds: ms / 1000, rps: row.rps, p50: row.p50, p99: row.p99, max: row.max });
      console.error(`${kind} ${partName}: ${count(have)} -> ${count(reached)} ${part.what} in ${(ms / 1000).toFixed(1)} s, ${row.rps.toFixed(0)} req/s, p50/p99/max ${row.p50}/${row.p99}/${row.max} ms`);
      have = reached;
      if (part.targets.includes(want)) {
        await sleep(SETTLE_MS);
        const mem = await memory(server, conn);
        result.checkpoints.push({ target: want, reached, seconds: loadMs / 1000, ...mem });
        console.error(`${kind} ${partName}: ${count(reached)} ${part.what} loaded in ${(loadMs / 1000).toFixed(1)} s; RSS ${mb(mem.rss)}, used_memory ${mb(mem.used)}`);
      }
    }
  } catch (e) {
    result.failure ??= { at: dog.last, why: server.exit ? describeDeath(server) : e.message, output: server.output };
    console.error(`${kind} ${partName}: ${result.failure.why}`);
  } finally {
    dog.stop();
    conn.close();
    probeConn.close();
    await stopServer(server);
  }
  return result;
}

async function main() {
  const start = Date.now();
  console.log(
    `bench:scale: ${PARTS.includes('keys') ? `${KEYS.map(count).join(' and ')} keys (-P ${PIPELINE}); ` : ''}` +
      `${PARTS.some((p) => p !== 'keys') ? `${PARTS.filter((p) => p !== 'keys').join(', ')} of ${count(MEMBERS)} members (-P ${COLLECTION_PIPELINE}); ` : ''}` +
      `redis-benchmark ${redisBin.benchmarkVersion} -c ${C} -r ${RANGE}, values of ${VALUE.length} bytes; ` +
      `redis-server ${redisBin.version} (${redisBin.server}, from ${redisBin.from}); Spinel with NODE_OPTIONS=${env.NODE_OPTIONS ?? ''}${PIN ? '; servers pinned to CPU 1, the client to CPU 0' : ''}\n`,
  );
  const results = {};
  for (let p = 0; p < PARTS.length; p++) {
    for (const kind of SERVERS) results[`${PARTS[p]}/${kind}`] = await grow(kind, PARTS[p], p);
  }

  // Load time and memory, one row per loaded size.
  const memRows = [];
  const notes = [];
  for (const partName of PARTS) {
    const part = PART_DEFS[partName];
    for (const target of part.targets) {
      const row = [`${count(target)} ${part.what}`];
      const cps = {};
      for (const kind of SERVERS) {
        const r = results[`${partName}/${kind}`];
        const cp = r.checkpoints.find((c) => c.target === target);
        cps[kind] = cp;
        if (cp) row.push(`${cp.seconds.toFixed(1)} s (${count(cp.reached)})`, mb(cp.rss), mb(cp.used));
        else row.push(r.failure ? `failed at ${count(r.failure.at)}` : 'n/a', '', '');
      }
      if (SERVERS.includes('redis') && SERVERS.includes('spinel')) {
        const [a, b] = [cps.redis, cps.spinel];
        row.push(a && b ? (b.rss / a.rss).toFixed(2) : '', a && b && a.used && b.used ? (b.used / a.used).toFixed(2) : '');
      }
      memRows.push(row);
    }
    for (const kind of SERVERS) {
      const r = results[`${partName}/${kind}`];
      if (r.failure) notes.push(`- ${kind}, ${partName}: stopped at about ${count(r.failure.at)} ${part.what}: ${r.failure.why}`);
    }
  }
  const memHeader = ['data'];
  for (const kind of SERVERS) memHeader.push(`${kind} load time (reached)`, `${kind} RSS`, `${kind} used_memory`);
  if (SERVERS.includes('redis') && SERVERS.includes('spinel')) memHeader.push('RSS ratio', 'used_memory ratio');
  const empties = SERVERS.map((k) => {
    const r = Object.values(results).find((x) => x.kind === k && x.empty);
    return r ? `${k} ${mb(r.empty.rss)} RSS / ${mb(r.empty.used)} used_memory` : null;
  }).filter(Boolean);
  console.log(`Load time and memory (empty servers: ${empties.join(', ')})\n`);
  console.log(table(memHeader, memRows));
  if (notes.length) console.log('\n' + notes.join('\n'));

  // Latency while each part grows, one row per step.
  for (const partName of PARTS) {
    const part = PART_DEFS[partName];
    const bounds = boundaries(part.targets);
    const header = [part.what];
    for (const kind of SERVERS) header.push(`${kind} req/s`, `${kind} p50/p99/max ms`);
    const rows = [];
    let prev = 0;
    for (const b of bounds) {
      const row = [`${count(prev)} → ${count(b)}`];
      for (const kind of SERVERS) {
        const s = results[`${partName}/${kind}`].steps.find((x) => x.target === b);
        if (!s) row.push('', '');
        else if (s.failed) row.push('failed', `at ${count(s.to)}`);
        else row.push(s.rps.toFixed(0), `${s.p50}/${s.p99}/${s.max}`);
      }
      rows.push(row);
      prev = b;
    }
    const cmd = part.command.join(' ');
    console.log(`\nLatency while ${part.what} grow (redis-benchmark -c ${C} -P ${part.pipeline} -r ${RANGE} ${cmd})\n`);
    console.log(table(header, rows));
  }
  console.log(`\n(${((Date.now() - start) / 60000).toFixed(1)} min)`);
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
