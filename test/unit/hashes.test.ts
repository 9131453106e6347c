// The hash value (src/types/hash.ts) against a Map model: random set (one
// pair or several), delete and lookup sequences on latin1 fields and values, checking the listpack's
// insertion order, its access by pair index, and the one-way conversion.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HashValue, type HashLimits } from '../../src/types/hash.js';
import { Enc } from '../../src/db/robj.js';

const latin1 = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: min, maxLength: max }).map((a) => String.fromCharCode(...a));

/** Strings at the lengths that matter: the ways of comparing (up to 4, 12, longer) and the 1-char header limit (127). */
const str = fc.oneof(latin1(0, 5), latin1(6, 10), latin1(11, 14), latin1(18, 22), latin1(126, 129));

/** The same length, another last char: an overwrite that must not be taken for an identical one. */
const flipLast = (s: string): string => (s.length === 0 ? 'z' : s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) ^ 1));

/** Fields, and values made of fields so that a field also occurs inside other entries. */
const pool = fc.array(str, { minLength: 1, maxLength: 12 }).chain((fields) =>
  fc.record({
    fields: fc.constant(fields),
    values: fc.array(
      fc.oneof(
        str,
        fc.constantFrom(...fields),
        fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...fields)).map(([a, b]) => a + b),
        fc.constantFrom(...fields).map((f) => String.fromCharCode(f.length) + f),
      ),
      { minLength: 1, maxLength: 12 },
    ).map((vs) => vs.concat(vs.map(flipLast))),
  }),
);

const limits = fc.record({
  listpackEntries: fc.constantFrom(0, 1, 4, 8, 512),
  listpackValue: fc.constantFrom(4, 21, 64, 127, 128, 200),
});

type Op = ['set', number, number] | ['setPairs', number[]] | ['del', number] | ['get', number] | ['clone'];
const ops = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constant('set' as const), fc.nat(), fc.nat()) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('setPairs' as const), fc.array(fc.nat(), { minLength: 2, maxLength: 12 })) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('del' as const), fc.nat()) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('get' as const), fc.nat()) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('clone' as const)) },
  ) as fc.Arbitrary<Op>,
  { maxLength: 60 },
);

const sorted = (pairs: [string, string][]): [string, string][] => pairs.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

function check(h: HashValue, model: Map<string, string>, converted: boolean): void {
  assert.equal(h.enc, converted ? Enc.Hashtable : Enc.Listpack);
  assert.equal(h.size, model.size);
  assert.equal(h.empty, model.size === 0);
  const want = [...model];
  const got = [...h];
  // The last pair first: the lookup memo still points into the previous
  // state (a mid pair, see below), which this must not reuse.
  if (got.length > 0) assert.deepEqual([h.fieldAt(got.length - 1), h.valueAt(got.length - 1)], got[got.length - 1]);
  // A listpack keeps insertion order (a Map's order); a hashtable has its own.
  if (converted) assert.deepEqual(sorted(got), sorted(want));
  else assert.deepEqual(got, want);
  // By pair index: in order, then backwards (the listpack's lookup memo).
  for (let i = 0; i < got.length; i++) assert.deepEqual([h.fieldAt(i), h.valueAt(i)], got[i]);
  for (let i = got.length - 1; i >= 0; i--) assert.deepEqual([h.valueAt(i), h.fieldAt(i)], [got[i][1], got[i][0]]);
  for (const [f, v] of want) {
    assert.equal(h.get(f), v);
    assert.ok(h.has(f));
  }
  if (got.length > 0) assert.equal(h.fieldAt(got.length >> 1), got[got.length >> 1][0]);
}

