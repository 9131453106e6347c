// DEBUG and LOLWUT compared with the reference server.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { decode } from '../helpers/resp.js';
import { SPINEL_VERSION } from '../../src/version.js';

let pair: DiffPair | null = null;
const skip = usePair((p) => (pair = p));
beforeEach(async () => {
  if (!pair) return;
  await pair.resp(2);
  await pair.both('SELECT', '0');
  await pair.both('FLUSHALL');
});

function implemented(p: DiffPair, name: string): boolean {
  return p.spinelServer.server.commands.lookup(name) !== undefined;
}

/** Runs setup commands on both servers; they must answer the same. */
async function setup(p: DiffPair, cmds: Args[]): Promise<void> {
  for (const c of cmds) await p.check(...c);
}

const PROTOCOL_TYPES = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'verbatim', 'true', 'false', 'STRING', 'nosuch'];

test('DEBUG PROTOCOL: every type in RESP2 and RESP3', { skip }, async () => {
  const p = pair!;
  for (const resp of [2, 3] as const) {
    await p.resp(resp);
    for (const t of PROTOCOL_TYPES) await p.check('DEBUG', 'PROTOCOL', t);
  }
  // push: an error in RESP2; in RESP3 a normal reply, then the push message
  // (7.2 holds pushes to the running client until its reply is written).
  await p.resp(2);
  await p.check('DEBUG', 'PROTOCOL', 'push');
  await p.resp(3);
  assert.equal(await p.check('DEBUG', 'PROTOCOL', 'push'), '$40\r\nSome real reply following the push reply\r\n');
  const [a, b] = await Promise.all([p.spinel.read(), p.redis.read()]);
  assert.equal(a, b);
  assert.equal(a, '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n');
  await p.resp(2);
  await p.check('DEBUG', 'PROTOCOL');
  await p.check('DEBUG', 'PROTOCOL', 'a', 'b');
});

test('DEBUG DIGEST and DIGEST-VALUE after identical data', { skip }, async () => {
  const p = pair!;
  await p.check('DEBUG', 'DIGEST');
  await p.check('DEBUG', 'DIGEST-VALUE', 'nokey');
  await p.check('DEBUG', 'DIGEST-VALUE');
  await setup(p, [
    ['SET', 's', 'hello'],
    ['SET', 'n', '12345'],
    ['SET', 'neg', '-7'],
    ['SET', 'big', 'x'.repeat(300)],
    ['SET', 'bin', Buffer.from([0, 255, 10, 13, 128])],
    ['SET', 'e', 'v', 'EX', '1000'],
  ]);
  if (implemented(p, 'hset')) await setup(p, [['HSET', 'h', 'f1', 'v1', 'f2', 'v2', 'num', '10']]);
  if (implemented(p, 'sadd')) await setup(p, [['SADD', 'st', 'x', 'y', 'z'], ['SADD', 'si', '1', '2', '300']]);
  if (implemented(p, 'zadd')) await setup(p, [['ZADD', 'z', '1', 'a', '2.5', 'b', '-3', 'c', '1e20', 'd', '0.1', 'e', '1e-7', 'f']]);
  if (implemented(p, 'rpush')) await setup(p, [['RPUSH', 'l', 'a', 'b', 'c', '1', '-2']]);
  await p.check('DEBUG', 'DIGEST');
  await p.check('DEBUG', 'DIGEST-VALUE', 's', 'n', 'neg', 'big', 'bin', 'e', 'h', 'st', 'si', 'z', 'l', 'nokey');
  // The same dataset in another database digests differently.
  await setup(p, [['SELECT', '5'], ['SET', 'in5', 'v']]);
  await p.check('DEBUG', 'DIGEST');
  await p.check('DEBUG', 'DIGEST-VALUE', 'in5', 's');
  await setup(p, [['SELECT', '0'], ['PERSIST', 'e'], ['DEL', 's']]);
  await p.check('DEBUG', 'DIGEST');
  await p.resp(3);
  await p.check('DEBUG', 'DIGEST-VALUE', 'n', 'e');
  await p.resp(2);
  await p.check('DEBUG', 'DIGEST', 'x');
});

