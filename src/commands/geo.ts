// Geo commands (Redis's geo.c): a geo set is a sorted set whose scores are
// 52-bit interleaved geohashes (src/types/geohash.ts), so TYPE, OBJECT
// ENCODING and every Z* command work on it.
//
// GEOADD encodes the positions and runs ZADD (it is propagated, notified and
// counted as that ZADD, as Redis does). The searches scan the score ranges
// of the 9 geohash boxes around the centre, keep the points inside the
// circle or box, then sort (glibc's qsort, a stable merge sort, or Redis's
// partial quicksort when COUNT cuts the result) and reply or store.

import type { Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { ObjType } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { ERR_SYNTAX, ERR_NOT_FLOAT, getIntArg, isArg, lookupReadOfType } from './util.js';
import { parseScore, zaddGeneric, buildZset } from './zsets.js';
import type { ZSet } from '../types/zset.js';
import { Dict } from '../types/dict.js';
import {
  type GeoShape,
  type Search,
  areasByShape,
  boxRange,
  boxScores,
  centreDistance,
  decodeScore,
  decoded,
  distance,
  encodeScore,
  encodedScoreText,
  formatCoordinate,
  formatDistance,
  formatFixed,
  geohashString,
  newSearch,
  newShape,
  sameBox,
  searchBoxes,
  shapeTolerance,
  validLongLat,
  withinShape,
} from '../types/geohash.js';

const ERR_UNIT = 'ERR unsupported unit provided. please use M, KM, FT, MI';
const ERR_MEMBER = 'ERR could not decode requested zset member';

// ---------------------------------------------------------------------------
// Argument helpers

/** The longitude and latitude parseLongLat() parsed (a typed array: no number allocated per write). */
const parsedPos = new Float64Array(2);

/** 10^0 .. 10^15, exact doubles. */
const POW10: number[] = [];
for (let k = 0, x = 1; k <= 15; k++, x *= 10) POW10.push(x);

/**
 * getDoubleFromObject (parseScore), with a fast path for plain decimals of
 * at most 15 digits ("13.361389", "-0.5"): the digits as an integer divided
 * by a power of ten, both exact, so the division rounds as strtod does.
 */
function parseCoordinate(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 17) return parseScore(s);
  let i = 0;
  let c = s.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i = 1;
  let v = 0;
  let digits = 0;
  let scale = 0;
  let dot = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (dot) scale++;
    } else if (c === 46 && !dot) dot = true;
    else return parseScore(s);
  }
  if (digits === 0 || digits > 15) return parseScore(s);
  if (scale > 0) v /= POW10[scale];
  return neg ? -v : v;
}

/** extractLongLatOrReply: two doubles within Redis's limits, into parsedPos. */
function parseLongLat(c: Client, argv: string[], i: number): boolean {
  const lon = parseCoordinate(argv[i]);
  if (lon === null) {
    c.reply.error(ERR_NOT_FLOAT);
    return false;
  }
  const lat = parseCoordinate(argv[i + 1]);
  if (lat === null) {
    c.reply.error(ERR_NOT_FLOAT);
    return false;
  }
  if (!validLongLat(lon, lat)) {
    c.reply.error(`ERR invalid longitude,latitude pair ${formatFixed(lon, 6)},${formatFixed(lat, 6)}`);
    return false;
  }
  parsedPos[0] = lon;
  parsedPos[1] = lat;
  return true;
}

/** extractUnitOrReply: meters per unit, or -1 after the error. */
function parseUnit(c: Client, s: string): number {
  switch (s.length <= 2 ? s.toLowerCase() : '') {
    case 'm':
      return 1;
    case 'km':
      return 1000;
    case 'ft':
      return 0.3048;
    case 'mi':
      return 1609.34;
  }
  c.reply.error(ERR_UNIT);
  return -1;
}

/** extractDistanceOrReply: radius and unit into the shape. */
function parseRadius(c: Client, argv: string[], i: number, shape: GeoShape): boolean {
  const r = parseScore(argv[i]);
  if (r === null) {
    c.reply.error('ERR need numeric radius');
    return false;
  }
  if (r < 0) {
    c.reply.error('ERR radius cannot be negative');
    return false;
  }
  shape.radius = r;
  const unit = parseUnit(c, argv[i + 1]);
  if (unit < 0) return false;
  shape.conversion = unit;
  return true;
}

