// Sets in-process: encodings and conversions (Redis 7.2 rules), CONFIG-driven
// thresholds, notifications, propagation, and the uniformity of SPOP and
// SRANDMEMBER.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, encodeCommand, decode, type RespValue } from '../helpers/resp.js';
import { ENC_NAMES } from '../../src/db/robj.js';
import { SetValue, sampleIndices } from '../../src/types/set.js';

let s: SpinelHandle;
let c: RawClient;
before(async () => {
  s = await startSpinel();
  c = await RawClient.connect(s.port);
});
after(async () => {
  c.close();
  await s.close();
});

const ints = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => String(from + i));
const strs = (n: number, p = 'm'): string[] => Array.from({ length: n }, (_, i) => `${p}${i}`);

/** The key's encoding, read in-process (and through OBJECT ENCODING when that command exists). */
async function enc(key: string): Promise<string> {
  const o = s.server.keyspace.dbs[0].dict.get(key);
  assert.ok(o, `key ${key} exists`);
  const name = ENC_NAMES[o.enc];
  assert.equal(name, ENC_NAMES[(o.value as SetValue).enc], 'RObj.enc agrees with the value');
  if (s.server.commands.lookup('object')) assert.equal(await c.value('OBJECT', 'ENCODING', key), name);
  return name;
}

function setLimits(intset: number, lpEntries: number, lpValue: number): void {
  s.server.config.set('set-max-intset-entries', intset);
  s.server.config.set('set-max-listpack-entries', lpEntries);
  s.server.config.set('set-max-listpack-value', lpValue);
}

/** Critical chi-square value at p = 1e-4 (Wilson-Hilferty approximation). */
function chiCritical(df: number): number {
  const z = 3.719;
  const a = 2 / (9 * df);
  return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
}

function chiSquare(counts: Map<string, number>, categories: string[], total: number): number {
  const e = total / categories.length;
  let x = 0;
  for (const k of categories) {
    const o = counts.get(k) ?? 0;
    x += ((o - e) * (o - e)) / e;
  }
  return x;
}

function tally(items: string[], into = new Map<string, number>()): Map<string, number> {
  for (const m of items) into.set(m, (into.get(m) ?? 0) + 1);
  return into;
}

test('encodings follow Redis 7.2 thresholds and convert one way', async () => {
  await c.call('FLUSHALL');
  setLimits(512, 128, 64);
  await c.call('SADD', 'i', ...ints(512));
  assert.equal(await enc('i'), 'intset');
  await c.call('SADD', 'i', '512');
  assert.equal(await enc('i'), 'hashtable');
  await c.call('SREM', 'i', ...ints(500));
  assert.equal(await enc('i'), 'hashtable', 'no conversion back');

  await c.call('SADD', 'a', '1', '2', '3');
  assert.equal(await enc('a'), 'intset');
  await c.call('SADD', 'a', 'x');
  assert.equal(await enc('a'), 'listpack');
  // Listpack order: the intset's ascending order, then insertion order.
  assert.deepEqual(await c.value('SMEMBERS', 'a'), ['1', '2', '3', 'x']);
  await c.call('SADD', 'a', '0');
  assert.deepEqual(await c.value('SMEMBERS', 'a'), ['1', '2', '3', 'x', '0']);
  await c.call('SREM', 'a', '2');
  assert.deepEqual(await c.value('SMEMBERS', 'a'), ['1', '3', 'x', '0']);
  await c.call('SREM', 'a', 'x');
  assert.equal(await enc('a'), 'listpack', 'no conversion back to intset');

  await c.call('SADD', 'lp', ...strs(128));
  assert.equal(await enc('lp'), 'listpack');
  await c.call('SADD', 'lp', 'one-more');
  assert.equal(await enc('lp'), 'hashtable');

  await c.call('SADD', 'long', 'a', 'x'.repeat(64));
  assert.equal(await enc('long'), 'listpack');
  await c.call('SADD', 'long', 'y'.repeat(65));
  assert.equal(await enc('long'), 'hashtable');

  // An intset too big for a listpack goes straight to a hashtable.
  await c.call('SADD', 'bigint', ...ints(200));
  await c.call('SADD', 'bigint', 'str');
  assert.equal(await enc('bigint'), 'hashtable');
  // A long member added to an intset: hashtable.
  await c.call('SADD', 'i2', '1');
  await c.call('SADD', 'i2', 'z'.repeat(65));
  assert.equal(await enc('i2'), 'hashtable');

  // Size hints: many members at once create the big encoding directly.
  await c.call('SADD', 'hint', 'a', ...strs(128, 'b'));
  assert.equal(await enc('hint'), 'hashtable');
  await c.call('SADD', 'hint2', '1', ...ints(600));
  assert.equal(await enc('hint2'), 'hashtable');
  await c.call('SADD', 'hint3', 'q');
  await c.call('SADD', 'hint3', ...Array(129).fill('q'));
  assert.equal(await enc('hint3'), 'hashtable', 'setTypeMaybeConvert uses the argument count');
  assert.equal(await c.call('SCARD', 'hint3'), ':1\r\n');
});

