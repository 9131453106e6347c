// Redis's geohash arithmetic (geohash.c, geohash_helper.c): positions as
// 52-bit interleaved scores, the 9 boxes that cover a search area, the
// haversine distance. Every result must be the double Redis computes, so
// each formula keeps the C operation order (JS numbers are the same IEEE
// doubles; there is no fused multiply-add in either).

import { crAsin, crCos, crSin } from '../util/crmath.js';
//
// A hash is a latitude cell and a longitude cell of `step` bits each (the
// score interleaves them: latitude bits in the even positions, longitude bits
// in the odd ones). Cells are kept as two integers instead of the interleaved
// 64-bit word, since JS bit operators are 32-bit: interleaving happens in two
// 32-bit halves. A cell may be 2^step (a coordinate at the range's upper end),
// one bit more than the step, as in Redis.
//
// Redis's trigonometry is glibc's, nearly always the correctly rounded
// result; V8's Math.sin & co. differ from it in the last bit on a few percent
// of arguments. Distances that are replied or stored are computed with the
// correctly rounded functions of src/util/crmath.ts (they match glibc's for
// all but about 0.15% of arguments, see docs/compatibility.md). Searches test
// their candidates with Math's functions, which are ten times faster, and
// redo the test with the correctly rounded ones when a distance is within the
// difference the two can make of the limit.
//
// Results are handed back in typed arrays (decoded, boxRange, ...): a module
// variable holding a double would allocate a number on each write.

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

/** Earth's quadratic mean radius for WGS-84, Redis's constant. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
/** M_PI / 180.0 as C folds it. */
const D_R = Math.PI / 180.0;

const LAT_SCALE = GEO_LAT_MAX - GEO_LAT_MIN;
const LONG_SCALE = GEO_LONG_MAX - GEO_LONG_MIN;
const TWO32 = 4294967296;

/** 2^k for k = 0..64, exact. */
const POW2: number[] = [];
for (let k = 0, x = 1; k <= 64; k++, x *= 2) POW2.push(x);

function degRad(ang: number): number {
  return ang * D_R;
}

function radDeg(ang: number): number {
  return ang / D_R;
}

// --- bit interleaving in 32-bit halves ---

/** The 16 low bits of x moved to the even positions of a 32-bit word. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** The even bits of a 32-bit word packed into 16 bits. */
function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** A 64-bit word as its high and low 32 bits (set by interleave() and scoreToWord()). */
const word = new Uint32Array(2);
const HI = 0;
const LO = 1;

/** interleave64 into `word`: lat's bits in the even positions, lon's in the odd ones (uint32 cells). */
function interleave(lat: number, lon: number): void {
  word[LO] = spread16(lat) | (spread16(lon) << 1);
  word[HI] = spread16(lat >>> 16) | (spread16(lon >>> 16) << 1);
}

/** A 64-bit word given as halves, as the double C's uint64 -> double conversion gives (round to nearest even). */
function wordToDouble(hi: number, lo: number): number {
  // hi * 2^32 is exact; one IEEE addition rounds the exact sum once.
  return hi * TWO32 + lo;
}

/** The exact decimal text of a 64-bit word given as halves. */
function wordToString(hi: number, lo: number): string {
  if (hi >= 0x200000) return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  // Below 2^53: two small-integer conversions (V8 converts big doubles much slower).
  const n = hi * TWO32 + lo;
  if (n < 1e8) return '' + n;
  const top = Math.floor(n / 1e8);
  const low = '' + (n - top * 1e8);
  return top + '00000000'.slice(low.length) + low;
}

const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

/**
 * (uint64_t)score into `word`, as gcc compiles it on x86-64: truncation
 * toward zero; below 2^63 through a signed conversion (a negative value wraps
 * modulo 2^64; one below -2^63, or NaN, gives 2^63), from 2^63 on through the
 * signed conversion of score - 2^63 with the top bit flipped (2^64 and more
 * give 0). Scores written by GEOADD are integers below 2^54; others come
 * from ZADD.
 */
