// Unit tests of the stream structures: the ID-keyed B+tree against a sorted
// array, the node encoding (round trips, big IDs, tombstones, reverse walks),
// ID parsing, and the radix tree node count against a brute-force count of
// the compressed trie of the node keys.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdTree, cmpId, type U64 } from '../../src/types/idtree.js';
import { Stream, StreamId, parseStreamId, Trim, ZERO_ID, MAX_ID, nextId, prevId, U64_MAX } from '../../src/types/stream.js';
import { seededRandom } from '../helpers/resp.js';

function key(ms: U64, seq: U64): string {
  return `${ms}-${seq}`;
}

test('IdTree: random inserts, deletes and seeks agree with a sorted array', () => {
  const rnd = seededRandom(42);
  const tree = new IdTree<string>();
  let ref: [number, number][] = [];
  const cmp = (a: [number, number], b: [number, number]) => cmpId(a[0], a[1], b[0], b[1]);
  for (let step = 0; step < 20000; step++) {
    const ms = rnd(400);
    const seq = rnd(4);
    const op = rnd(10);
    const i = ref.findIndex((x) => x[0] === ms && x[1] === seq);
    if (op < 5) {
      const isNew = tree.set(ms, seq, key(ms, seq));
      assert.equal(isNew, i < 0);
      if (i < 0) {
        ref.push([ms, seq]);
        ref.sort(cmp);
      }
    } else if (op < 8) {
      const v = tree.delete(ms, seq);
      assert.equal(v, i < 0 ? undefined : key(ms, seq));
      if (i >= 0) ref.splice(i, 1);
    } else {
      const ge = tree.seekGE(ms, seq);
      const expGE = ref.find((x) => cmp(x, [ms, seq]) >= 0);
      assert.equal(ge.valid ? key(ge.ms, ge.seq) : null, expGE ? key(...expGE) : null);
      const le = tree.seekLE(ms, seq);
      const expLE = [...ref].reverse().find((x) => cmp(x, [ms, seq]) <= 0);
      assert.equal(le.valid ? key(le.ms, le.seq) : null, expLE ? key(...expLE) : null);
      if (ge.valid) {
        ge.prev();
        const before = [...ref].reverse().find((x) => cmp(x, [ms, seq]) < 0);
        assert.equal(ge.valid ? key(ge.ms, ge.seq) : null, before ? key(...before) : null);
      }
    }
    assert.equal(tree.size, ref.length);
    if (step % 997 === 0) {
      assert.deepEqual([...tree.entries()].map(([a, b]) => key(a, b)), ref.map((x) => key(...x)));
      const back: string[] = [];
      for (const c = tree.last(); c.valid; c.prev()) back.push(key(c.ms, c.seq));
      assert.deepEqual(back, ref.map((x) => key(...x)).reverse());
    }
    if (step === 15000) {
      // Empty it completely, then go on.
      for (const [a, b] of ref) tree.delete(a, b);
      ref = [];
      assert.equal(tree.size, 0);
      assert.equal(tree.first().valid, false);
    }
  }
});

test('IdTree: bigint halves compare exactly with numbers', () => {
  const t = new IdTree<number>();
  const big = 18446744073709551615n;
  t.set(5, 1, 1);
  t.set(big, big, 2);
  t.set(9007199254740992n, 0, 3);
  t.set(9007199254740991, big, 4);
  assert.deepEqual(
    [...t.entries()].map((e) => e[2]),
    [1, 4, 3, 2],
  );
  assert.equal(t.get(big, big), 2);
  assert.equal(t.seekGE(9007199254740991, 0).value, 4);
});

