// spinel-cli's tool modes against a Spinel server holding known data: the
// keys they must find, the counts they must report, and, where the reference
// redis-cli is installed, the same output as redis-cli against the same server
// (including how both fail where Spinel lacks a command: MEMORY USAGE, SYNC,
// EVAL, OBJECT FREQ without an LFU policy).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { run, referenceTool, SPINEL_CLI, asSpinel } from '../helpers/cli.js';

let spinel: SpinelHandle;
const REDIS_CLI = referenceTool('redis-cli');

before(async () => {
  spinel = await startSpinel({ 'enable-debug-command': 'yes' });
});
after(async () => {
  await spinel.close();
});

const cli = (args: string[], input?: string | Buffer) => run(SPINEL_CLI, ['-p', String(spinel.port), ...args], { input, timeoutMs: 120000 });

/** Sends lines at the prompt (no output expected back). */
async function setup(lines: string[]): Promise<void> {
  const r = await cli([], lines.join('\n') + '\n');
  assert.equal(r.code, 0, r.stderr);
}

/** A mode's output from both tools; the reference's lines in Spinel's words. */
async function sameAsReference(args: string[], sortLines = false): Promise<void> {
  if (REDIS_CLI === null) return;
  const argv = ['-p', String(spinel.port), ...args];
  const ref = await run(REDIS_CLI, argv);
  const ours = await run(SPINEL_CLI, argv);
  // redis-cli lists the types of --bigkeys in its hash table's order, which varies from run to run.
  const lines = (s: string): string => (sortLines ? s.split('\n').sort().join('\n') : s);
  assert.equal(lines(ours.stdout), lines(asSpinel(ref.stdout)), `stdout of ${args.join(' ')}`);
  assert.equal(lines(ours.stderr), lines(asSpinel(ref.stderr)), `stderr of ${args.join(' ')}`);
  assert.equal(ours.code, ref.code, `exit code of ${args.join(' ')}`);
}

test('--bigkeys finds the planted biggest key of each type', async () => {
  const lines = ['FLUSHALL', 'DEBUG POPULATE 200 k 10'];
  lines.push(`SET bigstring ${'x'.repeat(5000)}`);
  lines.push(`RPUSH biglist ${Array.from({ length: 300 }, (_, i) => i).join(' ')}`, 'RPUSH smalllist a b');
  lines.push(`SADD bigset ${Array.from({ length: 120 }, (_, i) => `m${i}`).join(' ')}`, 'SADD smallset a');
  lines.push(`HSET bighash ${Array.from({ length: 90 }, (_, i) => `f${i} v`).join(' ')}`, 'HSET smallhash f v');
  lines.push(`ZADD bigzset ${Array.from({ length: 70 }, (_, i) => `${i} m${i}`).join(' ')}`, 'ZADD smallzset 1 a');
  lines.push('XADD bigstream 1-1 f v', 'XADD bigstream 2-1 f v', 'XADD smallstream 1-1 f v');
  await setup(lines);
  const r = await cli(['--bigkeys']);
  assert.equal(r.code, 0, r.stderr);
  for (const want of [
    `Biggest string found '"bigstring"' has 5000 bytes`,
    `Biggest   list found '"biglist"' has 300 items`,
    `Biggest    set found '"bigset"' has 120 members`,
    `Biggest   hash found '"bighash"' has 90 fields`,
    `Biggest   zset found '"bigzset"' has 70 members`,
    `Biggest stream found '"bigstream"' has 2 entries`,
    'Sampled 211 keys in the keyspace!',
    '201 strings with 7000 bytes (95.26% of keys, avg size 34.83)',
    '2 lists with 302 items (00.95% of keys, avg size 151.00)',
  ]) {
    assert.ok(r.stdout.includes(want + '\n'), `missing ${JSON.stringify(want)} in\n${r.stdout}`);
  }
  await sameAsReference(['--bigkeys'], true);
  // MEMORY USAGE is not in Spinel yet: every key warns, as redis-cli warns against such a server.
  await sameAsReference(['--memkeys'], true);
  // OBJECT FREQ needs an LFU policy.
  await sameAsReference(['--hotkeys']);
});

test('--hotkeys under an LFU policy', async () => {
  await setup(['FLUSHALL', 'CONFIG SET maxmemory-policy allkeys-lfu', 'SET hot 1', 'SET cold 1', ...Array(50).fill('GET hot')]);
  const r = await cli(['--hotkeys']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /hot key found with counter: \d+\tkeyname: "hot"\n/);
  await sameAsReference(['--hotkeys']);
  await setup(['CONFIG SET maxmemory-policy noeviction']);
});

test('--scan with --pattern, --quoted-pattern and --count returns exactly the matching keys', async () => {
  await setup(['FLUSHALL', 'DEBUG POPULATE 300 a 1', 'DEBUG POPULATE 300 b 1', 'SET "q\\x00z" 1']);
  const keys = (s: string): string[] => s.split('\n').filter((l) => l !== '').sort();
  const all = await cli(['--scan']);
  assert.equal(keys(all.stdout).length, 601);
  const a = await cli(['--scan', '--pattern', 'a:*', '--count', '1000']);
  const expected = Array.from({ length: 300 }, (_, i) => `a:${i}`).sort();
  assert.deepEqual(keys(a.stdout), expected);
  const one = await cli(['--scan', '--quoted-pattern', '"b:1\\x32"']);
  assert.deepEqual(keys(one.stdout), ['b:12']);
  const binary = await run(SPINEL_CLI, ['-p', String(spinel.port), '--scan', '--quoted-pattern', '"q\\x00*"'], { tty: 'fake' });
  assert.equal(binary.stdout, '"q\\x00z"\n');
  await sameAsReference(['--scan', '--pattern', 'b:2?']);
});