/** extractBoxOrReply: width, height and unit into the shape. */
function parseBox(c: Client, argv: string[], i: number, shape: GeoShape): boolean {
  const w = parseScore(argv[i]);
  if (w === null) {
    c.reply.error('ERR need numeric width');
    return false;
  }
  const h = parseScore(argv[i + 1]);
  if (h === null) {
    c.reply.error('ERR need numeric height');
    return false;
  }
  if (h < 0 || w < 0) {
    c.reply.error('ERR height or width cannot be negative');
    return false;
  }
  shape.width = w;
  shape.height = h;
  const unit = parseUnit(c, argv[i + 2]);
  if (unit < 0) return false;
  shape.conversion = unit;
  return true;
}

/** A coordinate reply (addReplyHumanLongDouble): a bulk string in RESP2, a double in RESP3. */
function replyCoordinate(c: Client, d: number): void {
  const s = formatCoordinate(d);
  if (c.reply.resp === 3) c.reply.raw(',' + s + '\r\n');
  else c.reply.bulk(s);
}

function readGeo(c: Client, key: string): ZSet | undefined | null {
  const o = lookupReadOfType(c, key, ObjType.ZSet);
  return o == null ? o : (o.value as ZSet);
}

// ---------------------------------------------------------------------------
// GEOADD, GEOPOS, GEODIST, GEOHASH

/** GEOADD key [NX|XX] [CH] lon lat member ...: runs as ZADD key [options] score member ... */
function geoadd(c: Client, argv: string[]): void {
  let xx = false;
  let nx = false;
  let longIdx = 2;
  for (; longIdx < argv.length; longIdx++) {
    const opt = argv[longIdx];
    if (isArg(opt, 'NX')) nx = true;
    else if (isArg(opt, 'XX')) xx = true;
    else if (!isArg(opt, 'CH')) break; // CH is ZADD's business
  }
  if ((argv.length - longIdx) % 3 !== 0 || (xx && nx)) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const elements = (argv.length - longIdx) / 3;
  const zargv = new Array<string>(longIdx + elements * 2);
  const scores = new Array<number>(elements);
  zargv[0] = 'zadd';
  for (let i = 1; i < longIdx; i++) zargv[i] = argv[i];
  for (let i = 0; i < elements; i++) {
    const at = longIdx + i * 3;
    if (!parseLongLat(c, argv, at)) return;
    scores[i] = encodeScore(parsedPos[0], parsedPos[1]);
    zargv[longIdx + i * 2] = encodedScoreText();
    zargv[longIdx + i * 2 + 1] = argv[at + 2];
  }
  // Redis replaces the command with the ZADD (replaceClientCommandVector):
  // replicas and the AOF get the ZADD.
  c.propagateArgv = zargv;
  zaddGeneric(c, zargv, 0, scores);
}

function geopos(c: Client, argv: string[]): void {
  const z = readGeo(c, argv[1]);
  if (z === null) return;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z === undefined ? undefined : z.score(argv[j]);
    if (s === undefined) {
      c.reply.nullArray();
      continue;
    }
    decodeScore(s);
    c.reply.array(2);
    replyCoordinate(c, decoded[0]);
    replyCoordinate(c, decoded[1]);
  }
}

function geodist(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = parseUnit(c, argv[4]);
    if (toMeter < 0) return;
  } else if (argv.length > 5) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const z = readGeo(c, argv[1]);
  if (z === null) return;
  const s1 = z === undefined ? undefined : z.score(argv[2]);
  const s2 = z === undefined || s1 === undefined ? undefined : z.score(argv[3]);
  if (s2 === undefined) {
    c.reply.null();
    return;
  }
  decodeScore(s1!);
  const lon1 = decoded[0];
  const lat1 = decoded[1];
  decodeScore(s2);
  c.reply.bulk(formatDistance(distance(lon1, lat1, decoded[0], decoded[1]) / toMeter));
}

