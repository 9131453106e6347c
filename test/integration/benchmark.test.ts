// spinel-benchmark: its options and messages against redis-benchmark's, the
// shape of its report (progress line, percentile and cumulative tables,
// summary, -q, --csv), and the load it puts on a Spinel server: the requests
// and keys that arrive (INFO commandstats, DBSIZE), the payload, the
// placeholders, the prefixes (--dbnum, -a, -3), threads and pipelining.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { run, referenceTool, SPINEL_BENCHMARK, SPINEL_CLI, asSpinel } from '../helpers/cli.js';
import { Histogram } from '../../src/benchmark/hdr.js';

let spinel: SpinelHandle;
const REDIS_BENCHMARK = referenceTool('redis-benchmark');

before(async () => {
  spinel = await startSpinel({ 'enable-debug-command': 'yes' });
});
after(async () => {
  await spinel.close();
});

const bench = (args: string[], input?: string) => run(SPINEL_BENCHMARK, ['-p', String(spinel.port), ...args], { input, timeoutMs: 120000 });
const cli = async (...args: string[]): Promise<string> => (await run(SPINEL_CLI, ['-p', String(spinel.port), ...args])).stdout;

/** Calls of a command since the last CONFIG RESETSTAT. */
async function calls(cmd: string): Promise<number> {
  const info = await cli('INFO', 'commandstats');
  const m = new RegExp(`cmdstat_${cmd}:calls=(\\d+),`).exec(info);
  return m ? Number(m[1]) : 0;
}

async function fresh(): Promise<void> {
  await cli('FLUSHALL');
  await cli('CONFIG', 'RESETSTAT');
}

/** The output without its progress lines (each ends with a carriage return). */
function report(stdout: string): string {
  return stdout.replace(/[^\n\r]*\r/g, '');
}

test('options, help, version and errors read as redis-benchmark', async () => {
  const p = String(spinel.port);
  const cases = [
    ['--help'],
    ['--version'],
    ['-v'],
    ['--bogus'],
    ['-c'],
    ['-n'],
    ['-p', '99999'],
    ['-r', '-x'],
    ['-p', '1', '-n', '1'],
    ['-u', 'foo://x'],
    ['-p', p, '--cluster', '-n', '1'],
    ['-p', p, '-n', '1', '-q', 'NOSUCHCOMMAND', 'x'],
    ['-p', p, '-a', 'pw', '-n', '1', '-q', '-t', 'get'],
  ];
  for (const args of cases) {
    const ours = await run(SPINEL_BENCHMARK, args);
    if (REDIS_BENCHMARK !== null) {
      const ref = await run(REDIS_BENCHMARK, args);
      assert.equal(report(ours.stdout), report(asSpinel(ref.stdout)), `stdout of ${args.join(' ')}`);
      assert.equal(ours.stderr, asSpinel(ref.stderr), `stderr of ${args.join(' ')}`);
      assert.equal(ours.code, ref.code, `exit code of ${args.join(' ')}`);
    }
  }
  const help = await run(SPINEL_BENCHMARK, ['--help']);
  assert.ok(help.stdout.startsWith('Usage: spinel-benchmark [OPTIONS] [COMMAND ARGS...]\n'));
  assert.equal(help.code, 0);
  const bad = await run(SPINEL_BENCHMARK, ['--bogus']);
  assert.ok(bad.stdout.startsWith('Invalid option "--bogus" or option argument missing\n\nUsage:'));
  assert.equal(bad.code, 1);
  const warn = await bench(['-e', '--threads', '501', '-k', '0', '-n', '3', '-c', '1', '-q', '-t', 'ping_mbulk']);
  assert.equal(
    warn.stderr,
    'WARNING: -e option has no effect. We now immediately exit on error to avoid false results.\n' +
      'WARNING: Too many threads, limiting threads to 500.\n' +
      "WARNING: Keepalive disabled. You probably need 'echo 1 > /proc/sys/net/ipv4/tcp_tw_reuse' for Linux and 'sudo sysctl -w net.inet.tcp.msl=1000' for Mac OS X in order to use a lot of clients/requests\n",
  );
});