function scoreToWord(score: number): void {
  if (score >= 0 && score < 9007199254740992) {
    const t = Math.floor(score);
    const hi = Math.floor(t / TWO32);
    word[HI] = hi;
    word[LO] = t - hi * TWO32;
    return;
  }
  let v: bigint;
  if (Number.isNaN(score)) v = 1n << 63n;
  else if (score < TWO63) v = score >= -TWO63 ? BigInt.asUintN(64, BigInt(Math.trunc(score))) : 1n << 63n;
  else if (score < TWO64) v = BigInt(score);
  else v = 0n;
  word[HI] = Number(v >> 32n);
  word[LO] = Number(v & 0xffffffffn);
}

// --- hashes ---

/** A geohash box: a latitude and a longitude cell of `step` bits (GeoHashBits). */
export interface GeoHash {
  lat: number;
  lon: number;
  step: number;
  /** GZERO'd: excluded from the search (HASHISZERO). */
  zero: boolean;
}

function newHash(): GeoHash {
  return { lat: 0, lon: 0, step: 0, zero: false };
}

/** True when the coordinates are within Redis's limits (extractLongLatOrReply's test). */
export function validLongLat(lon: number, lat: number): boolean {
  return !(lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX);
}

/**
 * geohashEncode over the given ranges into `h`. Returns false (leaving `h`
 * as it was) for coordinates outside Redis's limits or the ranges.
 */
function encode(lonMin: number, lonMax: number, latMin: number, latMax: number, longitude: number, latitude: number, step: number, h: GeoHash): boolean {
  if (!validLongLat(longitude, latitude)) return false;
  h.lat = 0;
  h.lon = 0;
  h.step = step;
  h.zero = false;
  if (latitude < latMin || latitude > latMax || longitude < lonMin || longitude > lonMax) return false;
  let latOffset = (latitude - latMin) / (latMax - latMin);
  let longOffset = (longitude - lonMin) / (lonMax - lonMin);
  latOffset *= POW2[step];
  longOffset *= POW2[step];
  // (uint32_t) of a double in [0, 2^step]: truncation.
  h.lat = latOffset >>> 0;
  h.lon = longOffset >>> 0;
  return true;
}

/** A box's coordinate ranges (GeoHashArea): latitude min, max, longitude min, max. */
const LAT_MIN = 0;
const LAT_MAX = 1;
const LON_MIN = 2;
const LON_MAX = 3;

/** geohashDecode over Redis's coordinate ranges into `area` (the cells are uint32, as in C). */
function decodeArea(lat: number, lon: number, step: number, area: Float64Array): void {
  const div = POW2[step];
  area[LAT_MIN] = GEO_LAT_MIN + (lat / div) * LAT_SCALE;
  area[LAT_MAX] = GEO_LAT_MIN + (((lat + 1) >>> 0) / div) * LAT_SCALE;
  area[LON_MIN] = GEO_LONG_MIN + (lon / div) * LONG_SCALE;
  area[LON_MAX] = GEO_LONG_MIN + (((lon + 1) >>> 0) / div) * LONG_SCALE;
}

/** The position decodeScore() decoded: longitude, latitude. */
export const decoded = new Float64Array(2);

const cellArea = new Float64Array(4);

/**
 * decodeGeohash: the longitude and latitude of a score (the centre of its
 * step-26 box, clamped to the limits), into `decoded`. Any score decodes, as
 * in Redis.
 */