test('hash: random set/delete/get sequences match a Map, in order while a listpack', () => {
  fc.assert(
    fc.property(pool, limits, ops, ({ fields, values }, l: HashLimits, seq) => {
      let h = new HashValue();
      const model = new Map<string, string>();
      let converted = false;
      for (const op of seq) {
        if (op[0] === 'set') {
          const f = fields[op[1] % fields.length];
          const v = values[op[2] % values.length];
          const isNew = !model.has(f);
          // Redis's hashTypeSet: a long field or value, or one field too many.
          const tooLong = f.length > l.listpackValue || v.length > l.listpackValue;
          if (tooLong || (isNew && model.size + 1 > l.listpackEntries)) converted = true;
          assert.equal(h.set(f, v, l), isNew);
          model.set(f, v);
        } else if (op[0] === 'setPairs') {
          // HSET with several pairs: as set() one pair after another.
          const argv = ['hset', 'key'];
          let created = 0;
          for (let k = 0; k + 1 < op[1].length; k += 2) {
            const f = fields[op[1][k] % fields.length];
            const v = values[op[1][k + 1] % values.length];
            const isNew = !model.has(f);
            const tooLong = f.length > l.listpackValue || v.length > l.listpackValue;
            if (tooLong || (isNew && model.size + 1 > l.listpackEntries)) converted = true;
            if (isNew) created++;
            model.set(f, v);
            argv.push(f, v);
          }
          assert.equal(h.setPairs(argv, 2, l), created);
        } else if (op[0] === 'del') {
          const f = fields[op[1] % fields.length];
          assert.equal(h.delete(f), model.delete(f));
          assert.equal(h.has(f), false);
        } else if (op[0] === 'get') {
          const f = fields[op[1] % fields.length];
          assert.equal(h.get(f), model.get(f));
          assert.equal(h.has(f), model.has(f));
        } else {
          const c = h.clone();
          h.set('\u00ffclone-only', 'x', l);
          h = c;
        }
        check(h, model, converted);
      }
    }),
    { numRuns: 300 },
  );
});

test('hash: fields that occur inside other entries are found only as whole fields', () => {
  const l = { listpackEntries: 512, listpackValue: 200 };
  const f = 'element:000000000000';
  const h = new HashValue();
  h.set('a', 'x' + f, l);
  h.set(f.slice(0, 10), f.slice(10), l);
  h.set(String.fromCharCode(20) + f.slice(0, 19), f, l);
  assert.equal(h.get(f), undefined);
  assert.equal(h.has(f), false);
  assert.equal(h.delete(f), false);
  assert.equal(h.set(f, 'v', l), true);
  assert.equal(h.get(f), 'v');
  assert.equal(h.fieldAt(3), f);
  assert.equal(h.size, 4);
  // Short fields (compared char by char) inside values and headers.
  assert.equal(h.get('x'), undefined);
  assert.equal(h.get(String.fromCharCode(1) + 'a'), undefined);
  assert.equal(h.get('a'), 'x' + f);
});

test('hash: the conversion thresholds (hashTypeTryConversion and hashTypeSet)', () => {
  const l = { listpackEntries: 3, listpackValue: 8 };
  const h = new HashValue();
  for (let i = 0; i < 3; i++) h.set(`f${i}`, `v${i}`, l);
  assert.equal(h.enc, Enc.Listpack);
  h.set('f0', 'again', l);
  assert.equal(h.enc, Enc.Listpack);
  h.set('f3', 'v3', l);
  assert.equal(h.enc, Enc.Hashtable);
  assert.deepEqual(sorted([...h]), sorted([['f0', 'again'], ['f1', 'v1'], ['f2', 'v2'], ['f3', 'v3']]));

  const long = new HashValue();
  long.set('a', '12345678', l);
  assert.equal(long.enc, Enc.Listpack);
  long.set('a', '123456789', l);
  assert.equal(long.enc, Enc.Hashtable);
  // Deleting back to few fields does not convert back.
  long.delete('a');
  assert.equal(long.enc, Enc.Hashtable);
  assert.ok(long.empty);

  const pre = new HashValue();
  pre.tryConversion(['HSET', 'k', 'f', 'x'.repeat(9)], 2, 3, l);
  assert.equal(pre.enc, Enc.Hashtable);
  const many = new HashValue();
  many.tryConversion(['HSET', 'k', 'a', '1', 'b', '2', 'c', '3', 'd', '4'], 2, 9, l);
  assert.equal(many.enc, Enc.Hashtable);
  const ok = new HashValue();
  ok.tryConversion(['HSET', 'k', 'a', '1', 'b', '2', 'c', '3'], 2, 7, l);
  assert.equal(ok.enc, Enc.Listpack);
});

test('hash: randomPair covers every pair of a listpack', () => {
  const l = { listpackEntries: 512, listpackValue: 64 };
  const h = HashValue.from(Array.from({ length: 5 }, (_, i): [string, string] => [`f${i}`, `v${i}`]), l);
  const seen = new Set<number>();
  for (let k = 0; k < 200; k++) {
    const i = h.randomPair();
    assert.ok(i >= 0 && i < 5);
    seen.add(i);
  }
  assert.equal(seen.size, 5);
});