test('*STORE results and SMOVE destinations get Redis encodings', async () => {
  await c.call('FLUSHALL');
  setLimits(512, 128, 64);
  await c.call('SADD', 'i1', ...ints(10));
  await c.call('SADD', 'i2', ...ints(10, 5));
  await c.call('SADD', 'h', ...strs(200), ...ints(300));
  await c.call('SADD', 's', 'a', 'b', '1', '2', '3');
  await c.call('SINTERSTORE', 'd', 'i1', 'i2');
  assert.equal(await enc('d'), 'intset');
  // Integers that came out of a hashtable go back to an intset.
  await c.call('SINTERSTORE', 'd', 'h', 'h');
  assert.equal(await enc('d'), 'hashtable');
  await c.call('SINTERSTORE', 'd', 'h', 'i1');
  assert.equal(await enc('d'), 'intset');
  await c.call('SINTERSTORE', 'd', 's', 'h');
  assert.equal(await enc('d'), 'intset');
  await c.call('SINTERSTORE', 'd', 's', 's');
  assert.equal(await enc('d'), 'listpack');
  await c.call('SUNIONSTORE', 'd', 'i1', 'i2');
  assert.equal(await enc('d'), 'intset');
  await c.call('SUNIONSTORE', 'd', 'i1', 's');
  assert.equal(await enc('d'), 'listpack');
  await c.call('SUNIONSTORE', 'd', 'h', 'i1');
  assert.equal(await enc('d'), 'hashtable');
  await c.call('SDIFFSTORE', 'd', 's', 'i1');
  assert.equal(await enc('d'), 'listpack');
  await c.call('SDIFFSTORE', 'd', 'i2', 'i1');
  assert.equal(await enc('d'), 'intset');
  await c.call('SMOVE', 's', 'new1', '1');
  assert.equal(await enc('new1'), 'intset');
  await c.call('SMOVE', 's', 'new2', 'a');
  assert.equal(await enc('new2'), 'listpack');
  await c.call('SMOVE', 's', 'new1', 'b');
  assert.equal(await enc('new1'), 'listpack');
});

test('SPOP keeping a few members rebuilds a compact set', async () => {
  await c.call('FLUSHALL');
  setLimits(512, 128, 64);
  await c.call('SADD', 'h', ...strs(1000));
  assert.equal(await enc('h'), 'hashtable');
  const popped = (await c.value('SPOP', 'h', 995)) as string[];
  assert.equal(popped.length, 995);
  assert.equal(await c.call('SCARD', 'h'), ':5\r\n');
  assert.equal(await enc('h'), 'listpack');
  const rest = (await c.value('SMEMBERS', 'h')) as string[];
  assert.deepEqual([...popped, ...rest].sort(), strs(1000).sort());
  await c.call('SADD', 'i', ...ints(50));
  await c.call('SPOP', 'i', 48);
  assert.equal(await enc('i'), 'intset');
});