function geohash(c: Client, argv: string[]): void {
  const z = readGeo(c, argv[1]);
  if (z === null) return;
  c.reply.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z === undefined ? undefined : z.score(argv[j]);
    if (s === undefined) c.reply.null();
    else c.reply.bulk(geohashString(s));
  }
}

// ---------------------------------------------------------------------------
// The searches: GEORADIUS[_RO], GEORADIUSBYMEMBER[_RO], GEOSEARCH, GEOSEARCHSTORE

/** A point found inside the search area (geoPoint). */
export interface GeoPoint {
  lon: number;
  lat: number;
  /** The distance from the centre: Redis's, or within `tol` of it. */
  dist: number;
  tol: number;
  score: number;
  member: string;
}

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

// The state of one search, read by the box-scan visitor (no closure per call).
let found: GeoPoint[] = [];
let activeSearch: Search = newSearch(newShape());
let searchLimit = 0;

/** geoGetPointsInRange's step for one element: keeps it if inside; false to stop (ANY's limit reached). */
function visitPoint(member: string, score: number): boolean {
  decodeScore(score);
  const lon = decoded[0];
  const lat = decoded[1];
  const d = withinShape(activeSearch, lon, lat);
  if (d >= 0 || d !== d) found.push({ lon, lat, dist: d, tol: shapeTolerance[0], score, member });
  return !(found.length !== 0 && searchLimit !== 0 && found.length >= searchLimit);
}

/**
 * membersOfAllNeighbors: scans the boxes in order, skipping excluded ones
 * and a box equal to the one scanned just before (Redis compares with the
 * last scanned box only, never the first), stopping at ANY's limit.
 */
function scanBoxes(z: ZSet): void {
  let lastProcessed = 0;
  for (let i = 0; i < 9; i++) {
    const h = searchBoxes[i];
    if (h.zero) continue;
    if (lastProcessed !== 0 && sameBox(h, searchBoxes[lastProcessed])) continue;
    if (found.length !== 0 && searchLimit !== 0 && found.length >= searchLimit) break;
    boxScores(h);
    z.walkScoreRange(boxRange[0], boxRange[1], visitPoint);
    lastProcessed = i;
  }
}