test('--pipe inserts 1 M SETs and reports them', async () => {
  await setup(['FLUSHALL']);
  const parts: string[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    const k = `key:${i}`;
    const v = `value:${i}`;
    parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`);
  }
  const r = await cli(['--pipe'], parts.join(''));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'All data transferred. Waiting for the last reply...\nLast reply received from server.\nerrors: 0, replies: 1000000\n');
  assert.equal((await cli(['DBSIZE'])).stdout, '1000000\n');
  assert.equal((await cli(['GET', 'key:777777'])).stdout, 'value:777777\n');
  // Errors are printed and counted; inline commands pass through as they are.
  const e = await cli(['--pipe'], 'SET x 1\r\nNOSUCHCMD\r\nINCR x\r\nLPUSH x y\r\n');
  assert.equal(e.code, 1);
  assert.equal(e.stdout, 'All data transferred. Waiting for the last reply...\nLast reply received from server.\nerrors: 2, replies: 4\n');
  assert.equal(e.stderr, "ERR unknown command 'NOSUCHCMD', with args beginning with: \nWRONGTYPE Operation against a key holding the wrong kind of value\n");
  await setup(['FLUSHALL']);
});

test('--stat prints its header and a line per interval', async () => {
  await setup(['FLUSHALL', 'DEBUG POPULATE 42 s 1']);
  const r = await run(SPINEL_CLI, ['-p', String(spinel.port), '--stat', '-i', '0.2'], { until: (o) => o.split('\n').length > 4 });
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], '------- data ------ --------------------- load -------------------- - child -');
  assert.equal(lines[1], 'keys       mem      clients blocked requests            connections          ');
  assert.match(lines[2], /^42 {9}\d+\.\d\dM +1 +0 +\d+ \(\+0\) +\d+ +$/);
  assert.match(lines[3], /^42 {9}\S+ +1 +0 +\d+ \(\+1\) +\d+ +$/);
});

test('--latency, --latency-history, --latency-dist, --intrinsic-latency, --lru-test print their figures', async () => {
  const raw = await cli(['--latency', '--raw', '-i', '0.3']);
  assert.match(raw.stdout, /^\d+ \d+ \d+\.\d\d \d+\n$/);
  const csv = await cli(['--latency', '--csv', '-i', '0.3']);
  assert.match(csv.stdout, /^\d+,\d+,\d+\.\d\d,\d+\n$/);
  const json = await cli(['--latency', '--json', '-i', '0.3']);
  assert.match(json.stdout, /^\{"min": \d+, "max": \d+, "avg": \d+\.\d\d, "count": \d+\}\n$/);
  const tty = await run(SPINEL_CLI, ['-p', String(spinel.port), '--latency'], { tty: 'fake', until: (o) => o.endsWith(' samples)') });
  assert.match(tty.stdout, /^(\x1b\[0G\x1b\[2Kmin: \d+, max: \d+, avg: \d+\.\d\d \(\d+ samples\))+$/);
  const hist = await run(SPINEL_CLI, ['-p', String(spinel.port), '--latency-history', '-i', '0.3'], { tty: 'fake', until: (o) => o.includes(' seconds range\n') });
  assert.match(hist.stdout, / -- 0\.3\d seconds range\n/);
  const dist = await run(SPINEL_CLI, ['-p', String(spinel.port), '--latency-dist', '-i', '0.3'], { until: (o) => /\x1b\[0m\n/.test(o) });
  assert.ok(dist.stdout.startsWith('---------------------------------------------\n. - * #          .01 .125 .25 .5 milliseconds\n'), dist.stdout);
  assert.match(dist.stdout, /\x1b\[38;5;0m(\x1b\[48;5;\d+m[-.*#1-9A-Q?]){31}\x1b\[0m\n/);
  const intrinsic = await run(SPINEL_CLI, ['--intrinsic-latency', '1']);
  assert.match(intrinsic.stdout, /^Max latency so far: \d+ microseconds\.\n/);
  assert.match(intrinsic.stdout, /\n\d+ total runs \(avg latency: \d+\.\d{4} microseconds \/ \d+\.\d\d nanoseconds per run\)\.\nWorst run took \d+x longer than the average latency\.\n$/);
  const lru = await run(SPINEL_CLI, ['-p', String(spinel.port), '--lru-test', '1000'], { until: (o) => o.includes('\n') });
  assert.match(lru.stdout, /^\d+ Gets\/sec \| Hits: \d+ \(\d+\.\d\d%\) \| Misses: \d+ \(\d+\.\d\d%\)\n/);
  await setup(['FLUSHALL']);
});

test('modes needing commands Spinel lacks fail as redis-cli fails against it', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-cli-'));
  const script = path.join(dir, 'script.lua');
  fs.writeFileSync(script, 'return 1');
  try {
    const rdb = await cli(['--rdb', path.join(dir, 'x.rdb')]);
    assert.equal(rdb.code, 1);
    assert.match(rdb.stderr, /SYNC with master failed: -ERR unknown command 'SYNC'/);
    await sameAsReference(['--rdb', path.join(dir, 'x.rdb')]);
    await sameAsReference(['--functions-rdb', path.join(dir, 'y.rdb')]);
    await sameAsReference(['--replica']);
    await sameAsReference(['--eval', script, 'k1', ',', 'a1']);
    await sameAsReference(['--eval', path.join(dir, 'missing.lua')]);
    await sameAsReference(['--cluster', 'check', `127.0.0.1:${spinel.port}`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
