// npm run bench: redis-benchmark against Spinel and the reference Redis side
// by side in one run, printing requests/s, p50/p99/max latency and ratios.
//
// Settings are environment variables or the same names as flags
// (`npm run bench -- --keyspace 1000000 --rounds 5 --pin`):
//   BENCH_KEYSPACE (--keyspace): redis-benchmark's -r, the random keyspace every
//     test runs with (default 100000; 1: no -r). Tests whose commands use __rand_int__
//     (SET, GET, INCR, MSET, SADD, HSET, ZADD, and MULTI below) are run a second time
//     without -r, on one key as redis-benchmark does by default, unless BENCH_ONE_KEY=0.
//   BENCH_N (requests at -P 1, default 200000; 5x that when pipelined),
//   BENCH_C (clients, 50), BENCH_TESTS (comma list of redis-benchmark test
//   names, the command tests in CUSTOM below, and `multi`: the unit MULTI / SET key:__rand_int__ xxx / EXEC as
//   one request, -P 16 writing 16 units at once; redis-benchmark sends one
//   command per request, so scripts/bench-multi.mjs drives this test, with
//   redis-benchmark's options and output), BENCH_PIPELINES ("1,16"), BENCH_ROUNDS (runs per server and test,
//   alternating; default 3), BENCH_PIN (1: pin the servers to CPU 1 and
//   redis-benchmark to CPU 0 with taskset), BENCH_FLOOR (1: also run
//   scripts/bench-floor.mjs, a Node server with Spinel's socket I/O that
//   answers +OK to everything, as a third column: what any Node server gets).
//   BENCH_PREFILL (default 1): before each run, GET's keys exist and the pop
//     tests' list, set and zset hold as many elements as the run pops (0: they
//     run on an empty database, misses and pops of a missing key).
//   BENCH_MAX_STEAL (percent, default 10) and BENCH_EXTRA_ROUNDS (default
//     BENCH_ROUNDS): a round (one run of each server) during which the
//     hypervisor stole more than BENCH_MAX_STEAL% of the machine is set aside
//     and another round is run, up to BENCH_EXTRA_ROUNDS more; the BENCH_ROUNDS
//     rounds with the least steal are reported. Both servers of a round are
//     kept or set aside together.
// The reference is $REDIS_SERVER (path to redis-server; redis-benchmark is
// taken from beside it), else ../shared/redis-7.2.6/bin, else PATH.
//
// Per test it prints each server's best round and their ratio, the median of
// the per-round ratios (round i of Redis against round i of Spinel, run back to
// back), each server's CPU time per request (utime+stime of the server process
// from /proc, all threads), the share of the machine's time stolen by the
// hypervisor during the test (/proc/stat), and each server's p50/p99/max
// latency (medians over the kept rounds).
//
// Besides redis-benchmark's own tests, `get_tracking` runs GET over RESP3
// with CLIENT TRACKING ON on every connection (redis-benchmark -3
// --enable-tracking): each key read goes in the server's tracking table.
// Pub/Sub fan-out and memory per subscription: scripts/bench-pubsub.mjs.
import { cpuTicks, Conn, describeDeath, findRedis, flagsToEnv, hasTaskset, machineTicks, median, runBenchmark, sleep, startServer, stopServer, table, TICK_US, usage } from './bench-lib.mjs';
import { fileURLToPath } from 'node:url';

