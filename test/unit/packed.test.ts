// The packed sequence (src/types/packed.ts) against plain arrays: round trips
// at the varint boundaries, lookups with a stride, splicing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  entryAt,
  entryCount,
  entryData,
  entryLength,
  charsAt,
  entryPosition,
  indexOfEntry,
  nextEntry,
  pack,
  packEntry,
  splice,
  unpack,
} from '../../src/types/packed.js';

const latin1 = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }).map((a) => String.fromCharCode(...a));

test('packed: elements at the varint length boundaries round-trip', () => {
  const items = [0, 1, 127, 128, 129, 16383, 16384, 2_100_000].map((n, i) => String.fromCharCode(200 + i).repeat(n));
  const p = pack(items);
  assert.deepEqual(unpack(p), items);
  assert.equal(entryCount(p), items.length);
  assert.equal(p.length, items.reduce((s, x) => s + x.length, 0) + 1 + 1 + 1 + 2 + 2 + 2 + 3 + 4);
  for (let i = 0; i < items.length; i++) {
    const pos = entryPosition(p, i);
    assert.equal(entryAt(p, pos), items[i]);
    assert.equal(entryLength(p, pos), items[i].length);
    assert.ok(charsAt(p, entryData(p, pos), items[i]));
    assert.ok(!charsAt(p, entryData(p, pos), items[i].slice(1) + 'x'));
  }
  assert.equal(entryPosition(p, items.length), p.length);
});

test('packed: any latin1 elements round-trip, and lookups find the first match', () => {
  fc.assert(
    fc.property(fc.array(latin1, { maxLength: 20 }), latin1, (items, probe) => {
      const p = pack(items);
      assert.deepEqual(unpack(p), items);
      const i = items.indexOf(probe);
      assert.equal(indexOfEntry(p, probe), i < 0 ? -1 : entryPosition(p, i));
      // Stride 2 looks only at even entries (the fields of field/value pairs).
      let even = -1;
      for (let k = 0; k < items.length; k += 2) if (items[k] === probe) { even = k; break; }
      assert.equal(indexOfEntry(p, probe, 2), even < 0 ? -1 : entryPosition(p, even));
    }),
  );
});

test('packed: splice replaces, inserts and removes entries', () => {
  fc.assert(
    fc.property(fc.array(latin1, { maxLength: 10 }), fc.nat(), fc.nat(), fc.array(latin1, { maxLength: 3 }), (items, a, b, ins) => {
      const from = a % (items.length + 1);
      const to = from + (b % (items.length - from + 1));
      const p = splice(pack(items), entryPosition(pack(items), from), entryPosition(pack(items), to), ins.map(packEntry).join(''));
      const expected = items.slice();
      expected.splice(from, to - from, ...ins);
      assert.deepEqual(unpack(p), expected);
    }),
  );
});

test('packed: nextEntry steps over multi-char headers', () => {
  const p = pack(['x'.repeat(300), 'y']);
  assert.equal(nextEntry(p, 0), 302);
  assert.equal(entryAt(p, 302), 'y');
});

test('packed: a long element found inside other entries first is still found whole, at the right stride', () => {
  const s = 'x'.repeat(20) + 'tail';
  // s occurs inside entry 0, as a value (entry 1), inside entry 2, then as a field (entry 4).
  const items = ['ab' + s + 'cd', s, s + 'z', 'v', s, 'w'];
  const p = pack(items);
  assert.equal(indexOfEntry(p, s), entryPosition(p, 1));
  assert.equal(indexOfEntry(p, s, 2), entryPosition(p, 4));
  assert.equal(indexOfEntry(pack(['ab' + s + 'cd', 'q', s + 'z', 'v']), s, 2), -1);
  // Same length and last char as s but different: compared, not taken.
  const near = 'y' + s.slice(1);
  assert.equal(indexOfEntry(pack([near, '1', s, '2']), s, 2), entryPosition(pack([near, '1', s, '2']), 2));
  // The search from `near` finds s inside the next entry first, then must search again.
  const q = pack([near, 'ab' + s + 'cd', s]);
  assert.equal(indexOfEntry(q, s), entryPosition(q, 2));
});