export function decodeScore(score: number): void {
  scoreToWord(score);
  const hi = word[HI];
  const lo = word[LO];
  // deinterleave64: the even bits are the latitude cell, the odd ones the longitude's.
  const lat = (compact16(lo) | (compact16(hi) << 16)) >>> 0;
  const lon = (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0;
  const a = cellArea;
  decodeArea(lat, lon, GEO_STEP_MAX, a);
  let x = (a[LON_MIN] + a[LON_MAX]) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (a[LAT_MIN] + a[LAT_MAX]) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  decoded[0] = x;
  decoded[1] = y;
}

const scratchHash = newHash();

/**
 * The score GEOADD gives a valid position (geohashEncodeWGS84 at step 26,
 * aligned to 52 bits): the 64-bit integer read as a double (rounded above
 * 2^53, as ZADD reads GEOADD's integer text). encodedScoreText() gives that
 * exact integer text, which GEOADD propagates.
 */
export function encodeScore(lon: number, lat: number): number {
  encode(GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, lon, lat, GEO_STEP_MAX, scratchHash);
  interleave(scratchHash.lat, scratchHash.lon);
  return wordToDouble(word[HI], word[LO]);
}

/** The exact integer text of the last encodeScore(). */
export function encodedScoreText(): string {
  return wordToString(word[HI], word[LO]);
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's 11-character string for a score: the decoded position encoded
 * again over the standard ranges (latitude -90..90), 5 bits a character,
 * the 11th character from bits Redis does not have (always '0').
 */
export function geohashString(score: number): string {
  decodeScore(score);
  encode(-180, 180, -90, 90, decoded[0], decoded[1], GEO_STEP_MAX, scratchHash);
  interleave(scratchHash.lat, scratchHash.lon);
  const hi = word[HI];
  const lo = word[LO];
  let out = '';
  for (let i = 0; i < 10; i++) {
    const shift = 52 - (i + 1) * 5;
    let idx: number;
    if (shift >= 32) idx = hi >>> (shift - 32);
    else if (shift + 5 <= 32) idx = lo >>> shift;
    else idx = (lo >>> shift) | (hi << (32 - shift));
    out += GEOALPHABET[idx & 0x1f];
  }
  return out + '0';
}

// --- distances ---

/** geohashGetLatDistance: the distance along a meridian (no trigonometry). */
export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/**
 * geohashGetDistance: the haversine distance in meters, with correctly
 * rounded functions (Redis's results). `cosLat1`: cos of lat1 in radians,
 * when the caller has it (the centre of a search).
 */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number, cosLat1 = NaN): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = crSin((lon2r - lon1r) / 2);
  // Same longitude: the distance along the meridian, without the expensive math.
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = crSin((lat2r - lat1r) / 2);
  const c1 = cosLat1 === cosLat1 ? cosLat1 : crCos(lat1r);
  const c2 = lat2d === lat1d ? c1 : crCos(lat2r);
  const a = u * u + c1 * c2 * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * crAsin(Math.sqrt(a));
}

/** The haversine's `a` of the last fastDistance(), for fastTolerance(). */
const fastA = new Float64Array(1);

/** distance() with Math's functions: a few units in the last place from Redis's. */
function fastDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number, cosLat1: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  fastA[0] = 0;
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const c1 = cosLat1 === cosLat1 ? cosLat1 : Math.cos(lat1r);
  const c2 = lat2d === lat1d ? c1 : Math.cos(lat2r);
  const a = u * u + c1 * c2 * v * v;
  fastA[0] = a;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/**
 * A bound on |fastDistance - distance| for the last fastDistance() (whose
 * result is d): the functions differ by about one unit in the last place,
 * which the arcsine amplifies by 1 / sqrt(1 - a) towards the antipodes; the
 * bound is a hundred times the estimate.
 */
function fastTolerance(d: number): number {
  const room = 1 - fastA[0];
  return 1e-6 / Math.sqrt(room > 1e-300 ? room : 1e-300) + 1e-13 * d;
}

// --- search shapes and the boxes that cover them ---

/** A search area (GeoShape): a circle (radius) or a box (width, height), in `conversion` units to the meter. */
export interface GeoShape {
  circle: boolean;
  lon: number;
  lat: number;
  radius: number;
  width: number;
  height: number;
  conversion: number;
  /** The bounding box: min lon, min lat, max lon, max lat. */
  bounds: Float64Array;
}

export function newShape(): GeoShape {
  return { circle: true, lon: 0, lat: 0, radius: 0, width: 0, height: 0, conversion: 1, bounds: new Float64Array(4) };
}

/**
 * geohashBoundingBox, with `cos` for the longitude deltas: Math.cos first,
 * crCos when a decision depends on the last bits (see areasByShape).
 */
function boundingBox(shape: GeoShape, cos: (x: number) => number): void {
  const longitude = shape.lon;
  const latitude = shape.lat;
  const height = shape.conversion * (shape.circle ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.circle ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(latitude - latDelta)));
  // The hemispheres curve opposite ways: the wider edge gives the longitudes.
  const southern = latitude < 0;
  const b = shape.bounds;
  b[0] = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
  b[2] = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
  b[1] = latitude - latDelta;
  b[3] = latitude + latDelta;
}