test('CONFIG thresholds apply to later conversions', async () => {
  await c.call('FLUSHALL');
  setLimits(4, 3, 5);
  try {
    await c.call('SADD', 'i', '1', '2', '3', '4');
    assert.equal(await enc('i'), 'intset');
    await c.call('SADD', 'i', '5');
    assert.equal(await enc('i'), 'hashtable');
    await c.call('SADD', 'l', 'a', 'b', 'c');
    assert.equal(await enc('l'), 'listpack');
    await c.call('SADD', 'l', 'd');
    assert.equal(await enc('l'), 'hashtable');
    await c.call('SADD', 'v', 'abcde');
    assert.equal(await enc('v'), 'listpack');
    await c.call('SADD', 'v', 'abcdef');
    assert.equal(await enc('v'), 'hashtable');
    // An intset whose numbers are longer than set-max-listpack-value.
    await c.call('SADD', 'n', '123456');
    await c.call('SADD', 'n', 'x');
    assert.equal(await enc('n'), 'hashtable');
    if (s.server.commands.lookup('config')) {
      assert.equal(await c.call('CONFIG', 'SET', 'set-max-intset-entries', '2'), '+OK\r\n');
      await c.call('SADD', 'c', '1', '2');
      assert.equal(await enc('c'), 'intset');
      await c.call('SADD', 'c', '3');
      assert.equal(await enc('c'), 'hashtable');
    }
  } finally {
    setLimits(512, 128, 64);
  }
});

test('notifications, emptied keys and propagation', async () => {
  await c.call('FLUSHALL');
  const events: string[] = [];
  const props: string[][] = [];
  const hooks = s.server.keyspace.hooks;
  const origNotify = hooks.notify;
  hooks.notify = (type, event, key, dbid) => {
    // 'new' (class n) is outside the classes these assertions follow.
    if (event !== 'new') events.push(`${event}:${key}`);
    origNotify(type, event, key, dbid);
  };
  const target = (_db: number, argv: string[]) => props.push(argv);
  s.server.propagateTargets.push(target);
  const take = () => {
    const e = events.filter((x) => !x.startsWith('keymiss')).splice(0);
    events.length = 0;
    return e;
  };
  try {
    await c.call('SADD', 's', 'a', 'b');
    assert.deepEqual(take(), ['sadd:s']);
    await c.call('SADD', 's', 'a');
    assert.deepEqual(take(), []);
    await c.call('SREM', 's', 'zz');
    assert.deepEqual(take(), []);
    await c.call('SREM', 's', 'a', 'b');
    assert.deepEqual(take(), ['srem:s', 'del:s']);
    assert.equal(await c.call('EXISTS', 's'), ':0\r\n');

    await c.call('SADD', 'p', 'x', 'y');
    take();
    props.length = 0;
    const m = (await c.value('SPOP', 'p')) as string;
    assert.deepEqual(take(), ['spop:p']);
    assert.deepEqual(props, [['SREM', 'p', m]]);
    props.length = 0;
    await c.call('SPOP', 'p');
    assert.deepEqual(take(), ['spop:p', 'del:p']);
    assert.equal(await c.call('EXISTS', 'p'), ':0\r\n');

    await c.call('SADD', 'p', ...strs(20));
    take();
    props.length = 0;
    const got = (await c.value('SPOP', 'p', 3)) as string[];
    assert.deepEqual(take(), ['spop:p']);
    assert.deepEqual(props, [['SREM', 'p', ...got]]);
    props.length = 0;
    await c.call('SPOP', 'p', 100);
    assert.deepEqual(take(), ['spop:p', 'del:p']);
    assert.deepEqual(props, [['DEL', 'p']]);
    props.length = 0;
    await c.call('SPOP', 'p', 0);
    await c.call('SPOP', 'nokey', 5);
    assert.deepEqual(props, []);

    await c.call('SADD', 'a', '1', '2');
    take();
    await c.call('SMOVE', 'a', 'b', '1');
    assert.deepEqual(take(), ['srem:a', 'sadd:b']);
    await c.call('SADD', 'b', '2');
    take();
    await c.call('SMOVE', 'a', 'b', '2');
    assert.deepEqual(take(), ['srem:a', 'del:a']);

    await c.call('SADD', 'x', '1', '2');
    await c.call('SADD', 'y', '2', '3');
    take();
    await c.call('SINTERSTORE', 'd', 'x', 'y');
    assert.deepEqual(take(), ['sinterstore:d']);
    await c.call('SUNIONSTORE', 'd', 'x', 'y');
    assert.deepEqual(take(), ['sunionstore:d']);
    await c.call('SDIFFSTORE', 'd', 'x', 'y');
    assert.deepEqual(take(), ['sdiffstore:d']);
    await c.call('SDIFFSTORE', 'd', 'x', 'x');
    assert.deepEqual(take(), ['del:d']);
    await c.call('SINTERSTORE', 'd', 'x', 'nokey');
    assert.deepEqual(take(), []);
    const dirty = s.server.dirty;
    await c.call('SINTER', 'x', 'y');
    await c.call('SISMEMBER', 'x', '1');
    assert.equal(s.server.dirty, dirty, 'reads do not dirty');
    await c.call('SADD', 'x', '7', '8', '9');
    assert.equal(s.server.dirty, dirty + 3);
  } finally {
    hooks.notify = origNotify;
    s.server.propagateTargets.splice(s.server.propagateTargets.indexOf(target), 1);
  }
});

