// The geohash arithmetic (src/types/geohash.ts) against values read off
// Redis 7.2.6, the number formatting against exact BigInt references, and
// the result sorts of src/commands/geo.ts (glibc's merge sort, Redis's
// partial quicksort) against a full stable sort, and the sorted-set walk the
// searches use.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as g from '../../src/types/geohash.js';
import { formatLongDouble } from '../../src/protocol/format.js';
import { mergeSort, pqsort, cmpAsc, cmpDesc, type GeoPoint } from '../../src/commands/geo.js';
import { ZSet } from '../../src/types/zset.js';
import { setNodeCapacities } from '../../src/types/zset-tree.js';

/** The exact value of a finite double as a BigInt numerator over 2^shift. */
function exact(d: number): { neg: boolean; num: bigint; shift: bigint } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, d);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  const neg = (hi >>> 31) === 1;
  if (e >= 0) return { neg, num: mant << BigInt(e), shift: 0n };
  return { neg, num: mant, shift: BigInt(-e) };
}

/** printf("%.<digits>f") by exact arithmetic: round to nearest, ties to even. */
function referenceFixed(d: number, digits: number): string {
  const { neg, num, shift } = exact(d);
  const scaled = num * 10n ** BigInt(digits);
  let q = scaled >> shift;
  const rem = scaled - (q << shift);
  if (shift > 0n) {
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  let s = q.toString().padStart(digits + 1, '0');
  if (digits > 0) s = s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
  return (neg ? '-' : '') + s;
}

/** fixedpoint_d2string(d, 4): llrint(d * 10^4) (ties to even) printed with 4 decimals. */
function referenceDistance(d: number): string {
  if (d === 0) return '0.0000';
  const x = d * 10000;
  const { neg, num, shift } = exact(x);
  let q = num >> shift;
  const rem = num - (q << shift);
  if (shift > 0n) {
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const s = q.toString().padStart(5, '0');
  return (neg && q !== 0n ? '-' : '') + s.slice(0, -4) + '.' + s.slice(-4);
}

test('positions and hashes Redis 7.2.6 gives', () => {
  // GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
  assert.equal(g.encodeScore(13.361389, 38.115556), 3479099956230698);
  assert.equal(g.encodedScoreText(), '3479099956230698');
  assert.equal(g.encodeScore(15.087269, 37.502669), 3479447370796909);
  g.decodeScore(3479099956230698);
  assert.equal(g.formatCoordinate(g.decoded[0]), '13.36138933897018433');
  assert.equal(g.formatCoordinate(g.decoded[1]), '38.11555639549629859');
  assert.equal(g.geohashString(3479099956230698), 'sqc8b49rny0');
  assert.equal(g.geohashString(3479447370796909), 'sqdtr74hyu0');
  // The corners: the upper ends give cells of 2^26, one bit past the step.
  assert.equal(g.encodeScore(180, 85.05112878), 13510798882111488);
  assert.equal(g.encodeScore(-180, -85.05112878), 0);
  assert.equal(g.encodeScore(180, 0), 10133099161583616);
  g.decodeScore(13510798882111488);
  assert.deepEqual([g.formatCoordinate(g.decoded[0]), g.formatCoordinate(g.decoded[1])], ['180', '85.0511287799999991']);
  g.decodeScore(0);
  assert.deepEqual([g.formatCoordinate(g.decoded[0]), g.formatCoordinate(g.decoded[1])], ['-179.99999731779098511', '-85.05112751263942528']);
  g.decodeScore(10133099161583616);
  assert.deepEqual([g.formatCoordinate(g.decoded[0]), g.formatCoordinate(g.decoded[1])], ['180', '0.00000126736058093']);
  // Longitude 180 sets bit 53: the score is that integer rounded to a double, and decodes to a neighbouring latitude cell.
  assert.equal(g.encodeScore(179.99999999999997, -7.105427357601003e-15), 9382499223688532);
  g.decodeScore(9382499223688532);
  assert.deepEqual([g.formatCoordinate(g.decoded[0]), g.formatCoordinate(g.decoded[1])], ['180', '-0.00000380208174278']);
  assert.equal(g.geohashString(9382499223688532), '2pbpbpbpbp0');
  // Palermo - Catania, meters (GEODIST).
  g.decodeScore(3479099956230698);
  const [lon1, lat1] = [g.decoded[0], g.decoded[1]];
  g.decodeScore(3479447370796909);
  assert.equal(g.formatDistance(g.distance(lon1, lat1, g.decoded[0], g.decoded[1])), '166274.1516');
});

test('an encoded position decodes to its own cell', () => {
  // Away from the upper ends, where a cell of 2^26 makes a score above 2^53 (rounded, see above).
  fc.assert(
    fc.property(fc.double({ min: -180, max: 179.9999, noNaN: true }), fc.double({ min: g.GEO_LAT_MIN, max: 85.05, noNaN: true }), (lon, lat) => {
      const s = g.encodeScore(lon, lat);
      assert.ok(Number.isInteger(s) && s >= 0);
      assert.equal(BigInt(g.encodedScoreText()) <= 2n ** 54n, true);
      assert.equal(Number(g.encodedScoreText()), s);
      g.decodeScore(s);
      // A cell is 360 / 2^26 degrees wide and 170.1 / 2^26 high: the centre is within half of that.
      assert.ok(Math.abs(g.decoded[0] - lon) <= 360 / 2 ** 27 + 1e-9, `lon ${lon} -> ${g.decoded[0]}`);
      assert.ok(Math.abs(g.decoded[1] - lat) <= 171 / 2 ** 27 + 1e-9, `lat ${lat} -> ${g.decoded[1]}`);
      // Encoding the decoded position again gives the same score (the centre is inside its cell).
      assert.equal(g.encodeScore(g.decoded[0], g.decoded[1]), s);
    }),
    { numRuns: 2000 },
  );
});

test('formatFixed is printf %.Nf: exact value, ties to even', () => {
  const cases = [180.0078125, 0.5, 1.5, 2.5, -2.5, 0.000171661376953125, 1e300, -0, 0, 1e21, 123456789.123456789, 5e-7, -5e-7, 2 ** -18, 3 * 2 ** -18];
  for (const d of cases) for (const digits of [0, 4, 6, 17]) assert.equal(g.formatFixed(d, digits), referenceFixed(d, digits), `${d} %.${digits}f`);
  assert.equal(g.formatFixed(180.0078125, 6), '180.007812');
  assert.equal(g.formatFixed(-0, 6), '-0.000000');
  assert.equal(g.formatFixed(Infinity, 6), 'inf');
  assert.equal(g.formatFixed(-Infinity, 6), '-inf');
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e25, max: 1e25 }), fc.constantFrom(4, 6, 17), (d, digits) => {
      assert.equal(g.formatFixed(d, digits), referenceFixed(d, digits));
    }),
    { numRuns: 3000 },
  );
  // Ties: odd multiples of 2^-(digits+1).
  fc.assert(
    fc.property(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.constantFrom(4, 6, 17), (k, digits) => {
      const d = (2 * k + 1) * 2 ** -(digits + 1);
      assert.equal(g.formatFixed(d, digits), referenceFixed(d, digits));
    }),
    { numRuns: 2000 },
  );
});