test('DEBUG POPULATE then DIGEST, with prefix and value size', { skip }, async () => {
  const p = pair!;
  await p.check('DEBUG', 'POPULATE', '100');
  await p.check('DBSIZE');
  await p.check('DEBUG', 'DIGEST');
  await p.check('DEBUG', 'POPULATE', '10', 'pre');
  await p.check('DEBUG', 'POPULATE', '5', 'sized', '3');
  await p.check('DEBUG', 'POPULATE', '5', 'long', '60');
  await p.check('GET', 'sized:1');
  await p.check('GET', 'long:4');
  await p.check('DEBUG', 'DIGEST');
  await p.check('OBJECT', 'ENCODING', 'key:1');
  await p.check('OBJECT', 'ENCODING', 'long:1');
  // Existing keys are kept.
  await p.check('SET', 'key:3', 'mine');
  await p.check('DEBUG', 'POPULATE', '5');
  await p.check('GET', 'key:3');
  await p.check('DEBUG', 'POPULATE', '-1');
  await p.check('DEBUG', 'POPULATE', 'x');
  await p.check('DEBUG', 'POPULATE', '1', 'p', '-1');
  await p.check('DEBUG', 'POPULATE', '0');
  await p.check('DEBUG', 'POPULATE', '1', 'a', '1', 'b');
});

function maskObject(s: string): string {
  return s.replace(/at:0x[0-9a-f]+/, 'at:ADDR').replace(/lru:\d+ lru_seconds_idle:\d+/, 'lru:L lru_seconds_idle:I');
}

test('DEBUG OBJECT: encoding, refcount and serialized length of strings', { skip }, async () => {
  const p = pair!;
  const values = ['', 'a', '0', '123', '-128', '9999', '10000', '70000', '-2147483649', '4294967296', '012', '1.5',
    'x'.repeat(20), 'x'.repeat(21), 'abc'.repeat(30), 'The quick brown fox jumps over the lazy dog, again and again and again.',
    'y'.repeat(44), 'y'.repeat(45), 'z'.repeat(20000)];
  for (const v of values) {
    await p.both('SET', 'k', v);
    const [a, b] = await p.both('DEBUG', 'OBJECT', 'k');
    assert.equal(maskObject(a), maskObject(b), `DEBUG OBJECT of ${JSON.stringify(v.slice(0, 30))}`);
  }
  if (implemented(p, 'append')) {
    await p.both('APPEND', 'r', 'raw string');
    const [a, b] = await p.both('DEBUG', 'OBJECT', 'r');
    assert.equal(maskObject(a), maskObject(b));
  }
  await p.check('DEBUG', 'OBJECT', 'nokey');
  await p.check('DEBUG', 'OBJECT');
  await p.check('DEBUG', 'OBJECT', 'a', 'b');
  const [a] = await p.both('DEBUG', 'OBJECT', 'k');
  assert.match(a, /^\+Value at:0x[0-9a-f]+ refcount:1 encoding:raw serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+\r\n$/);
  // Small integers stay shared under an LRU policy until a maxmemory limit is set.
  for (const [limit, name] of [['0', 'n0'], ['1gb', 'n1']]) {
    await p.both('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru', 'maxmemory', limit);
    await p.both('SET', name, '5');
    const [x, y] = await p.both('DEBUG', 'OBJECT', name);
    assert.equal(maskObject(x), maskObject(y), `DEBUG OBJECT of a small integer, maxmemory ${limit}`);
  }
  await p.both('CONFIG', 'SET', 'maxmemory-policy', 'noeviction', 'maxmemory', '0');
});

test('DEBUG OBJECT: serialized length of listpack, intset, hashtable, skiplist and quicklist values', { skip }, async () => {
  const p = pair!;
  const range = (n: number, f: (i: number) => string[]): string[] => Array.from({ length: n }, (_, i) => f(i)).flat();
  const cases: Args[] = [
    ['HSET', 'h1', 'f', 'v'],
    ['HSET', 'h2', 'a', '1', 'b', '-5', 'c', '100000', 'dd', 'x'.repeat(70)],
    ['HSET', 'h3', ...range(40, (i) => ['field' + i, 'value' + i])],
    ['HSET', 'h4', ...range(200, (i) => ['f' + i, String(i * 1000)])],
    ['SADD', 's1', '1', '2', '3'],
    ['SADD', 's2', '1', '70000', '-3'],
    ['SADD', 's3', '5000000000', '1'],
    ['SADD', 's4', ...range(300, (i) => [String(i * 3)])],
    ['SADD', 's5', ...range(600, (i) => [String(i)])],
    ['ZADD', 'z1', '1', 'a', '2.5', 'b', '-3', 'c'],
    ['ZADD', 'z2', ...range(30, (i) => [String(i), 'member' + i])],
    ['ZADD', 'z3', ...range(200, (i) => [String(i / 2), 'm' + i])],
    ['RPUSH', 'l1', 'a', 'b', '1', '-2', 'x'.repeat(70)],
    ['RPUSH', 'l2', ...range(2000, (i) => ['elem' + i])],
  ];
  let ran = 0;
  for (const c of cases) {
    if (!implemented(p, String(c[0]))) continue;
    await p.check(...c);
    const [a, b] = await p.both('DEBUG', 'OBJECT', c[1]);
    assert.equal(maskObject(a), maskObject(b), `DEBUG OBJECT after ${String(c[0])} ${String(c[1])}`);
    ran++;
  }
  assert.ok(ran >= 3);
});