/** geohashEstimateStepsByRadius. */
export function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // make sure the range is included in most of the base cases
  // Wider range towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/**
 * geohash_move_x / geohash_move_y: the next cell east or west (north or
 * south), modulo 2^step; a cell of 2^step (the range's upper end) counts as
 * 0 going up and as 2^step - 1 going down, as Redis's bit arithmetic has it.
 */
function moveLon(h: GeoHash, d: number): void {
  const m = 1 << h.step;
  h.lon = d > 0 ? (h.lon + 1) & (m - 1) : (h.lon - 1) & (m - 1);
}

function moveLat(h: GeoHash, d: number): void {
  const m = 1 << h.step;
  h.lat = d > 0 ? (h.lat + 1) & (m - 1) : (h.lat - 1) & (m - 1);
}

function copyHash(to: GeoHash, from: GeoHash): void {
  to.lat = from.lat;
  to.lon = from.lon;
  to.step = from.step;
  to.zero = from.zero;
}

/**
 * The 9 boxes in membersOfAllNeighbors' order: the centre box, then north,
 * south, east, west, north-east, north-west, south-east, south-west.
 */
export const searchBoxes: GeoHash[] = [];
for (let i = 0; i < 9; i++) searchBoxes.push(newHash());

const N = 1;
const S = 2;
const E = 3;
const W = 4;
const NE = 5;
const NW = 6;
const SE = 7;
const SW = 8;

/** geohashNeighbors of searchBoxes[0]. */
function neighbors(): void {
  const b = searchBoxes;
  for (let i = 1; i < 9; i++) copyHash(b[i], b[0]);
  moveLon(b[E], 1);
  moveLon(b[W], -1);
  moveLat(b[S], -1);
  moveLat(b[N], 1);
  moveLon(b[NW], -1);
  moveLat(b[NW], 1);
  moveLon(b[NE], 1);
  moveLat(b[NE], 1);
  moveLon(b[SE], 1);
  moveLat(b[SE], -1);
  moveLon(b[SW], -1);
  moveLat(b[SW], -1);
}

const area = new Float64Array(4);
const nArea = new Float64Array(4);
const sArea = new Float64Array(4);
const eArea = new Float64Array(4);
const wArea = new Float64Array(4);

/** Set by lonBelow() when a comparison of longitudes was too close to call with Math.cos. */
let closeCall = false;

/**
 * a < b for longitudes where one side is a bound from Math.cos: such a
 * bound is within about 1e-15 relative of the exact one, so a comparison
 * closer than 1e-12 is flagged for a second pass with exact bounds.
 */
function lonBelow(a: number, b: number, exact: boolean): boolean {
  if (!exact && Math.abs(a - b) <= 1e-12 * (Math.abs(a) + Math.abs(b))) closeCall = true;
  return a < b;
}

/**
 * geohashCalculateAreasByShapeWGS84: fills shape.bounds and searchBoxes with
 * the boxes to scan (a box with `zero` set is skipped).
 */
export function areasByShape(shape: GeoShape): void {
  closeCall = false;
  areas(shape, false);
  if (closeCall) areas(shape, true);
}

function areas(shape: GeoShape, exact: boolean): void {
  boundingBox(shape, exact ? crCos : Math.cos);
  const bounds = shape.bounds;
  const minLon = bounds[0];
  const minLat = bounds[1];
  const maxLon = bounds[2];
  const maxLat = bounds[3];
  const longitude = shape.lon;
  const latitude = shape.lat;
  // A box is covered from its centre to a corner.
  let radiusMeters = shape.circle ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;

  let steps = estimateSteps(radiusMeters, latitude);
  const b = searchBoxes;
  encode(GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, longitude, latitude, steps, b[0]);
  neighbors();
  decodeArea(b[0].lat, b[0].lon, steps, area);

  // Near the edge of its box, the search area may reach past the neighbours
  // at this step: one step less makes the boxes twice as big.
  decodeArea(b[N].lat, b[N].lon, b[N].step, nArea);
  decodeArea(b[S].lat, b[S].lon, b[S].step, sArea);
  decodeArea(b[E].lat, b[E].lon, b[E].step, eArea);
  decodeArea(b[W].lat, b[W].lon, b[W].step, wArea);
  const eastShort = lonBelow(eArea[LON_MAX], maxLon, exact);
  const westShort = lonBelow(minLon, wArea[LON_MIN], exact);
  const decreaseStep = nArea[LAT_MAX] < maxLat || sArea[LAT_MIN] > minLat || eastShort || westShort;
  if (steps > 1 && decreaseStep) {
    steps--;
    encode(GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, longitude, latitude, steps, b[0]);
    neighbors();
    decodeArea(b[0].lat, b[0].lon, steps, area);
  }

  // Exclude the boxes that the search area does not reach.
  if (steps >= 2) {
    if (area[LAT_MIN] < minLat) b[S].zero = b[SW].zero = b[SE].zero = true;
    if (area[LAT_MAX] > maxLat) b[N].zero = b[NE].zero = b[NW].zero = true;
    if (lonBelow(area[LON_MIN], minLon, exact)) b[W].zero = b[SW].zero = b[NW].zero = true;
    if (lonBelow(maxLon, area[LON_MAX], exact)) b[E].zero = b[SE].zero = b[NE].zero = true;
  }
}

/** The score range [min, max) of a box (scoresOfGeoHashBox), set by boxScores(). */
export const boxRange = new Float64Array(2);

export function boxScores(h: GeoHash): void {
  interleave(h.lat, h.lon);
  const hi = word[HI];
  const lo = word[LO];
  const shift = POW2[52 - h.step * 2];
  // Below step 26 the word has at most 52 bits: exact, and so is the shift.
  boxRange[0] = wordToDouble(hi, lo) * shift;
  boxRange[1] = (lo === 0xffffffff ? wordToDouble(hi + 1, 0) : wordToDouble(hi, lo + 1)) * shift;
}

/** Two boxes that the dedup of membersOfAllNeighbors treats as the same. */
export function sameBox(a: GeoHash, b: GeoHash): boolean {
  return a.lat === b.lat && a.lon === b.lon && a.step === b.step;
}

// --- the shape tests (geoWithinShape), on a decoded position ---

/**
 * A search in progress: the shape, its sizes in meters as Redis multiplies
 * them out, and cos of the centre's latitude (in the fast and the correctly
 * rounded versions: every distance from the centre needs it).
 */
export interface Search {
  shape: GeoShape;
  radiusM: number;
  widthM: number;
  heightM: number;
  cosFast: number;
  /** Computed on first use (NaN until then). */
  cosExact: number;
}

export function newSearch(shape: GeoShape): Search {
  const latR = degRad(shape.lat);
  return {
    shape,
    radiusM: shape.radius * shape.conversion,
    widthM: shape.width * shape.conversion,
    heightM: shape.height * shape.conversion,
    cosFast: Math.cos(latR),
    cosExact: NaN,
  };
}

function exactCentreCos(q: Search): number {
  if (q.cosExact !== q.cosExact) q.cosExact = crCos(degRad(q.shape.lat));
  return q.cosExact;
}

/** The distance from the search's centre to (lon, lat), as Redis computes it. */
export function centreDistance(q: Search, lon: number, lat: number): number {
  return distance(q.shape.lon, q.shape.lat, lon, lat, exactCentreCos(q));
}

/** How far the distance withinShape() returned may be from Redis's (0: it is Redis's). */
export const shapeTolerance = new Float64Array(1);

/** `d` (fast) > limit, decided with the exact distance when the fast one is too close to call. */
function beyond(d: number, limit: number, lon1: number, lat1: number, lon2: number, lat2: number, q: Search | null): boolean {
  if (Math.abs(d - limit) > fastTolerance(d)) return d > limit;
  return distance(lon1, lat1, lon2, lat2, q === null ? NaN : exactCentreCos(q)) > limit;
}

/**
 * geoWithinShape on a decoded position: -1 when outside
 * (geohashGetDistanceIfInRadiusWGS84 / geohashGetDistanceIfInRectangle),
 * else the distance from the centre, from Math's functions where that is
 * safe (shapeTolerance says how far it may be from Redis's; centreDistance()
 * gives the exact value). NaN (Redis's distance of nearly antipodal points
 * can be) counts as inside, as in Redis.
 */
export function withinShape(q: Search, lon: number, lat: number): number {
  const shape = q.shape;
  if (shape.circle) {
    const d = fastDistance(shape.lon, shape.lat, lon, lat, q.cosFast);
    const tol = fastTolerance(d);
    if (d !== d || fastA[0] > 1 || Math.abs(d - q.radiusM) <= tol) {
      const exact = centreDistance(q, lon, lat);
      shapeTolerance[0] = 0;
      return exact > q.radiusM ? -1 : exact;
    }
    shapeTolerance[0] = tol;
    return d > q.radiusM ? -1 : d;
  }
  // The latitude distance is cheaper: tested first.
  if (latDistance(lat, shape.lat) > q.heightM / 2) return -1;
  const lonDist = fastDistance(lon, lat, shape.lon, lat, NaN);
  if (lonDist !== lonDist || fastA[0] > 1 ? distance(lon, lat, shape.lon, lat) > q.widthM / 2 : beyond(lonDist, q.widthM / 2, lon, lat, shape.lon, lat, null)) return -1;
  const d = fastDistance(shape.lon, shape.lat, lon, lat, q.cosFast);
  if (d !== d || fastA[0] > 1) {
    shapeTolerance[0] = 0;
    return centreDistance(q, lon, lat);
  }
  shapeTolerance[0] = fastTolerance(d);
  return d;
}

// --- number formatting ---

/**
 * printf's "%.<digits>f" of a double (glibc: the exact binary value rounded
 * to nearest, ties to even). toFixed rounds exact ties away from zero, so
 * ties are detected (a value with exactly digits+1 decimals ending in 5 is
 * an odd multiple of 2^-(digits+1)) and rounded to even here.
 */
export function formatFixed(d: number, digits: number): string {
  if (Number.isNaN(d)) return d < 0 ? '-nan' : 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  const neg = d < 0 || Object.is(d, -0);
  const a = Math.abs(d);
  let s: string;
  if (a >= 1e21) {
    // An integer: its exact digits.
    s = BigInt(a).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');
  } else {
    const t = a * 2 ** (digits + 1);
    if (Number.isInteger(t) && t % 2 === 1) {
      const exact = a.toFixed(digits + 1);
      const down = exact.slice(0, digits > 0 ? -1 : -2);
      const last = down.charCodeAt(down.length - 1);
      s = (last & 1) === 0 ? down : a.toFixed(digits);
    } else {
      s = a.toFixed(digits);
    }
  }
  return neg ? '-' + s : s;
}

/**
 * Redis's coordinate replies (addReplyHumanLongDouble: "%.17Lf" of the
 * double, trailing zeros and point removed, "-0" as "0").
 */
export function formatCoordinate(d: number): string {
  let s = formatFixed(d, 17);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  s = s.slice(0, end);
  return s === '-0' ? '0' : s;
}

/**
 * Redis's distance replies (addReplyDoubleDistance: fixedpoint_d2string with
 * 4 digits): the distance times 10^4 rounded to an integer (llrint: to
 * nearest, ties to even), printed with 4 decimals.
 */
export function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const x = d * 10000;
  let n: number;
  if (Math.abs(x) >= 4503599627370496) n = x; // already an integer
  else {
    n = Math.round(x); // ties upward: fix ties to even
    if (n - x === 0.5 && n % 2 !== 0) n -= 1;
  }
  // llrint of NaN or of a value out of the long long range gives LLONG_MIN.
  if (!(Math.abs(n) < 9223372036854775808)) return '-922337203685477.5808';
  const neg = n < 0;
  const abs = Math.abs(n);
  let digits = abs < 9007199254740992 ? String(abs) : BigInt(abs).toString();
  if (digits.length < 5) digits = '0'.repeat(5 - digits.length) + digits;
  const text = digits.slice(0, -4) + '.' + digits.slice(-4);
  return neg ? '-' + text : text;
}