test('formatCoordinate is %.17Lf trimmed (the long double formatter agrees)', () => {
  fc.assert(
    fc.property(fc.double({ min: -180, max: 180, noNaN: true }), (d) => {
      assert.equal(g.formatCoordinate(d), formatLongDouble(d));
    }),
    { numRuns: 3000 },
  );
  // Longitudes are multiples of 45 / 2^24: some have exactly 18 decimals (a tie at the 17th).
  for (let k = -200; k <= 200; k++) {
    const d = (k * 45) / 2 ** 18;
    assert.equal(g.formatCoordinate(d), formatLongDouble(d), String(d));
  }
  assert.equal(g.formatCoordinate(-1e-20), '0');
});

test('formatDistance is fixedpoint_d2string with 4 digits (llrint, ties to even)', () => {
  for (const d of [0, 0.00005, 0.00015, 0.00025, 1.23455, 166274.15164, 4706019.126750001, 1e14, 1e-300]) assert.equal(g.formatDistance(d), referenceDistance(d), String(d));
  assert.equal(g.formatDistance(0.00005), '0.0000');
  // llrint of NaN or beyond the long long range: LLONG_MIN.
  assert.equal(g.formatDistance(NaN), '-922337203685477.5808');
  assert.equal(g.formatDistance(1e15), '-922337203685477.5808');
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (d) => {
      assert.equal(g.formatDistance(d), referenceDistance(d));
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (k) => {
      const d = (k + 0.5) / 10000;
      assert.equal(g.formatDistance(d), referenceDistance(d));
    }),
    { numRuns: 2000 },
  );
});