/** sort_gp_asc: C's three-way comparison of distances (NaN compares below everything). */
export function cmpAsc(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

export function cmpDesc(a: GeoPoint, b: GeoPoint): number {
  return -cmpAsc(a, b);
}

type Cmp = (a: GeoPoint, b: GeoPoint) => number;

/**
 * glibc's qsort (msort_with_tmp): a top-down merge sort that splits at n/2
 * and takes from the left run on ties, so equal distances keep the scan order.
 */
export function mergeSort(a: GeoPoint[], cmp: Cmp): void {
  const tmp = new Array<GeoPoint>(a.length);
  mergeSortRange(a, tmp, 0, a.length, cmp);
}

function mergeSortRange(a: GeoPoint[], tmp: GeoPoint[], from: number, n: number, cmp: Cmp): void {
  if (n <= 1) return;
  const n1 = n >>> 1;
  const n2 = n - n1;
  mergeSortRange(a, tmp, from, n1, cmp);
  mergeSortRange(a, tmp, from + n1, n2, cmp);
  let i = from;
  let j = from + n1;
  const iEnd = j;
  const jEnd = from + n;
  let k = 0;
  while (i < iEnd && j < jEnd) tmp[k++] = cmp(a[i], a[j]) <= 0 ? a[i++] : a[j++];
  while (i < iEnd) tmp[k++] = a[i++];
  // What is left of the right run is already in place.
  for (let t = 0; t < k; t++) a[from + t] = tmp[t];
}

function swap(a: GeoPoint[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function vecswap(a: GeoPoint[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function med3(a: GeoPoint[], i: number, j: number, k: number, cmp: Cmp): number {
  return cmp(a[i], a[j]) < 0 ? (cmp(a[j], a[k]) < 0 ? j : cmp(a[i], a[k]) < 0 ? k : i) : cmp(a[j], a[k]) > 0 ? j : cmp(a[i], a[k]) < 0 ? i : k;
}

/**
 * Redis's pqsort (pqsort.c, Bentley-McIlroy quicksort from NetBSD): sorts
 * enough of a[base, base+n) that positions lrange..rrange hold what a full
 * sort would put there; parts of the array outside that range are left
 * unsorted. Mirrored step by step, since it decides the order of equal
 * distances.
 */
export function pqsort(a: GeoPoint[], base: number, n: number, cmp: Cmp, lrange: number, rrange: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = base + 1; pm < base + n; pm++) {
        for (let pl = pm; pl > base && cmp(a[pl - 1], a[pl]) > 0; pl--) swap(a, pl, pl - 1);
      }
      return;
    }
    let pm = base + (n >>> 1);
    if (n > 7) {
      let pl = base;
      let pn = base + n - 1;
      if (n > 40) {
        const d = n >>> 3;
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(a, pm - d, pm, pm + d, cmp);
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(a, pl, pm, pn, cmp);
    }
    swap(a, base, pm);
    let pa = base + 1;
    let pb = pa;
    let pc = base + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(a[pb], a[base])) <= 0) {
        if (r === 0) swap(a, pa++, pb);
        pb++;
      }
      while (pb <= pc && (r = cmp(a[pc], a[base])) >= 0) {
        if (r === 0) swap(a, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb++, pc--);
    }
    const pn = base + n;
    let r = Math.min(pa - base, pb - pa);
    vecswap(a, base, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(a, pb, pn - r, r);
    r = pb - pa;
    if (r > 1 && !outside(base, base + r - 1, lrange, rrange)) pqsort(a, base, r, cmp, lrange, rrange);
    r = pd - pc;
    if (r <= 1) return;
    // The right part: iterate rather than recurse.
    base = pn - r;
    n = r;
    if (outside(base, base + r - 1, lrange, rrange)) return;
  }
}

/** The wanted range lies wholly before or wholly after [lo, hi]. */
function outside(lo: number, hi: number, lrange: number, rrange: number): boolean {
  return (lrange < lo && rrange < lo) || (lrange > hi && rrange > hi);
}

/** georadiusGeneric: every search command, with Redis's argument and error order. */
function georadiusGeneric(c: Client, argv: string[], srcKeyIndex: number, flags: number): void {
  let storeKey: string | null = null;
  let storeDist = false;
  const z = readGeo(c, argv[srcKeyIndex]);
  if (z === null) return;

  const shape = newShape();
  let baseArgs: number;
  if ((flags & RADIUS_COORDS) !== 0) {
    baseArgs = 6;
    shape.circle = true;
    if (!parseLongLat(c, argv, 2)) return;
    shape.lon = parsedPos[0];
    shape.lat = parsedPos[1];
    if (!parseRadius(c, argv, baseArgs - 2, shape)) return;
  } else if ((flags & RADIUS_MEMBER) !== 0 && z === undefined) {
    // No source key: the options are still parsed, to reply as STORE would.
    baseArgs = 5;
  } else if ((flags & RADIUS_MEMBER) !== 0) {
    baseArgs = 5;
    shape.circle = true;
    const s = z!.score(argv[2]);
    if (s === undefined) {
      c.reply.error(ERR_MEMBER);
      return;
    }
    decodeScore(s);
    shape.lon = decoded[0];
    shape.lat = decoded[1];
    if (!parseRadius(c, argv, baseArgs - 2, shape)) return;
  } else {
    baseArgs = 2;
    if ((flags & GEOSEARCHSTORE) !== 0) {
      baseArgs = 3;
      storeKey = argv[1];
    }
  }

  let withDist = false;
  let withHash = false;
  let withCoords = false;
  let fromMember = false;
  let fromLoc = false;
  let byRadius = false;
  let byBox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  const search = (flags & GEOSEARCH) !== 0;
  const canStore = (flags & RADIUS_NOSTORE) === 0 && !search;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i];
    if (isArg(arg, 'WITHDIST')) withDist = true;
    else if (isArg(arg, 'WITHHASH')) withHash = true;
    else if (isArg(arg, 'WITHCOORD')) withCoords = true;
    else if (isArg(arg, 'ANY')) any = true;
    else if (isArg(arg, 'ASC')) sort = SORT_ASC;
    else if (isArg(arg, 'DESC')) sort = SORT_DESC;
    else if (isArg(arg, 'COUNT') && i + 1 < remaining) {
      const n = getIntArg(c, argv[baseArgs + i + 1]);
      if (n === null) return;
      if (n <= 0) {
        c.reply.error('ERR COUNT must be > 0');
        return;
      }
      count = n;
      i++;
    } else if (isArg(arg, 'STORE') && i + 1 < remaining && canStore) {
      storeKey = argv[baseArgs + i + 1];
      storeDist = false;
      i++;
    } else if (isArg(arg, 'STOREDIST') && i + 1 < remaining && canStore) {
      storeKey = argv[baseArgs + i + 1];
      storeDist = true;
      i++;
    } else if (isArg(arg, 'STOREDIST') && search && (flags & GEOSEARCHSTORE) !== 0) {
      storeDist = true;
    } else if (isArg(arg, 'FROMMEMBER') && i + 1 < remaining && search && !fromLoc) {
      // Without a source key, parsing goes on: the reply comes after it.
      if (z !== undefined) {
        const s = z.score(argv[baseArgs + i + 1]);
        if (s === undefined) {
          c.reply.error(ERR_MEMBER);
          return;
        }
        decodeScore(s);
        shape.lon = decoded[0];
        shape.lat = decoded[1];
      }
      fromMember = true;
      i++;
    } else if (isArg(arg, 'FROMLONLAT') && i + 2 < remaining && search && !fromMember) {
      if (!parseLongLat(c, argv, baseArgs + i + 1)) return;
      shape.lon = parsedPos[0];
      shape.lat = parsedPos[1];
      fromLoc = true;
      i += 2;
    } else if (isArg(arg, 'BYRADIUS') && i + 2 < remaining && search && !byBox) {
      if (!parseRadius(c, argv, baseArgs + i + 1, shape)) return;
      shape.circle = true;
      byRadius = true;
      i += 2;
    } else if (isArg(arg, 'BYBOX') && i + 3 < remaining && search && !byRadius) {
      if (!parseBox(c, argv, baseArgs + i + 1, shape)) return;
      shape.circle = false;
      byBox = true;
      i += 3;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }

  if (storeKey !== null && (withDist || withHash || withCoords)) {
    const what = (flags & GEOSEARCHSTORE) !== 0 ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    c.reply.error(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    return;
  }
  if (search && !(fromMember || fromLoc)) {
    c.reply.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
    return;
  }
  if (search && !(byRadius || byBox)) {
    c.reply.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
    return;
  }
  if (any && count === 0) {
    c.reply.error('ERR the ANY argument requires COUNT argument');
    return;
  }

  if (z === undefined) {
    if (storeKey !== null) {
      if (c.db.del(storeKey)) c.server.dirty++;
      c.reply.int(0);
    } else {
      c.reply.array(0);
    }
    return;
  }

  // COUNT without an order means the nearest ones (ANY excepted).
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  areasByShape(shape);
  found = [];
  activeSearch = newSearch(shape);
  searchLimit = any ? count : 0;
  scanBoxes(z);
  const points = found;
  found = [];
  // The scan's distances mostly come from Math's functions: stored ones, and
  // all of them when their order could depend on the last bits, are
  // computed again as Redis computes them (replied ones, where the 4
  // decimals could depend on it: see replyDistance).
  if (storeDist || (sort !== SORT_NONE && closeDistances(points))) {
    for (let i = 0; i < points.length; i++) exactDistance(points[i]);
  }

  if (points.length === 0 && storeKey === null) {
    c.reply.array(0);
    return;
  }
  const resultLength = points.length;
  const returned = count === 0 || resultLength < count ? resultLength : count;
  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? cmpAsc : cmpDesc;
    if (returned === resultLength) mergeSort(points, cmp);
    else pqsort(points, 0, resultLength, cmp, 0, returned - 1);
  }

  if (storeKey === null) {
    replyPoints(c, points, returned, shape.conversion, withDist, withHash, withCoords);
  } else {
    storePoints(c, storeKey, points, returned, shape.conversion, storeDist, search);
  }
}

/** Replaces a point's distance by Redis's. */
function exactDistance(p: GeoPoint): void {
  if (p.tol === 0) return;
  p.dist = centreDistance(activeSearch, p.lon, p.lat);
  p.tol = 0;
}

/** True when an order by distance could differ from Redis's: two distances closer than their uncertainty. */
function closeDistances(points: GeoPoint[]): boolean {
  const n = points.length;
  if (n < 2) return false;
  const ds = new Float64Array(n);
  let maxTol = 0;
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (p.dist !== p.dist) return true;
    ds[i] = p.dist;
    if (p.tol > maxTol) maxTol = p.tol;
  }
  if (maxTol === 0) return false;
  ds.sort();
  for (let i = 1; i < n; i++) if (ds[i] - ds[i - 1] <= 2 * maxTol) return true;
  return false;
}