test('the full report: header, percentile and cumulative tables, summary', async () => {
  await fresh();
  const r = await bench(['-t', 'set,get', '-n', '2000', '-c', '4']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ \r(SET|====== SET)/);
  const text = report(r.stdout);
  const blocks = text.split('====== ').slice(1);
  assert.equal(blocks.length, 2);
  for (const [i, name] of ['SET', 'GET'].entries()) {
    const b = blocks[i];
    const lines = b.split('\n');
    assert.equal(lines[0], `${name} ======`);
    assert.match(lines[1], /^ {2}2000 requests completed in \d+\.\d\d seconds$/);
    assert.deepEqual(lines.slice(2, 9), [
      '  4 parallel clients',
      '  3 bytes payload',
      '  keep alive: 1',
      '  host configuration "save": ', // the test servers run without save points
      '  host configuration "appendonly": no',
      '  multi-thread: no',
      '',
    ]);
    assert.equal(lines[9], 'Latency by percentile distribution:');
    assert.match(lines[10], /^0\.000% <= \d+\.\d{3} milliseconds \(cumulative count \d+\)$/);
    assert.match(b, /\n100\.000% <= \d+\.\d{3} milliseconds \(cumulative count 2000\)\n\nCumulative distribution of latencies:\n/);
    assert.match(b, /\n100\.000% <= \d+\.\d{3} milliseconds \(cumulative count 2000\)\n\nSummary:\n {2}throughput summary: \d+\.\d\d requests per second\n {2}latency summary \(msec\):\n {10}avg {7}min {7}p50 {7}p95 {7}p99 {7}max\n( +\d+\.\d{3}){6}\n/);
  }
  assert.ok(text.endsWith('\n\n'));
  assert.equal(await calls('set'), 2000);
  assert.equal(await calls('get'), 2000);
  // Without -r every request uses the same key, with redis-benchmark's payload.
  assert.equal(await cli('KEYS', '*'), 'key:__rand_int__\n');
  assert.equal(await cli('GET', 'key:__rand_int__'), 'VXK\n');
});

test('-q and --csv', async () => {
  await fresh();
  const q = await bench(['-q', '-t', 'ping,incr', '-n', '500']);
  assert.equal(q.code, 0, q.stderr);
  assert.match(report(q.stdout), /^PING_INLINE: \d+\.\d\d requests per second, p50=\d+\.\d{3} msec\nPING_MBULK: \S+ requests per second, p50=\S+ msec\nINCR: \S+ requests per second, p50=\S+ msec\n\n$/);
  assert.equal(await calls('ping'), 1000);
  const csv = await bench(['--csv', '-t', 'lpush,lrange_100', '-n', '300']);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.split('\n');
  assert.equal(lines[0], '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"');
  assert.match(lines[1], /^"LPUSH","\d+\.\d\d"(,"\d+\.\d{3}"){6}$/);
  assert.match(lines[2], /^"LPUSH \(needed to benchmark LRANGE\)","\d+\.\d\d"(,"\d+\.\d{3}"){6}$/);
  assert.match(lines[3], /^"LRANGE_100 \(first 100 elements\)",/);
  assert.equal(lines.length, 5);
  assert.equal(lines[4], '');
});

test('the default test set sends what redis-benchmark sends', async () => {
  await fresh();
  const r = await bench(['-c', '10', '-n', '100', '-q']);
  assert.equal(r.code, 0, r.stderr);
  const expected: Record<string, number> = { ping: 200, set: 100, get: 100, incr: 100, lpush: 200, rpush: 100, lpop: 100, rpop: 100, sadd: 100, hset: 100, spop: 100, zadd: 100, zpopmin: 100, lrange: 400, mset: 100, xadd: 100 };
  for (const [cmd, n] of Object.entries(expected)) assert.equal(await calls(cmd), n, cmd);
  assert.equal(await calls('rpoplpush'), 0);
  assert.match(report(r.stdout), /^PING_INLINE: .*\nPING_MBULK: .*\nSET: .*\nGET: .*\nINCR: .*\nLPUSH: .*\nRPUSH: .*\nLPOP: .*\nRPOP: .*\nSADD: .*\nHSET: .*\nSPOP: .*\nZADD: .*\nZPOPMIN: .*\nLPUSH \(needed to benchmark LRANGE\): .*\nLRANGE_100 \(first 100 elements\): .*\nLRANGE_300 \(first 300 elements\): .*\nLRANGE_500 \(first 500 elements\): .*\nLRANGE_600 \(first 600 elements\): .*\nMSET \(10 keys\): .*\nXADD: .*\n\n$/);
});