test('search steps and boxes', () => {
  assert.equal(g.estimateSteps(0, 0), 26);
  assert.equal(g.estimateSteps(100000, 0), 7);
  assert.equal(g.estimateSteps(100000, 70), 6);
  assert.equal(g.estimateSteps(100000, -81), 5);
  assert.equal(g.estimateSteps(1e9, 0), 1);
  assert.equal(g.estimateSteps(Infinity, 0), 1);
  assert.equal(g.estimateSteps(1e-300, 0), 26);
  // A small circle: 9 boxes of the same step around the centre, each a contiguous score range.
  const shape = g.newShape();
  shape.lon = 13.36;
  shape.lat = 38.11;
  shape.radius = 10;
  shape.conversion = 1000;
  g.areasByShape(shape);
  const centre = g.searchBoxes[0];
  g.boxScores(centre);
  const s = g.encodeScore(13.36, 38.11);
  assert.ok(g.boxRange[0] <= s && s < g.boxRange[1]);
  for (const b of g.searchBoxes) {
    assert.equal(b.step, centre.step);
    if (b.zero) continue;
    assert.ok(Math.abs(b.lat - centre.lat) <= 1 && Math.abs(b.lon - centre.lon) <= 1);
    g.boxScores(b);
    assert.equal(g.boxRange[1] - g.boxRange[0], 2 ** (52 - 2 * b.step));
  }
});

function points(dists: number[]): GeoPoint[] {
  return dists.map((dist, i) => ({ lon: 0, lat: 0, dist, tol: 0, score: i, member: 'm' + i }));
}

test('the full sort is stable (glibc merge sort), ascending and descending', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 200 }), fc.boolean(), (ds, desc) => {
      const a = points(ds);
      const want = [...a].sort((x, y) => (desc ? y.dist - x.dist : x.dist - y.dist));
      mergeSort(a, desc ? cmpDesc : cmpAsc);
      assert.deepEqual(a.map((p) => p.member), want.map((p) => p.member));
    }),
    { numRuns: 500 },
  );
});

test('the partial quicksort orders the wanted prefix and keeps every element', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 300 }), fc.nat(), fc.boolean(), (ds, k0, desc) => {
      const a = points(ds);
      const k = (k0 % a.length) + 1;
      pqsort(a, 0, a.length, desc ? cmpDesc : cmpAsc, 0, k - 1);
      const sorted = [...ds].sort((x, y) => (desc ? y - x : x - y));
      assert.deepEqual(a.slice(0, k).map((p) => p.dist), sorted.slice(0, k));
      assert.deepEqual(a.map((p) => p.member).sort(), points(ds).map((p) => p.member).sort());
    }),
    { numRuns: 500 },
  );
});

test('ZSet.walkScoreRange visits [min, max) in order, in both forms, and stops when asked', () => {
  // Small nodes: the big form becomes a deep tree of many leaves.
  const old = setNodeCapacities(4, 4);
  try {
    walkProperty();
  } finally {
    setNodeCapacities(old[0], old[1]);
  }
});

function walkProperty(): void {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 60 })), { maxLength: 300 }),
      fc.integer({ min: -2, max: 65 }),
      fc.integer({ min: -2, max: 65 }),
      fc.integer({ min: 0, max: 20 }),
      fc.boolean(),
      (pairs, min, max, stopAfter, big) => {
        const z = new ZSet();
        if (big) z.toSkiplist();
        const model = new Map<string, number>();
        for (const [m, s] of pairs) {
          const name = 'm' + m;
          if (z.has(name)) z.update(name, s);
          else z.insert(name, s);
          model.set(name, s);
        }
        const want = [...model]
          .filter(([, s]) => s >= min && s < max)
          .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const got: [string, number][] = [];
        z.walkScoreRange(min, max, (m, s) => {
          got.push([m, s]);
          return stopAfter === 0 || got.length < stopAfter;
        });
        assert.deepEqual(got, stopAfter === 0 ? want : want.slice(0, stopAfter));
      },
    ),
    { numRuns: 500 },
  );
}