/** A distance as replied (4 decimals): Redis's, unless the point's approximation prints the same for sure. */
function replyDistance(p: GeoPoint, conversion: number): string {
  if (p.tol !== 0) {
    const x = (p.dist / conversion) * 10000;
    const f = x - Math.floor(x);
    if (Math.abs(f - 0.5) <= ((2 * p.tol) / conversion) * 10000 + x * 1e-15) exactDistance(p);
  }
  return formatDistance(p.dist / conversion);
}

function replyPoints(c: Client, points: GeoPoint[], n: number, conversion: number, withDist: boolean, withHash: boolean, withCoords: boolean): void {
  const r = c.reply;
  const options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoords ? 1 : 0);
  r.array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (options !== 0) r.array(options + 1);
    r.bulk(p.member);
    if (withDist) r.bulk(replyDistance(p, conversion));
    if (withHash) r.int(scoreAsLongLong(p.score));
    if (withCoords) {
      r.array(2);
      replyCoordinate(c, p.lon);
      replyCoordinate(c, p.lat);
    }
  }
}

/** (long long)score, as addReplyLongLong gets it: truncated; out of range (or NaN) gives LLONG_MIN on x86-64. */
function scoreAsLongLong(s: number): number | bigint {
  if (!(s >= -9223372036854775808 && s < 9223372036854775808)) return -9223372036854775808n;
  const t = Math.trunc(s);
  return Number.isSafeInteger(t) ? t + 0 : BigInt(t);
}