const SETTINGS = ['KEYSPACE', 'ONE_KEY', 'N', 'C', 'TESTS', 'PIPELINES', 'ROUNDS', 'PIN', 'FLOOR', 'PREFILL', 'MAX_STEAL', 'EXTRA_ROUNDS'];
if (flagsToEnv('BENCH', SETTINGS)) {
  console.log(usage(fileURLToPath(import.meta.url)));
  process.exit(0);
}
const env = process.env;
const N = Number(env.BENCH_N || 200000);
const C = Number(env.BENCH_C || 50);
const KEYSPACE = Number(env.BENCH_KEYSPACE || 100000);
const ONE_KEY = env.BENCH_ONE_KEY !== '0';
const PREFILL = env.BENCH_PREFILL !== '0';
const ROUNDS = Number(env.BENCH_ROUNDS || 3);
const MAX_STEAL = Number(env.BENCH_MAX_STEAL ?? 10);
const EXTRA_ROUNDS = Number(env.BENCH_EXTRA_ROUNDS ?? ROUNDS);
const PIPELINES = (env.BENCH_PIPELINES || '1,16').split(',').map(Number);
const TESTS = (
  env.BENCH_TESTS ||
  'ping_mbulk,set,get,get_tracking,incr,mset,lpush,rpush,lpop,rpop,sadd,spop,hset,zadd,zpopmin,lrange_100,lrange_300,multi,' +
    'xadd,xrange,xreadgroup,setbit,getbit,bitcount,pfadd,pfcount,geoadd,geosearch'
).split(',');
/** Tests that are a redis-benchmark test with extra options: name -> [test, options]. */
const VARIANTS = { get_tracking: ['get', ['-3', '--enable-tracking']] };
// BENCH_PIN=1: servers on CPU 1, redis-benchmark on CPU 0 (taskset). Steadier
// figures on a small shared machine; without it the scheduler places them.
const PIN = env.BENCH_PIN === '1' && hasTaskset;
if (env.BENCH_PIN === '1' && !hasTaskset) console.error('BENCH_PIN=1 but taskset is not installed: not pinning');
const FLOOR = env.BENCH_FLOOR === '1';
const SERVER_CPU = PIN ? 1 : null;
const CLIENT_CPU = PIN ? 0 : null;
if (!(KEYSPACE >= 1) || !Number.isInteger(KEYSPACE)) throw new Error(`BENCH_KEYSPACE must be a positive integer, not ${env.BENCH_KEYSPACE}`);

// The tests whose commands redis-benchmark randomises with -r (its default
// suite: SET/GET key:__rand_int__, INCR counter:__rand_int__, MSET of ten such
// keys, SADD and HSET element:__rand_int__, ZADD with random score and member).
// The list tests use the one key mylist, SPOP and ZPOPMIN one set and zset,
// PING none: -r changes nothing for them, so they run once.
const RANDOMISED = new Set(['set', 'get', 'get_tracking', 'incr', 'mset', 'sadd', 'hset', 'zadd', 'multi']);

/** Tests redis-benchmark cannot run, with the driver that runs them instead. */
const DRIVERS = { multi: [process.execPath, fileURLToPath(new URL('./bench-multi.mjs', import.meta.url))] };

/**
 * Command tests: redis-benchmark runs `cmd` (arguments after its options).
 * A `__rand_int__` in it is drawn from the -r keyspace. SETBIT/GETBIT use a
 * fixed offset: redis-benchmark writes __rand_int__ as 12 zero-padded digits,
 * which Redis refuses as a bit offset (string2ll takes no leading zeros), so
 * random offsets are measured in-process (scripts/bench-inprocess.mjs
 * SETBIT64M, GETBIT).
 */
const CUSTOM = {
  xadd: { cmd: ['XADD', 'mystream', '*', 'f', 'v'] },
  // Ten entries from the start of a 1,000-entry stream.
  xrange: { cmd: ['XRANGE', 'mystream', '-', '+', 'COUNT', '10'] },
  // One new entry per request: the stream holds as many entries as the run reads.
  xreadgroup: { cmd: ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'mystream', '>'] },
  // One bit in the middle of a 64 Mbit (8 MB) string.
  setbit: { cmd: ['SETBIT', 'bm64m', '33554433', '1'] },
  getbit: { cmd: ['GETBIT', 'bm64m', '33554433'] },
  bitcount: { cmd: ['BITCOUNT', 'bc1m'] },
  pfadd: { cmd: ['PFADD', 'hll', 'element:__rand_int__'] },
  pfcount: { cmd: ['PFCOUNT', 'hll'] },
  // New members (random names) at one point; searches of 100 km around a point
  // in a set of 100,000 members spread over the globe (a handful in range).
  geoadd: { cmd: ['GEOADD', 'mygeo', '13.361389', '38.115556', 'element:__rand_int__'] },
  geosearch: { cmd: ['GEOSEARCH', 'mygeo', 'FROMLONLAT', '13.361389', '38.115556', 'BYRADIUS', '100', 'km', 'ASC'] },
};
for (const t of Object.values(CUSTOM)) t.randomised = t.cmd.some((a) => a.includes('__rand_int__'));