test('DEBUG LISTPACK, QUICKLIST-PACKED-THRESHOLD, SET-ACTIVE-EXPIRE, CHANGE-REPL-ID, ERROR, LOG, SLEEP 0', { skip }, async () => {
  const p = pair!;
  await p.check('SET', 'str', 'v');
  await p.check('DEBUG', 'LISTPACK', 'str');
  await p.check('DEBUG', 'LISTPACK', 'nokey');
  await p.check('DEBUG', 'QUICKLIST', 'str');
  await p.check('DEBUG', 'QUICKLIST', 'nokey', '1');
  await p.check('DEBUG', 'QUICKLIST', 'str', '1', '2');
  if (implemented(p, 'rpush')) {
    await p.check('RPUSH', 'big', ...Array.from({ length: 1500 }, (_, i) => 'element' + i));
    await p.check('DEBUG', 'QUICKLIST', 'big');
    await p.check('DEBUG', 'QUICKLIST', 'big', '1');
    await p.check('DEBUG', 'LISTPACK', 'big');
  }
  await p.check('DEBUG', 'LEAK', 'some bytes');
  if (implemented(p, 'hset')) {
    await p.check('HSET', 'h', 'f', 'v');
    await p.check('DEBUG', 'LISTPACK', 'h');
  }
  for (const v of ['abc', '100', '0', '-1', '5000000000', '1kb', '2mb', '1gb', '4gb', '3gb', '1x', '']) {
    await p.check('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', v);
  }
  await p.check('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0');
  for (const v of ['0', '1', 'abc', '2']) await p.check('DEBUG', 'SET-ACTIVE-EXPIRE', v);
  await p.check('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  await p.check('DEBUG', 'SET-ACTIVE-EXPIRE');
  await p.check('DEBUG', 'CHANGE-REPL-ID');
  await p.check('DEBUG', 'CHANGE-REPL-ID', 'x');
  await p.check('DEBUG', 'ERROR', 'MYERR something went wrong');
  await p.check('DEBUG', 'ERROR', 'line\r\nbreak');
  await p.check('DEBUG', 'LOG', 'hello from the test');
  await p.check('DEBUG', 'SLEEP', '0');
  await p.check('DEBUG', 'SLEEP', 'abc');
  await p.check('DEBUG', 'SLEEP', '0.01');
  // The reference fuzzes for ~30 s: only Spinel runs it.
  assert.equal(await p.spinel.call('DEBUG', 'STRINGMATCH-TEST'), '+Apparently Redis did not crash: test passed\r\n');
});

test('DEBUG: unknown subcommands and wrong argument counts', { skip }, async () => {
  const p = pair!;
  await p.check('DEBUG');
  await p.check('DEBUG', 'nosuch');
  await p.check('DEBUG', 'NoSuch', 'a', 'b');
  await p.check('DEBUG', 'x'.repeat(200));
  await p.check('DEBUG', 'SLEEP');
  await p.check('DEBUG', 'SLEEP', '1', '2');
  await p.check('DEBUG', 'HELP', 'x');
  await p.check('DEBUG', 'LOG');
  await p.check('DEBUG', 'ERROR');
  await p.check('DEBUG', 'DIGEST', 'a');
  // (A bad option: nothing is saved into the working directory of the tests.)
  await p.check('DEBUG', 'RELOAD', 'nosuchoption');
  await p.check('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION');
});

test('DEBUG HELP lists the implemented subcommands with the reference text', { skip }, async () => {
  const p = pair!;
  const [mine, ref] = await p.both('DEBUG', 'HELP');
  const m = decode(Buffer.from(mine, 'latin1'))[0] as string[];
  const r = decode(Buffer.from(ref, 'latin1'))[0] as string[];
  assert.equal(m[0], r[0]);
  assert.deepEqual(m.slice(-2), r.slice(-2));
  // Split into entries (a header line and its indented description); ours must be reference entries, in order.
  const entries = (lines: string[]): string[] => {
    const out: string[] = [];
    for (const l of lines.slice(1, -2)) {
      if (l.startsWith(' ')) out[out.length - 1] += '\n' + l;
      else out.push(l);
    }
    return out;
  };
  const me = entries(m);
  const re = entries(r);
  let j = 0;
  for (const e of me) {
    while (j < re.length && re[j] !== e) j++;
    assert.ok(j < re.length, `help entry not in the reference (or out of order): ${e}`);
  }
  assert.ok(me.length >= 10);
  // Every listed subcommand answers something other than "unknown subcommand".
  for (const e of me) {
    const name = e.split(/[ \n]/)[0];
    if (name === 'STRINGMATCH-TEST') continue; // slow, run above
    // RELOAD with a bad option: a real one would write dump.rdb where the tests run.
    const reply = await p.spinel.call('DEBUG', name, ...(name === 'RELOAD' ? ['badoption'] : name === 'SET-SKIP-CHECKSUM-VALIDATION' || name === 'OBJECT' || name === 'LISTPACK' || name === 'LOG' || name === 'ERROR' || name === 'SLEEP' || name === 'SET-ACTIVE-EXPIRE' || name === 'QUICKLIST-PACKED-THRESHOLD' || name === 'PROTOCOL' || name === 'POPULATE' || name === 'LEAK' || name === 'QUICKLIST' || name === 'PAUSE-CRON' ? ['0'] : []));
    assert.doesNotMatch(reply, /unknown subcommand/, `DEBUG ${name}`);
  }
});

test('DEBUG PAUSE-CRON: arguments and replies', { skip }, async () => {
  const p = pair!;
  await p.check('DEBUG', 'PAUSE-CRON');
  await p.check('DEBUG', 'PAUSE-CRON', '1');
  await p.check('DEBUG', 'PAUSE-CRON', 'x');
  await p.check('DEBUG', 'PAUSE-CRON', '0');
  await p.check('DEBUG', 'PAUSE-CRON', '0', '1');
});

test('LOLWUT: default, versions, arguments, RESP3 verbatim', { skip }, async () => {
  const p = pair!;
  await p.check('LOLWUT');
  await p.check('LOLWUT', 'x');
  await p.check('LOLWUT', 'VERSION', '1');
  await p.check('LOLWUT', 'VERSION', '7');
  await p.check('LOLWUT', 'VERSION', '-1');
  await p.check('LOLWUT', 'VERSION', '49');
  await p.check('LOLWUT', 'VERSION', 'x');
  await p.check('LOLWUT', 'VERSION');
  // Schotter with two rows of squares has no random part.
  await p.check('LOLWUT', 'VERSION', '5', '66', '8', '2');
  await p.check('LOLWUT', 'VERSION', '5', '20', '3', '1');
  await p.check('LOLWUT', 'VERSION', '5', '1', '1', '1');
  await p.check('LOLWUT', 'VERSION', '5', '0', '0', '0');
  await p.check('LOLWUT', 'VERSION', '5', 'x');
  await p.check('LOLWUT', 'VERSION', '6', '10', 'x');
  await p.resp(3);
  await p.check('LOLWUT');
  await p.check('LOLWUT', 'VERSION', '5', '40', '4', '2');
  await p.resp(2);
  // Random drawings: same shape and caption.
  for (const args of [['5'], ['5', '30', '4', '6'], ['6'], ['6', '30', '7']]) {
    const [a, b] = await p.both('LOLWUT', 'VERSION', ...args);
    const la = (decode(Buffer.from(a, 'latin1'))[0] as string).split('\n');
    const lb = (decode(Buffer.from(b, 'latin1'))[0] as string).split('\n');
    assert.equal(la.length, lb.length, `lines of LOLWUT VERSION ${args.join(' ')}`);
    // Cells per line: Braille characters (3 bytes each) or colored blanks.
    const cells = (l: string): number => (l.includes('\x1b') ? l.split('\x1b[0m').length - 1 : Buffer.byteLength(l, 'latin1') / 3);
    for (let i = 0; i < la.length - 3; i++) assert.equal(cells(la[i]), cells(lb[i]), `line ${i} of LOLWUT VERSION ${args.join(' ')}`);
    assert.equal(la[la.length - 2], lb[lb.length - 2]);
    assert.ok(la[la.length - 2].endsWith(`Redis ver. ${SPINEL_VERSION}`));
  }
});