test('value class: iteration, size, clone', () => {
  const l = { intsetEntries: 512, listpackEntries: 128, listpackValue: 64 };
  for (const members of [ints(10), ['b', 'a', '3'], strs(300)]) {
    const v = SetValue.from(members, l);
    assert.equal(v.size, members.length);
    assert.deepEqual([...v].sort(), [...members].sort());
    const cl = v.clone();
    cl.add('new-member', l);
    cl.remove(members[0]);
    assert.equal(v.size, members.length);
    assert.ok(v.has(members[0]));
    assert.ok(!v.has('new-member'));
    assert.ok(cl.has('new-member'));
    // Hashtable removal keeps the index map consistent.
    for (let i = 0; i < members.length; i += 2) cl.remove(members[i]);
    for (const m of cl) assert.ok(cl.has(m));
    if (cl.idx) for (const [m, i] of cl.idx) assert.equal(cl.at(i), m);
  }
  assert.deepEqual([...SetValue.from(['5', '-1', '9223372036854775807', '-9223372036854775808', '0'])], [
    '-9223372036854775808',
    '-1',
    '0',
    '5',
    '9223372036854775807',
  ]);
});

test('sampleIndices returns distinct, uniform indices', () => {
  for (const [n, k] of [
    [10, 9],
    [10, 2],
    [1000, 10],
  ]) {
    const counts = new Map<string, number>();
    const trials = 20000;
    for (let t = 0; t < trials; t++) {
      const got = sampleIndices(n, k, t % 2 === 0);
      assert.equal(new Set(got).size, k);
      tally(Array.from(got, String), counts);
    }
    const cats = Array.from({ length: n }, (_, i) => String(i));
    assert.ok(chiSquare(counts, cats, trials * k) < chiCritical(n - 1), `uniform for n=${n} k=${k}`);
  }
});