const redisBin = findRedis();

/** A 12-digit key suffix as redis-benchmark writes __rand_int__. */
const rand = (i) => String(i).padStart(12, '0');

/**
 * The data a test reads or pops, loaded before the run: without it GET
 * only misses and the pops pop an empty key (every run starts from FLUSHALL).
 * `keyspace` is the run's -r (1: no -r), `n` its request count. Yields the
 * commands one at a time (a million zset members need not sit in memory).
 */
function* prefillCommands(test, keyspace, n) {
  const chunks = function* (total, per, make) {
    for (let a = 0; a < total; a += per) {
      const args = [];
      for (let i = a; i < Math.min(total, a + per); i++) args.push(...make(i));
      yield args;
    }
  };
  if (test === 'get' || test === 'get_tracking') {
    if (keyspace === 1) yield ['SET', 'key:__rand_int__', 'xxx'];
    else for (const args of chunks(keyspace, 500, (i) => [`key:${rand(i)}`, 'xxx'])) yield ['MSET', ...args];
  } else if (test === 'lpop' || test === 'rpop') {
    for (const args of chunks(n, 1000, () => ['xxx'])) yield ['RPUSH', 'mylist', ...args];
  } else if (test === 'spop') {
    for (const args of chunks(n, 1000, (i) => [`element:${rand(i)}`])) yield ['SADD', 'myset', ...args];
  } else if (test === 'zpopmin') {
    for (const args of chunks(n, 500, (i) => [String(i), `element:${rand(i)}`])) yield ['ZADD', 'myzset', ...args];
  } else if (test === 'xrange' || test === 'xreadgroup') {
    for (let i = 0; i < (test === 'xrange' ? 1000 : n); i++) yield ['XADD', 'mystream', '*', 'f1', String(i % 1000), 'f2', 'ab', 'f3', String(i)];
    if (test === 'xreadgroup') yield ['XGROUP', 'CREATE', 'mystream', 'g', '0'];
  } else if (test === 'setbit' || test === 'getbit') {
    yield ['SETBIT', 'bm64m', '67108863', '0'];
  } else if (test === 'bitcount') {
    // 1 MB of varied bytes (printable, so the prefill stays plain text).
    let chunk = '';
    for (let i = 0; i < 65536; i++) chunk += String.fromCharCode(33 + ((i * 7919) % 94));
    for (let off = 0; off < 1 << 20; off += 65536) yield ['SETRANGE', 'bc1m', String(off), chunk];
  } else if (test === 'pfcount') {
    for (const args of chunks(5000, 500, (i) => [`seed:${i}`])) yield ['PFADD', 'hll', ...args];
  } else if (test === 'geosearch') {
    // Deterministic pseudo-random points, latitudes within Redis's limits.
    let x = 12345;
    const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296);
    for (const args of chunks(100000, 500, (i) => [(next() * 360 - 180).toFixed(6), (next() * 170 - 85).toFixed(6), `element:${rand(i)}`])) yield ['GEOADD', 'mygeo', ...args];
  }
}

/** FLUSHALL and the test's data (not on the floor server, which stores nothing). */
async function prepare(server, test, keyspace, n) {
  if (server.kind === 'floor') return;
  const c = await Conn.open(server.port);
  try {
    await c.send('FLUSHALL');
    if (PREFILL) await c.bulk(prefillCommands(test, keyspace, n), test === 'xreadgroup' ? 1000 : 20);
  } finally {
    c.close();
  }
}

/** One redis-benchmark run; the last CSV row is the test (LRANGE's LPUSH comes first). */
async function runOnce(server, test, pipeline, n, keyspace) {
  const driver = DRIVERS[test] ?? null;
  const [t, extra] = VARIANTS[test] ?? [test, []];
  const args = ['-c', String(C), '-n', String(n), '-P', String(pipeline)];
  if (driver === null && !(test in CUSTOM)) args.push('-t', t, ...extra);
  if (keyspace > 1) args.push('-r', String(keyspace));
  if (test in CUSTOM) args.push(...CUSTOM[test].cmd);
  const r = await runBenchmark(redisBin, server.port, args, { cpu: CLIENT_CPU, timeoutMs: 300000, driver });
  if (!r.rows) return null;
  const row = r.rows.filter((row) => !row.name.includes('needed to benchmark')).pop() ?? null;
  if (row && VARIANTS[test]) row.name = `${row.name} (${test})`;
  return row;
}

