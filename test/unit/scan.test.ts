// SCAN cursor parsing and the scanBatch helper (src/db/scan.ts), and the exact
// 64-bit expire helpers (src/db/expire.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScanCursors, parseCursor, scanBatch } from '../../src/db/scan.js';
import { Keyspace } from '../../src/db/keyspace.js';
import { RObj } from '../../src/db/robj.js';
import { setExpireExact, getExpireExact, copyExpire } from '../../src/db/expire.js';

test('parseCursor follows strtoul', () => {
  assert.equal(parseCursor('0'), 0);
  assert.equal(parseCursor(''), 0);
  assert.equal(parseCursor('42'), 42);
  assert.equal(parseCursor('007'), 7);
  assert.equal(parseCursor('+5'), 5);
  assert.equal(parseCursor('-0'), 0);
  assert.equal(parseCursor('000000000000000000000000001'), 1);
  assert.equal(parseCursor('18446744073709551615'), -1);
  assert.equal(parseCursor('-18446744073709551615'), 1);
  assert.equal(parseCursor('-1'), -1);
  for (const bad of ['+', '-', ' 1', '1 ', 'x', '0x1', '1.0', '18446744073709551616', '-18446744073709551616', '\t1']) {
    assert.equal(parseCursor(bad), null, JSON.stringify(bad));
  }
});

test('scanBatch walks a Map in batches and answers 0 with the last batch', () => {
  const cursors = new ScanCursors();
  const m = new Map<string, number>();
  for (let i = 0; i < 10; i++) m.set('k' + i, i);
  const seen: string[] = [];
  let cur = 0;
  let calls = 0;
  do {
    const out: string[] = [];
    cur = scanBatch(cursors, cur, m, () => m.keys(), 3, out);
    assert.ok(out.length <= 3);
    seen.push(...out);
    calls++;
  } while (cur !== 0);
  assert.equal(calls, 4); // 3+3+3+1, the last batch already ends
  assert.deepEqual(seen, [...m.keys()]);
  // Exactly `count` left: one call, cursor 0.
  const out: string[] = [];
  assert.equal(scanBatch(cursors, 0, m, () => m.keys(), 10, out), 0);
  assert.equal(out.length, 10);
});

test('scanBatch restarts for another target and keeps the look-ahead element', () => {
  const cursors = new ScanCursors();
  const m = new Map<string, number>([['a', 1], ['b', 2], ['c', 3]]);
  const out: string[] = [];
  const cur = scanBatch(cursors, 0, m, () => m.keys(), 1, out);
  assert.deepEqual(out, ['a']);
  assert.notEqual(cur, 0);
  const other = new Map<string, number>([['x', 1]]);
  const out2: string[] = [];
  assert.equal(scanBatch(cursors, cur, other, () => other.keys(), 5, out2), 0);
  assert.deepEqual(out2, ['x']);
  // The cursor was consumed by the mismatching call: resuming it restarts.
  const out3: string[] = [];
  scanBatch(cursors, cur, m, () => m.keys(), 5, out3);
  assert.deepEqual(out3, ['a', 'b', 'c']);
  // The look-ahead does not grow a chain of wrappers over many calls.
  const big = new Map<number, number>();
  for (let i = 0; i < 20000; i++) big.set(i, i);
  let c2 = 0;
  let n = 0;
  do {
    const o: number[] = [];
    c2 = scanBatch(cursors, c2, big, () => big.keys(), 1, o);
    n += o.length;
  } while (c2 !== 0);
  assert.equal(n, 20000);
});

test('exact expire times beyond 2^53', () => {
  const ks = new Keyspace(2);
  const db = ks.dbs[0];
  db.dict.set('a', new RObj(0, 0, 'v', 0));
  db.dict.set('b', new RObj(0, 0, 'v', 0));
  setExpireExact(db, 'a', 9223372036854775807n);
  assert.equal(getExpireExact(db, 'a'), 9223372036854775807n);
  setExpireExact(db, 'b', 1234);
  assert.equal(getExpireExact(db, 'b'), 1234);
  copyExpire(db, 'a', ks.dbs[1], 'a');
  assert.equal(getExpireExact(ks.dbs[1], 'a'), 9223372036854775807n);
  // A writer that does not know the side table wins over a stale exact value.
  db.setExpire('a', 2 ** 62);
  assert.equal(getExpireExact(db, 'a'), 2n ** 62n);
  assert.equal(getExpireExact(db, 'nokey'), undefined);
});