test('SRANDMEMBER with a negative count is uniform (every encoding)', async () => {
  await c.call('FLUSHALL');
  for (const [key, members] of [
    ['i', ints(50)],
    ['l', strs(50)],
    ['h', strs(200)],
  ] as const) {
    await c.call('SADD', key, ...members);
    const draws = members.length * 100;
    const got = (await c.value('SRANDMEMBER', key, -draws)) as string[];
    assert.equal(got.length, draws);
    const x = chiSquare(tally(got), [...members], draws);
    assert.ok(x < chiCritical(members.length - 1), `chi-square ${x.toFixed(1)} for ${key}`);
  }
});

test('SRANDMEMBER with a positive count samples subsets uniformly', async () => {
  await c.call('FLUSHALL');
  for (const [key, members, k] of [
    ['l', strs(20), 5],
    ['l2', strs(20), 15],
    ['h', strs(300), 20],
    ['h2', strs(300), 250],
  ] as const) {
    await c.call('SADD', key, ...members);
    const counts = new Map<string, number>();
    const trials = Math.ceil((members.length * 60) / k);
    for (let t = 0; t < trials; t++) {
      const got = (await c.value('SRANDMEMBER', key, k)) as string[];
      assert.equal(new Set(got).size, k);
      tally(got, counts);
    }
    const x = chiSquare(counts, [...members], trials * k);
    assert.ok(x < chiCritical(members.length - 1), `chi-square ${x.toFixed(1)} for ${key}`);
  }
});

/** Pipelines `per` commands for each of `trials` trials; returns all replies decoded, per trial. */
async function pipelined(trials: number, cmds: (string | number)[][]): Promise<RespValue[][]> {
  const out: RespValue[][] = [];
  const batch = 200;
  for (let t = 0; t < trials; t += batch) {
    const n = Math.min(batch, trials - t);
    const bufs: Buffer[] = [];
    for (let i = 0; i < n; i++) for (const cmd of cmds) bufs.push(encodeCommand(cmd));
    const replies = await c.raw(Buffer.concat(bufs), n * cmds.length);
    for (let i = 0; i < n; i++) {
      out.push(replies.slice(i * cmds.length, (i + 1) * cmds.length).map((r) => decode(Buffer.from(r, 'latin1'))[0]));
    }
  }
  return out;
}

test('SPOP and SRANDMEMBER without count are uniform', async () => {
  await c.call('FLUSHALL');
  for (const members of [ints(10), strs(10), strs(130)]) {
    const trials = members.length * 60;
    await c.call('SADD', 'r', ...members);
    await c.call('SADD', 's', ...members);
    // Pop one, then restore the full set from its copy.
    const res = await pipelined(trials, [['SPOP', 's'], ['SRANDMEMBER', 'r'], ['SUNIONSTORE', 's', 'r']]);
    await c.call('DEL', 'r', 's');
    const counts = tally(res.map((r) => r[0] as string));
    const rcounts = tally(res.map((r) => r[1] as string));
    assert.ok(chiSquare(counts, members, trials) < chiCritical(members.length - 1), `SPOP on ${members.length}`);
    assert.ok(chiSquare(rcounts, members, trials) < chiCritical(members.length - 1), `SRANDMEMBER on ${members.length}`);
  }
});

test('SPOP with a count pops each member with equal probability', async () => {
  await c.call('FLUSHALL');
  // Both strategies: few of many, and most of the set.
  for (const [members, k] of [
    [strs(30), 4],
    [strs(30), 28],
    [strs(200), 10],
    [strs(200), 190],
    [ints(40), 38],
  ] as const) {
    const counts = new Map<string, number>();
    const trials = Math.ceil((members.length * 50) / k);
    const res = await pipelined(trials, [['DEL', 's'], ['SADD', 's', ...members], ['SPOP', 's', k], ['SCARD', 's']]);
    for (const r of res) {
      const got = r[2] as string[];
      assert.equal(new Set(got).size, k);
      tally(got, counts);
      assert.equal(r[3], members.length - k);
    }
    const x = chiSquare(counts, [...members], trials * k);
    assert.ok(x < chiCritical(members.length - 1), `chi-square ${x.toFixed(1)} for ${members.length}/${k}`);
  }
});
