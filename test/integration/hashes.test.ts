// Hashes in-process: encodings and conversions, CONFIG-driven thresholds,
// notifications, propagation, and the uniformity of HRANDFIELD.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';
import { ENC_NAMES } from '../../src/db/robj.js';
import { HashValue } from '../../src/types/hash.js';

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

const pairs = (n: number, p = 'f'): string[] => Array.from({ length: n }, (_, i) => [`${p}${i}`, `v${i}`]).flat();
const fields = (n: number, p = 'f'): string[] => Array.from({ length: n }, (_, i) => `${p}${i}`);

async function enc(key: string): Promise<string> {
  const o = s.server.keyspace.dbs[0].dict.get(key);
  assert.ok(o, `key ${key} exists`);
  const name = ENC_NAMES[o.enc];
  assert.equal(name, ENC_NAMES[(o.value as HashValue).enc], 'RObj.enc agrees with the value');
  if (s.server.commands.lookup('object')) assert.equal(await c.value('OBJECT', 'ENCODING', key), name);
  return name;
}

function setLimits(entries: number, value: number): void {
  s.server.config.set('hash-max-listpack-entries', entries);
  s.server.config.set('hash-max-listpack-value', value);
}

function chiCritical(df: number): number {
  const z = 3.719; // p = 1e-4
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

test('encodings: listpack until the thresholds, then hashtable for good', async () => {
  await c.call('FLUSHALL');
  setLimits(512, 64);
  await c.call('HSET', 'h', ...pairs(512));
  assert.equal(await enc('h'), 'listpack');
  await c.call('HSET', 'h', 'one', 'more');
  assert.equal(await enc('h'), 'hashtable');
  await c.call('HDEL', 'h', ...fields(500));
  assert.equal(await enc('h'), 'hashtable');
  assert.equal(await c.call('HLEN', 'h'), ':13\r\n');

  await c.call('HSET', 'v', 'a', 'x'.repeat(64));
  assert.equal(await enc('v'), 'listpack');
  await c.call('HSET', 'v', 'b', 'x'.repeat(65));
  assert.equal(await enc('v'), 'hashtable');
  await c.call('HSET', 'f', 'y'.repeat(65), '1');
  assert.equal(await enc('f'), 'hashtable');
  // HSETNX on an existing field does not convert; on a new one it does.
  await c.call('HSET', 'n', 'a', '1');
  await c.call('HSETNX', 'n', 'a', 'z'.repeat(100));
  assert.equal(await enc('n'), 'listpack');
  await c.call('HSETNX', 'n', 'b', 'z'.repeat(100));
  assert.equal(await enc('n'), 'hashtable');
  // HINCRBY/HINCRBYFLOAT on a long new field.
  await c.call('HINCRBY', 'i', 'q'.repeat(70), '1');
  assert.equal(await enc('i'), 'hashtable');
  await c.call('HINCRBYFLOAT', 'i2', 'q'.repeat(70), '1.5');
  assert.equal(await enc('i2'), 'hashtable');
  // Redis 7.2 presizes (and converts) when HSET brings more pairs than the listpack holds.
  await c.call('HSET', 'dup', ...Array(513).fill(['k', 'v']).flat());
  assert.equal(await enc('dup'), 'hashtable');
  assert.equal(await c.call('HLEN', 'dup'), ':1\r\n');
  // Listpack order is insertion order, kept across deletions.
  await c.call('HSET', 'o', 'c', '1', 'a', '2', 'b', '3');
  await c.call('HDEL', 'o', 'a');
  await c.call('HSET', 'o', 'a', '4');
  assert.deepEqual(await c.value('HKEYS', 'o'), ['c', 'b', 'a']);
});

test('CONFIG thresholds apply to later conversions', async () => {
  await c.call('FLUSHALL');
  setLimits(3, 5);
  try {
    await c.call('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    assert.equal(await enc('h'), 'listpack');
    await c.call('HSET', 'h', 'd', '4');
    assert.equal(await enc('h'), 'hashtable');
    await c.call('HSET', 'v', 'a', '12345');
    assert.equal(await enc('v'), 'listpack');
    await c.call('HSET', 'v', 'a', '123456');
    assert.equal(await enc('v'), 'hashtable');
    await c.call('HSET', 'w', 'a', '99999');
    await c.call('HINCRBY', 'w', 'a', '1');
    assert.equal(await enc('w'), 'hashtable', 'the new value is too long');
    if (s.server.commands.lookup('config')) {
      assert.equal(await c.call('CONFIG', 'SET', 'hash-max-listpack-entries', '1'), '+OK\r\n');
      await c.call('HSET', 'x', 'a', '1');
      assert.equal(await enc('x'), 'listpack');
      await c.call('HSET', 'x', 'b', '1');
      assert.equal(await enc('x'), 'hashtable');
    }
  } finally {
    setLimits(512, 64);
  }
});

test('notifications, emptied keys, dirty and propagation', async () => {
  await c.call('FLUSHALL');
  const events: string[] = [];
  const props: string[][] = [];
  const hooks = s.server.keyspace.hooks;
  const origNotify = hooks.notify;
  hooks.notify = (type, event, key, dbid) => {
    // 'keymiss' and 'new' are classes (m, n) outside the ones these assertions follow.
    if (event !== 'keymiss' && event !== 'new') events.push(`${event}:${key}`);
    origNotify(type, event, key, dbid);
  };
  const target = (_db: number, argv: string[]) => props.push(argv);
  s.server.propagateTargets.push(target);
  const take = () => events.splice(0);
  try {
    const d0 = s.server.dirty;
    await c.call('HSET', 'h', 'a', '1', 'b', '2');
    assert.equal(s.server.dirty, d0 + 2);
    assert.deepEqual(take(), ['hset:h']);
    await c.call('HMSET', 'h', 'a', '1');
    assert.deepEqual(take(), ['hset:h']);
    await c.call('HSETNX', 'h', 'a', '1');
    assert.deepEqual(take(), []);
    await c.call('HSETNX', 'h', 'c', '1');
    assert.deepEqual(take(), ['hset:h']);
    await c.call('HINCRBY', 'h', 'n', '5');
    assert.deepEqual(take(), ['hincrby:h']);
    props.length = 0;
    await c.call('HINCRBYFLOAT', 'h', 'fl', '1.5');
    assert.deepEqual(take(), ['hincrbyfloat:h']);
    assert.deepEqual(props, [['HSET', 'h', 'fl', '1.5']]);
    await c.call('HINCRBY', 'h', 'a', 'x');
    await c.call('HINCRBYFLOAT', 'h', 'a', 'x');
    assert.deepEqual(take(), []);
    await c.call('HDEL', 'h', 'zz');
    assert.deepEqual(take(), []);
    const d1 = s.server.dirty;
    await c.call('HDEL', 'h', 'a', 'b', 'c', 'n', 'fl');
    assert.equal(s.server.dirty, d1 + 5);
    assert.deepEqual(take(), ['hdel:h', 'del:h']);
    assert.equal(await c.call('EXISTS', 'h'), ':0\r\n');
    const d2 = s.server.dirty;
    await c.call('HGETALL', 'h');
    await c.call('HRANDFIELD', 'nokey', '3');
    assert.equal(s.server.dirty, d2);
  } finally {
    hooks.notify = origNotify;
    s.server.propagateTargets.splice(s.server.propagateTargets.indexOf(target), 1);
  }
});

test('value class: iteration, size, clone, hashtable index', () => {
  const l = { listpackEntries: 512, listpackValue: 64 };
  for (const n of [5, 600]) {
    const h = HashValue.from(
      Array.from({ length: n }, (_, i): [string, string] => [`f${i}`, `v${i}`]),
      l,
    );
    assert.equal(h.size, n);
    assert.equal(h.enc === 3 ? 'listpack' : 'hashtable', n > 512 ? 'hashtable' : 'listpack');
    const cl = h.clone();
    cl.set('f0', 'changed', l);
    cl.delete('f1');
    assert.equal(h.get('f0'), 'v0');
    assert.equal(h.get('f1'), 'v1');
    assert.equal(cl.get('f0'), 'changed');
    assert.equal(cl.get('f1'), undefined);
    for (let i = 0; i < n; i += 3) cl.delete(`f${i}`);
    for (const [f, v] of cl) assert.equal(cl.get(f), v);
    assert.equal([...cl].length, cl.size);
  }
});

test('HRANDFIELD with a negative count is uniform (both encodings)', async () => {
  await c.call('FLUSHALL');
  for (const [key, n] of [
    ['l', 40],
    ['h', 700],
  ] as const) {
    await c.call('HSET', key, ...pairs(n));
    const draws = n * 60;
    const got = (await c.value('HRANDFIELD', key, -draws)) as string[];
    assert.equal(got.length, draws);
    const x = chiSquare(tally(got), fields(n), draws);
    assert.ok(x < chiCritical(n - 1), `chi-square ${x.toFixed(1)} for ${key}`);
    // WITHVALUES pairs stay matched.
    const wv = (await c.value('HRANDFIELD', key, -50, 'WITHVALUES')) as string[];
    for (let i = 0; i < wv.length; i += 2) assert.equal(wv[i + 1], 'v' + wv[i].slice(1));
  }
});

test('HRANDFIELD with a positive count samples subsets uniformly', async () => {
  await c.call('FLUSHALL');
  for (const [key, n, k] of [
    ['l', 20, 4],
    ['l2', 20, 17],
    ['h', 600, 30],
    ['h2', 600, 500],
  ] as const) {
    await c.call('HSET', key, ...pairs(n));
    const counts = new Map<string, number>();
    const trials = Math.ceil((n * 50) / k);
    for (let t = 0; t < trials; t++) {
      const got = (await c.value('HRANDFIELD', key, k)) as string[];
      assert.equal(new Set(got).size, k);
      tally(got, counts);
    }
    const x = chiSquare(counts, fields(n), trials * k);
    assert.ok(x < chiCritical(n - 1), `chi-square ${x.toFixed(1)} for ${key}`);
  }
  // Single draws.
  const counts = new Map<string, number>();
  for (let t = 0; t < 2000; t++) tally([(await c.value('HRANDFIELD', 'l')) as string], counts);
  assert.ok(chiSquare(counts, fields(20), 2000) < chiCritical(19));
});

test('HSCAN of a hashtable returns every field present throughout, and no field deleted before it was reached', async () => {
  await c.call('FLUSHALL');
  await c.call('HSET', 'h', ...pairs(1000));
  const seen = new Map<string, number>();
  let deleted: string[] = [];
  let cursor = '0';
  let round = 0;
  do {
    const [cur, items] = (await c.value('HSCAN', 'h', cursor, 'COUNT', 37)) as [string, string[]];
    for (let i = 0; i < items.length; i += 2) seen.set(items[i], (seen.get(items[i]) ?? 0) + 1);
    cursor = cur;
    // Delete two fields not returned yet and add a new one while scanning.
    if (round++ === 3) {
      deleted = fields(1000).filter((f) => !seen.has(f)).slice(-2);
      assert.equal(deleted.length, 2);
      await c.call('HDEL', 'h', ...deleted);
      await c.call('HSET', 'h', 'new1', 'x');
    }
  } while (cursor !== '0');
  // SCAN's guarantee: a field present from start to end is returned (at least once).
  for (const f of fields(1000)) if (!deleted.includes(f)) assert.ok((seen.get(f) ?? 0) >= 1, `${f} returned`);
  for (const f of deleted) assert.ok(!seen.has(f), `${f} deleted before the scan reached it`);
});