/** One measured run: rps and latencies plus the server's CPU µs per request. */
async function measure(server, test, pipeline, n, keyspace) {
  await prepare(server, test, keyspace, n);
  const before = cpuTicks(server.pid);
  const res = await runOnce(server, test, pipeline, n, keyspace);
  const after = cpuTicks(server.pid);
  if (res) res.cpuUs = before === null || after === null ? null : ((after - before) * TICK_US) / n;
  return res;
}

async function main() {
  const start = Date.now();
  const lineup = FLOOR ? ['redis', 'spinel', 'floor'] : ['redis', 'spinel'];
  const servers = {};
  for (const kind of lineup) servers[kind] = await startServer(kind, { redis: redisBin, cpu: SERVER_CPU });
  try {
    console.log(
      `redis-benchmark ${redisBin.benchmarkVersion} -c ${C} -n ${N} (-P 1) / ${N * 5} (-P 16; -n ${N} for LRANGE_*), -r ${KEYSPACE}` +
        `${ONE_KEY ? ' and without -r (one key) for the tests -r changes' : ''}, ${PREFILL ? "GET's keys and the pops' elements loaded before each run" : 'no prefill'}; ` +
        `after a discarded warm-up run, best of ${ROUNDS} alternating rounds (a round with over ${MAX_STEAL}% steal is replaced, up to ${EXTRA_ROUNDS} times); ` +
        `CPU µs/req and latencies as medians of the rounds${PIN ? '; servers pinned to CPU 1 and the client to CPU 0' : ''}. ` +
        `Spinel on :${servers.spinel.port}, redis-server ${redisBin.version} (${redisBin.server}, from ${redisBin.from}) on :${servers.redis.port}\n`,
    );
    const header = ['test', 'P', '-r', 'redis rps', 'spinel rps', 'ratio', 'median ratio', 'redis/spinel cpu µs/req', 'steal %', 'redis p50/p99/max ms', 'spinel p50/p99/max ms'];
    if (FLOOR) header.push('floor rps', 'floor ratio', 'floor cpu µs/req');
    const lines = [];
    for (const pipeline of PIPELINES) {
      for (const test of TESTS) {
        const keyspaces = test in CUSTOM ? [CUSTOM[test].randomised ? KEYSPACE : 1] : ONE_KEY && KEYSPACE > 1 && RANDOMISED.has(test) ? [KEYSPACE, 1] : [KEYSPACE];
        for (const keyspace of keyspaces) {
          let error = null;
          try {
            lines.push(await benchTest(servers, lineup, test, pipeline, keyspace));
          } catch (e) {
            error = e;
            await sleep(1000); // a server on its way out: let it exit before asking
          }
          const dead = lineup.filter((k) => servers[k].exit);
          if (dead.length) {
            for (const k of dead) console.log(`${k} died during ${test} -P ${pipeline}: ${describeDeath(servers[k])}`);
            if (lines.length) console.log(`\nThe tests before it:\n\n${table(header, lines)}`);
            process.exitCode = 1;
            return;
          }
          if (error) throw error;
        }
      }
    }
    console.log(table(header, lines));
  } finally {
    console.log(`\n(${((Date.now() - start) / 60000).toFixed(1)} min)`);
    for (const s of Object.values(servers)) await stopServer(s);
  }
}