test('parseStreamId: Redis string2ull rules', () => {
  const p = (s: string, strict = true) => {
    const id = parseStreamId(s, 0, strict);
    return id === null ? null : String(id);
  };
  assert.equal(p('5-3'), '5-3');
  assert.equal(p('5'), '5-0');
  assert.equal(p('-'), null);
  assert.equal(p('-', false), '0-0');
  assert.equal(p('+', false), '18446744073709551615-18446744073709551615');
  assert.equal(p(' 5-1'), '5-1');
  assert.equal(p('+6'), '6-0');
  assert.equal(p('07'), '7-0');
  assert.equal(p('9- -1'), '9-18446744073709551615');
  assert.equal(p('9-- 1'), null);
  assert.equal(p('9--1'), null);
  assert.equal(p('-0-1'), null);
  assert.equal(p('1-18446744073709551615'), '1-18446744073709551615');
  assert.equal(p('1-18446744073709551616'), null);
  assert.equal(p('12 '), null);
  assert.equal(p(''), null);
  assert.equal(p('1'.repeat(128)), null);
  const auto = { given: true };
  assert.equal(String(parseStreamId('7-*', 0, true, auto)), '7-0');
  assert.equal(auto.given, false);
  assert.equal(parseStreamId('7-*', 0, true), null);
});

test('nextId / prevId carry across the halves and stop at the ends', () => {
  assert.equal(String(nextId(new StreamId(5, U64_MAX))), '6-0');
  assert.equal(String(nextId(new StreamId(5, 9007199254740991))), '5-9007199254740992');
  assert.equal(nextId(MAX_ID), null);
  assert.equal(String(prevId(new StreamId(6, 0))), '5-18446744073709551615');
  assert.equal(prevId(ZERO_ID), null);
});

function add(s: Stream, id: string, ...pairs: string[]): void {
  const [ms, seq] = id.split('-').map((x) => {
    const b = BigInt(x);
    return b <= 9007199254740991n ? Number(b) : b;
  });
  s.append(new StreamId(ms, seq), pairs, 0, pairs.length / 2, 4096, 100);
}

function all(s: Stream, rev = false, start: StreamId | null = null, end: StreamId | null = null): string[] {
  const out: string[] = [];
  const it = s.iter(start, end, rev);
  while (it.next()) {
    const kv: string[] = [];
    for (let i = 0; i < it.nf; i++) {
      it.readPair();
      kv.push(it.field(), it.value());
    }
    out.push(`${it.ms}-${it.seq}:${kv.join(',')}`);
  }
  return out;
}

test('Stream: entries round-trip, with and without the master fields, both directions', () => {
  const s = new Stream();
  add(s, '1-0', 'a', '1', 'b', '2');
  add(s, '1-1', 'a', 'x', 'b', 'y');
  add(s, '2-5', 'c', '', 'd', '\x00\xff');
  add(s, '9007199254740993-18446744073709551615', 'a', 'big', 'b', 'v'.repeat(300));
  add(s, '18446744073709551615-0', 'z', 'last');
  const fwd = all(s);
  assert.deepEqual(fwd, [
    '1-0:a,1,b,2',
    '1-1:a,x,b,y',
    '2-5:c,,d,\x00\xff',
    `9007199254740993-18446744073709551615:a,big,b,${'v'.repeat(300)}`,
    '18446744073709551615-0:z,last',
  ]);
  assert.deepEqual(all(s, true), [...fwd].reverse());
  assert.deepEqual(all(s, false, new StreamId(1, 1), new StreamId(2, 5)), fwd.slice(1, 3));
  assert.deepEqual(all(s, true, new StreamId(1, 1), new StreamId(2, 5)), fwd.slice(1, 3).reverse());
  assert.equal(s.length, 5);
  assert.ok(s.deleteEntry(new StreamId(2, 5)));
  assert.ok(!s.deleteEntry(new StreamId(2, 5)));
  assert.equal(s.length, 4);
  assert.deepEqual(all(s), [fwd[0], fwd[1], fwd[3], fwd[4]]);
  const it = s.iter(null, null, false, false);
  const withTombs: string[] = [];
  while (it.next()) withTombs.push(`${it.ms}-${it.seq}${it.deleted ? 'x' : ''}`);
  assert.deepEqual(withTombs, ['1-0', '1-1', '2-5x', '9007199254740993-18446744073709551615', '18446744073709551615-0']);
  const copy = s.clone();
  assert.deepEqual(all(copy), all(s));
  add(copy, '18446744073709551615-1', 'k', 'v');
  assert.equal(copy.length, 5);
  assert.equal(s.length, 4);
});