/** The STORE / STOREDIST / GEOSEARCHSTORE result: a sorted set of the points (scores or distances), or the key deleted. */
function storePoints(c: Client, key: string, points: GeoPoint[], n: number, conversion: number, storeDist: boolean, search: boolean): void {
  if (n === 0) {
    if (c.db.del(key)) c.server.dirty++;
    c.reply.int(0);
    return;
  }
  const ms: string[] = [];
  const ss: number[] = [];
  let maxLen = 0;
  // A member found twice (two boxes that overlap) is stored once.
  const seen = new Dict<true>();
  for (let i = 0; i < n; i++) {
    const p = points[i];
    if (seen.has(p.member)) continue;
    seen.set(p.member, true);
    ms.push(p.member);
    ss.push(storeDist ? p.dist / conversion : p.score);
    if (p.member.length > maxLen) maxLen = p.member.length;
  }
  c.db.setKey(key, buildZset(c, ms, ss, maxLen));
  c.db.notify(Notify.ZSet, search ? 'geosearchstore' : 'georadiusstore', key);
  c.server.dirty += n;
  c.reply.int(n);
}

export const handlers: HandlerMap = {
  geoadd,
  geopos,
  geodist,
  geohash,
  georadius: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS),
  georadiusbymember: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER),
  georadius_ro: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE),
  georadiusbymember_ro: (c, argv) => georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
  geosearch: (c, argv) => georadiusGeneric(c, argv, 1, GEOSEARCH),
  geosearchstore: (c, argv) => georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE),
};