/** Warm-up, rounds and one table row for one test at one pipeline depth and keyspace. */
async function benchTest(servers, lineup, test, pipeline, keyspace) {
  // A short discarded run first: Spinel's JIT warms up, and both start from the same state.
  const warm = Math.max(10000, N / 10);
  for (const who of lineup) await measure(servers[who], test, pipeline, warm, keyspace);
  // Pipelined runs are short: give them more requests for a stable figure
  // (not the LRANGE tests, whose replies make each request 100-300 times bigger).
  const n = pipeline > 1 && !test.startsWith('lrange') ? N * 5 : N;
  // The machine is shared: other load only ever slows a run down. Several
  // rounds, alternating which server goes first, keep each server's best,
  // and the median of the rounds' ratios shows how far one round is from it.
  // A round's steal share says whether it measured the servers or a
  // neighbour on the host: rounds over MAX_STEAL are replaced while extra
  // rounds remain, and the ROUNDS least-stolen rounds are kept.
  const rounds = [];
  for (let round = 0; round < ROUNDS + EXTRA_ROUNDS; round++) {
    if (round >= ROUNDS && rounds.filter((r) => r.steal <= MAX_STEAL).length >= ROUNDS) break;
    const order = round % 2 === 0 ? lineup : [...lineup].reverse();
    const t0 = machineTicks();
    const res = {};
    for (const who of order) res[who] = await measure(servers[who], test, pipeline, n, keyspace);
    const t1 = machineTicks();
    rounds.push({ res, steal: t0 && t1 && t1[1] > t0[1] ? (100 * (t1[0] - t0[0])) / (t1[1] - t0[1]) : 0 });
  }
  const leastStolen = new Set([...rounds].sort((x, y) => x.steal - y.steal).slice(0, ROUNDS));
  const kept = rounds.filter((r) => leastStolen.has(r));
  const setAside = rounds.length - kept.length;
  const runs = (who) => kept.map((r) => r.res[who]).filter(Boolean);
  const stealPct = machineTicks() ? median(kept.map((r) => r.steal)).toFixed(0) : 'n/a';
  const aside = setAside ? ` (${setAside} round${setAside > 1 ? 's' : ''} set aside)` : '';
  const r = keyspace > 1 ? String(keyspace) : 'one key';
  const best = (rs) => rs.reduce((x, y) => (!x || y.rps > x.rps ? y : x), null);
  const cpu = (rs) => {
    const xs = rs.filter((x) => x.cpuUs !== null).map((x) => x.cpuUs);
    return xs.length ? median(xs).toFixed(1) : 'n/a';
  };
  const latency = (rs) => (rs.length ? ['p50', 'p99', 'max'].map((k) => +median(rs.map((x) => x[k])).toFixed(3)).join('/') : 'n/a');
  const a = best(runs('redis'));
  const b = best(runs('spinel'));
  const name = (a || b)?.name ?? test.toUpperCase();
  const floorCols = () => {
    if (!FLOOR) return [];
    const f = best(runs('floor'));
    return [f ? f.rps.toFixed(0) : 'n/a', f && a ? (f.rps / a.rps).toFixed(2) : 'n/a', cpu(runs('floor'))];
  };
  if (!a || !b) {
    return [name, String(pipeline), r, a ? a.rps.toFixed(0) : 'n/a', b ? b.rps.toFixed(0) : 'n/a', 'n/a', 'n/a', '', stealPct + aside, latency(runs('redis')), latency(runs('spinel')), ...floorCols()];
  }
  const paired = kept.filter((x) => x.res.redis && x.res.spinel);
  const ratios = paired.map((x) => x.res.spinel.rps / x.res.redis.rps);
  const each = paired.map((x, i) => `${ratios[i].toFixed(2)}=${(x.res.spinel.rps / 1000).toFixed(0)}k/${(x.res.redis.rps / 1000).toFixed(0)}k@${x.steal.toFixed(0)}%`).join(' ');
  console.error(`${name} P=${pipeline} -r ${r}: redis ${a.rps.toFixed(0)} spinel ${b.rps.toFixed(0)} ratio ${(b.rps / a.rps).toFixed(2)} (rounds, ratio=spinel/redis rps@steal: ${each}) steal ${stealPct}%${aside}`);
  return [
    name,
    String(pipeline),
    r,
    a.rps.toFixed(0),
    b.rps.toFixed(0),
    (b.rps / a.rps).toFixed(2),
    ratios.length ? median(ratios).toFixed(2) : 'n/a',
    `${cpu(runs('redis'))}/${cpu(runs('spinel'))}`,
    stealPct + aside,
    latency(runs('redis')),
    latency(runs('spinel')),
    ...floorCols(),
  ];
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