test('load: random keys, pipelining, threads, command lines, prefixes', async () => {
  await fresh();
  let r = await bench(['-r', '50', '-t', 'set', '-n', '1000', '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(Number(await cli('DBSIZE')), 50);
  assert.match(await cli('RANDOMKEY'), /^key:0000000000[0-4]\d\n$/);
  await fresh();
  r = await bench(['-P', '5', '-c', '10', '-n', '10010', '-t', 'set,get', '--threads', '3', '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await calls('set'), 10010);
  assert.equal(await calls('get'), 10010);
  assert.equal(Number(await cli('DBSIZE')), 1);
  await fresh();
  r = await bench(['-c', '5', '-n', '150', '-d', '100', 'INCRBYFLOAT', 'mykey', '10.0']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(report(r.stdout), /^====== INCRBYFLOAT mykey 10\.0 ======\n {2}150 requests completed in \d+\.\d\d seconds\n {2}5 parallel clients\n {2}43 bytes payload\n/);
  assert.equal(await cli('GET', 'mykey'), '1500\n');
  await fresh();
  r = await bench(['-r', '1000', '-n', '200', '-q', 'RPUSH', 'list', '__rand_int__', '__rand_int__']);
  assert.equal(r.code, 0, r.stderr);
  const items = (await cli('LRANGE', 'list', '0', '-1')).split('\n').filter((l) => l !== '');
  assert.equal(items.length, 400);
  for (const it of items) assert.match(it, /^0{9}\d{3}$/);
  assert.ok(new Set(items).size > 100, 'placeholders are drawn independently');
  await fresh();
  r = await bench(['-x', '-n', '3', '-q', 'SET', 'fromstdin'], 'piped value\n');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await cli('GET', 'fromstdin'), 'piped value\n\n');
  await fresh();
  r = await bench(['--dbnum', '3', '-3', '-n', '20', '-t', 'set', '-q']);
  assert.equal(r.code, 0, r.stderr);
  // Each client that sends a request sends the prefix first (the other 30 have nothing left to send).
  assert.equal(await calls('hello'), 20);
  assert.equal(await calls('select'), 20);
  assert.equal(await cli('-n', '3', 'DBSIZE'), '1\n');
  await fresh();
  r = await bench(['-u', `redis://default:pass@127.0.0.1:${spinel.port}`, '-c', '5', '-n', '10', '-t', 'set,get', '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await calls('set'), 10);
  await fresh();
  r = await bench(['-k', '0', '-c', '3', '-n', '30', '-t', 'ping_mbulk', '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await calls('ping'), 30);
});

test('idle mode holds its connections and reports a refusal', async () => {
  await cli('CONFIG', 'SET', 'maxclients', '5');
  try {
    const r = await bench(['-c', '10', '-I']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error from server: ERR max number of clients reached\n$/);
    assert.ok(r.stdout.startsWith('Creating 10 idle connections and waiting forever (Ctrl+C when done)\n'));
  } finally {
    await cli('CONFIG', 'SET', 'maxclients', '10000');
  }
});

test('HdrHistogram layout: equivalent ranges, percentiles, iteration', () => {
  const h = new Histogram(10, 3000000, 3);
  // 10 µs resolution means 8 µs units below 16 ms.
  assert.equal(h.highestEquivalent(100), 103);
  assert.equal(h.lowestEquivalent(100), 96);
  assert.equal(h.highestEquivalent(7671), 7671);
  assert.equal(h.highestEquivalent(20000), 20015);
  for (let v = 1; v <= 1000; v++) h.record(v * 10);
  assert.equal(h.totalCount, 1000);
  assert.equal(h.min(), 8);
  assert.equal(h.max(), 10007);
  assert.equal(h.valueAtPercentile(50), 5007);
  assert.equal(h.valueAtPercentile(99), 9903);
  assert.equal(h.valueAtPercentile(0), 8);
  assert.ok(Math.abs(h.mean() - 5005) < 5);
  const ps = [...h.percentiles()];
  assert.deepEqual(
    ps.slice(0, 4).map((p) => p.percentile),
    [0, 50, 75, 87.5],
  );
  assert.deepEqual(ps.at(-1), { percentile: 100, highest: 10007, cumulative: 1000 });
  const lin = [...h.linear(100, (hi) => (hi > 2000 ? 1000 : 100))];
  assert.deepEqual(lin[0], { highest: 103, cumulative: 10 });
  assert.equal(lin.at(-1)!.cumulative, 1000);
  h.reset();
  assert.equal(h.totalCount, 0);
  assert.ok(Number.isNaN(h.mean()));
});