test('Stream: trimming by MAXLEN and MINID, exact and approximate', () => {
  const s = new Stream();
  for (let i = 1; i <= 250; i++) add(s, `${i}-0`, 'f', String(i));
  assert.equal(s.nodes.size, 3);
  assert.equal(s.trim(Trim.MaxLen, 200, ZERO_ID, true, 0), 0);
  assert.equal(s.trim(Trim.MaxLen, 150, ZERO_ID, true, 0), 100);
  assert.equal(s.length, 150);
  assert.equal(s.trim(Trim.MaxLen, 140, ZERO_ID, true, 0), 0);
  assert.equal(s.trim(Trim.MaxLen, 140, ZERO_ID, false, 0), 10);
  assert.equal(String(s.firstId), '111-0');
  assert.equal(s.trim(Trim.MinId, 0, new StreamId(230, 0), false, 0), 119);
  assert.equal(String(s.firstId), '230-0');
  assert.equal(s.trim(Trim.MinId, 0, new StreamId(300, 0), true, 10), 0);
  assert.equal(s.trim(Trim.MinId, 0, new StreamId(300, 0), true, 0), 21);
  assert.equal(s.length, 0);
  assert.equal(String(s.firstId), '0-0');
  assert.equal(s.nodes.size, 0);
});

/**
 * Redis's rax node count for a set of 16-byte keys, counted on their
 * compressed trie: a node starts at the root, at every child of a branching
 * prefix, and at every branching prefix or leaf whose parent does not branch.
 */
function bruteRaxNodes(keys: number[][]): number {
  if (keys.length === 0) return 1;
  let count = 0;
  const visit = (set: number[][], depth: number, isRoot: boolean, parentBranches: boolean): void => {
    const leaf = depth === 16;
    const groups = new Map<number, number[][]>();
    if (!leaf) {
      for (const k of set) {
        const l = groups.get(k[depth]);
        if (l) l.push(k);
        else groups.set(k[depth], [k]);
      }
    }
    const branching = groups.size > 1;
    if (isRoot || parentBranches || branching || leaf) count++;
    for (const sub of groups.values()) visit(sub, depth + 1, false, branching);
  };
  visit(keys, 0, true, false);
  return count;
}

function keyBytes(ms: number, seq: number): number[] {
  const out: number[] = [];
  for (const v of [ms, seq]) {
    let b = BigInt(v);
    const part: number[] = [];
    for (let i = 0; i < 8; i++) {
      part.push(Number(b & 255n));
      b >>= 8n;
    }
    out.push(...part.reverse());
  }
  return out;
}

test('Stream: radix tree node count matches a brute-force count of the compressed trie', () => {
  const rnd = seededRandom(7);
  const s = new Stream();
  let ms = 0;
  for (let step = 0; step < 1500; step++) {
    if (rnd(3) !== 0 || s.length === 0) {
      ms += rnd(3) === 0 ? rnd(70000) : rnd(300);
      s.append(new StreamId(ms, rnd(3)), ['f', 'v'], 0, 1, 0, 1 + rnd(3));
    } else {
      // Delete a random live entry (a node goes with its last one).
      const ids = [...s].map(([id]) => id);
      s.deleteEntry(ids[rnd(ids.length)]);
    }
    if (step % 20 === 0 && rnd(2) === 0) s.trim(Trim.MaxLen, rnd(60), ZERO_ID, rnd(2) === 0, 0);
    const keys = [...s.nodes.entries()].map(([a, b]) => keyBytes(Number(a), Number(b)));
    assert.equal(s.raxNodes, bruteRaxNodes(keys), `step ${step}`);
  }
});
