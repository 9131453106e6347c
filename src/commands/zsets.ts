// Sorted set commands (Redis's t_zset.c): ZADD and friends, ranges by rank,
// score and lex, set operations (ZUNION/ZINTER/ZDIFF, inputs may be sets with
// score 1), pops, ZRANDMEMBER and ZSCAN. The blocking pops live at the end.
//
// Scores are replied with c.reply.double (Redis 7.2 formatting: shortest
// round-trip). Argument errors come before key lookups, in Redis's order.

import { Dict } from '../types/dict.js';
import { ClientFlag, type Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { parseDouble, parseInt64, strtod, formatDouble } from '../protocol/format.js';
import { ERR_SYNTAX, ERR_NOT_INT, ERR_NOT_FLOAT, ERR_WRONGTYPE, getIntArg, isArg, lookupReadOfType, lookupWriteOfType } from './util.js';
import { parseScanArgs, scanReply } from './sets.js';
import { globMatch } from '../util/glob.js';
import { getTimeoutArg, canBlock, blockForKeys } from '../server/blocking.js';
import { ZSet, type ScoreRange, type LexRange } from '../types/zset.js';
import { sampleIndices } from '../types/set.js';

// ---------------------------------------------------------------------------
// Helpers

const ERR_MINMAX_FLOAT = 'ERR min or max is not a float';
const ERR_MINMAX_LEX = 'ERR min or max not valid string range item';
const ERR_NAN = 'ERR resulting score is not a number (NaN)';
const ERR_POSITIVE = 'ERR value is out of range, must be positive';

/** zset-max-listpack-entries / -value. */
export function zsetMaxEntries(c: Client): number {
  return c.server.encoding.zsetEntries;
}
export function zsetMaxValue(c: Client): number {
  return c.server.encoding.zsetValue;
}

/** A new zset object in the encoding Redis picks for the expected size (zsetTypeCreate). */
export function createZsetObject(c: Client, sizeHint: number, valueLenHint: number): RObj {
  const z = new ZSet();
  if (sizeHint > zsetMaxEntries(c) || valueLenHint > zsetMaxValue(c)) {
    z.toSkiplist();
    return new RObj(ObjType.ZSet, Enc.Skiplist, z, 0);
  }
  return new RObj(ObjType.ZSet, Enc.Listpack, z, 0);
}

function toSkiplist(o: RObj): void {
  (o.value as ZSet).toSkiplist();
  o.enc = Enc.Skiplist;
}

/**
 * getDoubleFromObject: strtod over the whole string, no leading space, NaN
 * rejected, and overflow/underflow (ERANGE) rejected.
 */
export function parseScore(s: string): number | null {
  // Fast path: short plain integers ("0", "-12", "12345").
  const n = s.length;
  if (n > 0 && n < 16) {
    let i = s.charCodeAt(0) === 45 ? 1 : 0;
    if (i < n) {
      for (; i < n; i++) {
        const ch = s.charCodeAt(i);
        if (ch < 48 || ch > 57) break;
      }
      if (i === n) return +s;
    }
  }
  const v = parseDouble(s);
  if (v === null) return null;
  if (v === Infinity || v === -Infinity) {
    const l = s.toLowerCase();
    if (!l.includes('inf')) return null;
  } else if (v === 0) {
    // Underflow to zero: a mantissa with a nonzero digit.
    const l = s.toLowerCase();
    const isHex = l.includes('x');
    const mant = isHex ? l.replace(/p.*$/, '').replace(/^[+-]?0x/, '') : l.replace(/e.*$/, '');
    if (/[1-9a-f]/.test(isHex ? mant : mant.replace(/[^0-9]/g, ''))) return null;
  }
  return v;
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** strtod(s, &eptr) with eptr required at the end (zslParseRange's rule); null if invalid or NaN. */
function rangeStrtod(s: string): number | null {
  const n = s.length;
  if (n === 0) return 0;
  // Fast path: short plain integers ("0", "-12", "000000012345").
  if (n < 16) {
    let i = s.charCodeAt(0) === 45 ? 1 : 0;
    if (i < n) {
      for (; i < n; i++) {
        const ch = s.charCodeAt(i);
        if (ch < 48 || ch > 57) break;
      }
      if (i === n) return +s;
    }
  }
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  if (i === s.length) return null;
  const v = strtod(i === 0 ? s : s.slice(i));
  if (v === null || Number.isNaN(v)) return null;
  return v;
}

/** zslParseRange: "(1.5", "2", "-inf", "+inf". Null when invalid. */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const r: ScoreRange = { min: 0, max: 0, minex: false, maxex: false };
  let v: number | null;
  if (min.charCodeAt(0) === 40) {
    v = rangeStrtod(min.slice(1));
    r.minex = true;
  } else v = rangeStrtod(min);
  if (v === null) return null;
  r.min = v;
  if (max.charCodeAt(0) === 40) {
    v = rangeStrtod(max.slice(1));
    r.maxex = true;
  } else v = rangeStrtod(max);
  if (v === null) return null;
  r.max = v;
  return r;
}

/** zslParseLexRange: "[a", "(b", "-", "+". Null when invalid. */
export function parseLexRange(min: string, max: string): LexRange | null {
  const r: LexRange = { min: '', max: '', minex: false, maxex: false, minKind: 0, maxKind: 0 };
  const a = parseLexItem(min);
  if (a === null) return null;
  const b = parseLexItem(max);
  if (b === null) return null;
  r.minKind = a[0];
  r.minex = a[1];
  r.min = a[2];
  r.maxKind = b[0];
  r.maxex = b[1];
  r.max = b[2];
  return r;
}

function parseLexItem(s: string): [0 | 1 | 2, boolean, string] | null {
  switch (s.charCodeAt(0)) {
    case 43: // '+'
      return s.length === 1 ? [2, false, ''] : null;
    case 45: // '-'
      return s.length === 1 ? [1, false, ''] : null;
    case 40: // '('
      return [0, true, s.slice(1)];
    case 91: // '['
      return [0, false, s.slice(1)];
    default:
      return null;
  }
}

/** Reads a zset key: the zset, undefined when missing, null after a WRONGTYPE reply. */
function readZset(c: Client, key: string): ZSet | undefined | null {
  const o = lookupReadOfType(c, key, ObjType.ZSet);
  return o == null ? o : (o.value as ZSet);
}

/** Signals a change and deletes the key if the zset became empty. Returns true if deleted. */
function afterRemoval(c: Client, key: string, z: ZSet, event: string): boolean {
  c.db.notify(Notify.ZSet, event, key);
  let deleted = false;
  if (z.empty) {
    c.db.remove(key);
    c.db.notify(Notify.Generic, 'del', key);
    deleted = true;
  }
  c.db.modified(key);
  return deleted;
}

/** Replies member/score pairs: flat in RESP2, [member, score] pairs in RESP3 when withScores. */
function replyPairs(c: Client, ms: string[], ss: number[] | null): void {
  const r = c.reply;
  const n = ms.length;
  if (ss === null) {
    r.array(n);
    for (let i = 0; i < n; i++) r.bulk(ms[i]);
    return;
  }
  if (r.resp === 2) {
    r.array(n * 2);
    for (let i = 0; i < n; i++) {
      r.bulk(ms[i]);
      r.double(ss[i]);
    }
  } else {
    r.array(n);
    for (let i = 0; i < n; i++) {
      r.array(2);
      r.bulk(ms[i]);
      r.double(ss[i]);
    }
  }
}

/**
 * Adds a member to a zset object that does not hold it, converting to the
 * skiplist first when the listpack limits would be exceeded (zsetAdd).
 */
function addNew(c: Client, o: RObj, z: ZSet, m: string, s: number): void {
  if (z.lp && (z.size + 1 > zsetMaxEntries(c) || m.length > zsetMaxValue(c))) toSkiplist(o);
  z.insert(m, s);
}

/** Builds a zset object from unsorted pairs, in the encoding Redis would leave it in after *STORE. */
export function buildZset(c: Client, ms: string[], ss: number[], maxLen: number): RObj {
  const n = ms.length;
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => (ss[a] < ss[b] ? -1 : ss[a] > ss[b] ? 1 : ms[a] < ms[b] ? -1 : ms[a] > ms[b] ? 1 : 0));
  const sortedM = new Array<string>(n);
  const sortedS = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    sortedM[i] = ms[idx[i]];
    sortedS[i] = ss[idx[i]];
  }
  if (n <= zsetMaxEntries(c) && maxLen <= zsetMaxValue(c)) return new RObj(ObjType.ZSet, Enc.Listpack, ZSet.fromSorted(sortedM, sortedS), 0);
  return new RObj(ObjType.ZSet, Enc.Skiplist, ZSet.fromSortedBig(sortedM, sortedS), 0);
}

/** Stores a *STORE result (or deletes the destination when empty) and replies its size. */
function storeResult(c: Client, dst: string, o: RObj | null, count: number, event: string): void {
  if (o !== null && count > 0) {
    c.db.setKey(dst, o);
    c.reply.int(count);
    c.db.notify(Notify.ZSet, event, dst);
    c.server.dirty++;
  } else {
    c.reply.int(0);
    if (c.db.del(dst)) c.server.dirty++;
  }
}

// ---------------------------------------------------------------------------
// ZADD / ZINCRBY

const ZADD_NX = 1;
const ZADD_XX = 2;
const ZADD_GT = 4;
const ZADD_LT = 8;
const ZADD_CH = 16;
const ZADD_INCR = 32;

const OUT_NAN = 0;
const OUT_ADDED = 1;
const OUT_UPDATED = 2;
const OUT_NOP = 4;
const OUT_SAME = 8;
/** The score after the last zsetAdd (for INCR replies). */
let newScore = 0;

/** Redis's zsetAdd on an existing key. Returns an OUT_* code. */
function zsetAdd(c: Client, o: RObj, z: ZSet, s: number, m: string, flags: number): number {
  const cur = z.score(m);
  if (cur !== undefined) {
    if ((flags & ZADD_NX) !== 0) return OUT_NOP;
    if ((flags & ZADD_INCR) !== 0) {
      s += cur;
      if (Number.isNaN(s)) return OUT_NAN;
    }
    if (((flags & ZADD_LT) !== 0 && s >= cur) || ((flags & ZADD_GT) !== 0 && s <= cur)) return OUT_NOP;
    newScore = s;
    if (s !== cur) {
      z.update(m, s, cur);
      return OUT_UPDATED;
    }
    return OUT_SAME;
  }
  if ((flags & ZADD_XX) !== 0) return OUT_NOP;
  addNew(c, o, z, m, s);
  newScore = s;
  return OUT_ADDED;
}

/** Members from which a ZADD into a listpack is staged in a skiplist. */
const ZADD_STAGE_MIN = 8;

/** Ends a staged ZADD: back to the listpack form if Redis's would still be one. */
function unstage(c: Client, o: RObj, z: ZSet): void {
  if (z.size <= zsetMaxEntries(c) && z.maxMemberLength() <= zsetMaxValue(c)) z.toListpack();
  else o.enc = Enc.Skiplist;
}

/** ZADD and ZINCRBY; `parsed`: the scores already parsed (GEOADD's), so their texts are not read again. */
export function zaddGeneric(c: Client, argv: string[], flags: number, parsed: number[] | null = null): void {
  const key = argv[1];
  let i = 2;
  for (; i < argv.length; i++) {
    const a = argv[i];
    // Options are words: a score (a digit, sign or dot first) ends them at once.
    const c0 = a.charCodeAt(0) | 0x20;
    if (!(c0 >= 97 && c0 <= 122)) break;
    if (isArg(a, 'NX')) flags |= ZADD_NX;
    else if (isArg(a, 'XX')) flags |= ZADD_XX;
    else if (isArg(a, 'CH')) flags |= ZADD_CH;
    else if (isArg(a, 'INCR')) flags |= ZADD_INCR;
    else if (isArg(a, 'GT')) flags |= ZADD_GT;
    else if (isArg(a, 'LT')) flags |= ZADD_LT;
    else break;
  }
  const incr = (flags & ZADD_INCR) !== 0;
  const nx = (flags & ZADD_NX) !== 0;
  const xx = (flags & ZADD_XX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  let elements = argv.length - i;
  if (elements % 2 !== 0 || elements === 0) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  elements /= 2;
  if (nx && xx) {
    c.reply.error('ERR XX and NX options at the same time are not compatible');
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.reply.error('ERR GT, LT, and/or NX options at the same time are not compatible');
    return;
  }
  if (incr && elements > 1) {
    c.reply.error('ERR INCR option supports a single increment-element pair');
    return;
  }
  const scoreIdx = i;
  let scores: number[] | null = null;
  let single = 0;
  if (parsed !== null) {
    if (elements === 1) single = parsed[0];
    else scores = parsed;
  } else if (elements === 1) {
    const v = parseScore(argv[scoreIdx]);
    if (v === null) {
      c.reply.error(ERR_NOT_FLOAT);
      return;
    }
    single = v;
  } else {
    scores = new Array<number>(elements);
    for (let j = 0; j < elements; j++) {
      const v = parseScore(argv[scoreIdx + j * 2]);
      if (v === null) {
        c.reply.error(ERR_NOT_FLOAT);
        return;
      }
      scores[j] = v;
    }
  }
  let o = c.db.lookupWrite(key);
  if (o !== undefined && o.type !== ObjType.ZSet) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (o === undefined) {
    if (xx) {
      if (incr) c.reply.null();
      else c.reply.int(0);
      return;
    }
    o = createZsetObject(c, elements, argv[scoreIdx + 1].length);
    c.db.add(key, o);
  } else if (o.enc === Enc.Listpack && elements > zsetMaxEntries(c)) {
    toSkiplist(o);
  }
  const z = o.value as ZSet;
  // Many members into a listpack: each insert would copy the packed string,
  // so they go into a skiplist (O(log N) each) that is packed again at the
  // end, unless Redis would have converted on the way (a ZADD only grows
  // the set's size and its longest member, so the end state tells).
  const staged = elements >= ZADD_STAGE_MIN && o.enc === Enc.Listpack;
  if (staged) z.toSkiplist();
  for (let j = 0; j < elements; j++) {
    const s = scores === null ? single : scores[j];
    const r = zsetAdd(c, o, z, s, argv[scoreIdx + j * 2 + 1], flags);
    if (r === OUT_NAN) {
      if (staged) unstage(c, o, z);
      c.reply.error(ERR_NAN);
      if (added + updated > 0) {
        c.db.modified(key);
        c.db.notify(Notify.ZSet, incr ? 'zincr' : 'zadd', key);
      }
      c.server.dirty += added + updated;
      return;
    }
    if (r === OUT_ADDED) added++;
    else if (r === OUT_UPDATED) updated++;
    if (r !== OUT_NOP) {
      processed++;
      score = newScore;
    }
  }
  if (staged) unstage(c, o, z);
  if (incr) {
    if (processed) c.reply.double(score);
    else c.reply.null();
  } else {
    c.reply.int((flags & ZADD_CH) !== 0 ? added + updated : added);
  }
  if (added + updated > 0) {
    c.db.modified(key);
    c.db.notify(Notify.ZSet, incr ? 'zincr' : 'zadd', key);
    c.server.dirty += added + updated;
  }
}

function zadd(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, 0);
}

function zincrby(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, ZADD_INCR);
}

// ---------------------------------------------------------------------------
// Simple reads and ZREM

function zrem(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = c.db.lookupWrite(key);
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  if (o.type !== ObjType.ZSet) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const z = o.value as ZSet;
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (z.remove(argv[i])) {
      deleted++;
      if (z.empty) break;
    }
  }
  if (deleted > 0) {
    afterRemoval(c, key, z, 'zrem');
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

function zcard(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.int(z === undefined ? 0 : z.size);
}

function zscore(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  const s = z === undefined ? undefined : z.score(argv[2]);
  if (s === undefined) c.reply.null();
  else c.reply.double(s);
}

function zmscore(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  if (z === null) return;
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const s = z === undefined ? undefined : z.score(argv[i]);
    if (s === undefined) c.reply.null();
    else c.reply.double(s);
  }
}

function zrankGeneric(c: Client, argv: string[], rev: boolean): void {
  if (argv.length > 4) {
    c.reply.error(`ERR wrong number of arguments for '${rev ? 'zrevrank' : 'zrank'}' command`);
    return;
  }
  let withScore = false;
  if (argv.length === 4) {
    if (isArg(argv[3], 'WITHSCORE')) withScore = true;
    else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  const rank = z === undefined ? -1 : z.rank(argv[2]);
  if (rank < 0) {
    if (withScore) c.reply.nullArray();
    else c.reply.null();
    return;
  }
  const r = rev ? z!.size - 1 - rank : rank;
  if (withScore) {
    c.reply.array(2);
    c.reply.int(r);
    c.reply.double(z!.score(argv[2])!);
  } else c.reply.int(r);
}

function zcount(c: Client, argv: string[]): void {
  const r = parseScoreRange(argv[2], argv[3]);
  if (r === null) {
    c.reply.error(ERR_MINMAX_FLOAT);
    return;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  if (z === undefined) {
    c.reply.int(0);
    return;
  }
  const rr = z.scoreRangeRanks(r);
  c.reply.int(rr === null ? 0 : rr[1] - rr[0] + 1);
}

function zlexcount(c: Client, argv: string[]): void {
  const r = parseLexRange(argv[2], argv[3]);
  if (r === null) {
    c.reply.error(ERR_MINMAX_LEX);
    return;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  if (z === undefined) {
    c.reply.int(0);
    return;
  }
  c.reply.int(z.lexCount(r));
}

// ---------------------------------------------------------------------------
// Ranges: ZRANGE and its legacy forms, ZRANGESTORE

const RANGE_AUTO = 0;
const RANGE_RANK = 1;
const RANGE_SCORE = 2;
const RANGE_LEX = 3;
const DIR_AUTO = 0;
const DIR_FWD = 1;
const DIR_REV = 2;

/**
 * Collects the members (and scores) of a rank, score or lex range; LIMIT
 * offset/count as Redis applies them (a negative offset yields nothing, a
 * negative count means all).
 */
function collectRange(
  z: ZSet,
  type: number,
  rev: boolean,
  start: number,
  end: number,
  sr: ScoreRange | null,
  lr: LexRange | null,
  offset: number,
  limit: number,
  outM: string[],
  outS: number[] | null,
): void {
  const len = z.size;
  if (type === RANGE_RANK) {
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (start > end || start >= len) return;
    if (end >= len) end = len - 1;
    z.slice(start, end, rev, outM, outS);
    return;
  }
  if (offset > 0 && offset >= len) return;
  if (offset < 0) return;
  if (type === RANGE_LEX) {
    z.lexCollect(lr!, rev, offset, limit, outM, outS);
    return;
  }
  z.scoreCollect(sr!, rev, offset, limit, outM, outS);
}

function zrangeGeneric(c: Client, argv: string[], argStart: number, store: boolean, rangeType: number, dir: number): void {
  const key = argv[argStart];
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (!store && isArg(a, 'WITHSCORES')) withScores = true;
    else if (left >= 2 && isArg(a, 'LIMIT')) {
      const o = getIntArg(c, argv[j + 1]);
      if (o === null) return;
      const l = getIntArg(c, argv[j + 2]);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (dir === DIR_AUTO && isArg(a, 'REV')) dir = DIR_REV;
    else if (rangeType === RANGE_AUTO && isArg(a, 'BYLEX')) rangeType = RANGE_LEX;
    else if (rangeType === RANGE_AUTO && isArg(a, 'BYSCORE')) rangeType = RANGE_SCORE;
    else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if (dir === DIR_AUTO) dir = DIR_FWD;
  if (rangeType === RANGE_AUTO) rangeType = RANGE_RANK;
  if (limit !== -1 && rangeType === RANGE_RANK) {
    c.reply.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    return;
  }
  if (withScores && rangeType === RANGE_LEX) {
    c.reply.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    return;
  }
  const rev = dir === DIR_REV;
  if (rev && rangeType !== RANGE_RANK) {
    const t = maxIdx;
    maxIdx = minIdx;
    minIdx = t;
  }
  let start = 0;
  let end = 0;
  let sr: ScoreRange | null = null;
  let lr: LexRange | null = null;
  if (rangeType === RANGE_RANK) {
    const s = getIntArg(c, argv[minIdx]);
    if (s === null) return;
    const e = getIntArg(c, argv[maxIdx]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (rangeType === RANGE_SCORE) {
    sr = parseScoreRange(argv[minIdx], argv[maxIdx]);
    if (sr === null) {
      c.reply.error(ERR_MINMAX_FLOAT);
      return;
    }
  } else {
    lr = parseLexRange(argv[minIdx], argv[maxIdx]);
    if (lr === null) {
      c.reply.error(ERR_MINMAX_LEX);
      return;
    }
  }
  const o = c.db.lookupRead(key);
  if (o === undefined) {
    if (store) storeResult(c, argv[1], null, 0, 'zrangestore');
    else c.reply.array(0);
    return;
  }
  if (o.type !== ObjType.ZSet) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const z = o.value as ZSet;
  const ms: string[] = [];
  const ss: number[] | null = withScores || store ? [] : null;
  collectRange(z, rangeType, rev, start, end, sr, lr, offset, limit, ms, ss);
  if (store) {
    if (ms.length === 0) {
      storeResult(c, argv[1], null, 0, 'zrangestore');
      return;
    }
    let maxLen = 0;
    for (let i = 0; i < ms.length; i++) if (ms[i].length > maxLen) maxLen = ms[i].length;
    // By score or lex Redis does not know the result's size up front: the
    // destination starts as a listpack, which stores a -0 score as 0, and
    // becomes a skiplist (which keeps -0) at the first member past the
    // listpack limits, in the order the range emits them.
    if (rangeType !== RANGE_RANK) {
      const maxEntries = zsetMaxEntries(c);
      const maxValue = zsetMaxValue(c);
      for (let i = 0; i < ms.length && i < maxEntries && ms[i].length <= maxValue; i++) if (Object.is(ss![i], -0)) ss![i] = 0;
    }
    storeResult(c, argv[1], buildZset(c, ms, ss!, maxLen), ms.length, 'zrangestore');
    return;
  }
  replyPairs(c, ms, ss);
}

function zrange(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_AUTO, DIR_AUTO);
}
function zrangestore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 2, true, RANGE_AUTO, DIR_AUTO);
}
function zrevrange(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_RANK, DIR_REV);
}
function zrangebyscore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_SCORE, DIR_FWD);
}
function zrevrangebyscore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_SCORE, DIR_REV);
}
function zrangebylex(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_LEX, DIR_FWD);
}
function zrevrangebylex(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, false, RANGE_LEX, DIR_REV);
}

// ---------------------------------------------------------------------------
// ZREMRANGEBY*

function zremrangeGeneric(c: Client, argv: string[], type: number): void {
  const key = argv[1];
  let start = 0;
  let end = 0;
  let sr: ScoreRange | null = null;
  let lr: LexRange | null = null;
  if (type === RANGE_RANK) {
    const s = getIntArg(c, argv[2]);
    if (s === null) return;
    const e = getIntArg(c, argv[3]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (type === RANGE_SCORE) {
    sr = parseScoreRange(argv[2], argv[3]);
    if (sr === null) {
      c.reply.error(ERR_MINMAX_FLOAT);
      return;
    }
  } else {
    lr = parseLexRange(argv[2], argv[3]);
    if (lr === null) {
      c.reply.error(ERR_MINMAX_LEX);
      return;
    }
  }
  const o = c.db.lookupWrite(key);
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  if (o.type !== ObjType.ZSet) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const z = o.value as ZSet;
  const len = z.size;
  let first: number;
  let last: number;
  if (type === RANGE_RANK) {
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (start > end || start >= len) {
      c.reply.int(0);
      return;
    }
    if (end >= len) end = len - 1;
    first = start;
    last = end;
  } else if (type === RANGE_SCORE) {
    const rr = z.scoreRangeRanks(sr!);
    if (rr === null) {
      c.reply.int(0);
      return;
    }
    first = rr[0];
    last = rr[1];
  } else {
    first = last = -1;
  }
  const deleted = first < 0 ? z.lexRemove(lr!) : z.removeRange(first, last);
  if (deleted > 0) {
    afterRemoval(c, key, z, type === RANGE_RANK ? 'zremrangebyrank' : type === RANGE_SCORE ? 'zremrangebyscore' : 'zremrangebylex');
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

function zremrangebyrank(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_RANK);
}
function zremrangebyscore(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_SCORE);
}
function zremrangebylex(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, RANGE_LEX);
}

// ---------------------------------------------------------------------------
// Set operations: ZUNION, ZINTER, ZDIFF, their *STORE forms, ZINTERCARD

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;
const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

interface Src {
  obj: RObj | null;
  weight: number;
  size: number;
}

function srcHas(s: Src, m: string): number | undefined {
  const o = s.obj!;
  if (o.type === ObjType.ZSet) return (o.value as ZSet).score(m);
  const v = o.value as { has?(m: string): boolean };
  if (typeof v.has === 'function') return v.has(m) ? 1 : undefined;
  for (const x of o.value as Iterable<string>) if (x === m) return 1;
  return undefined;
}

/** Iterates a source's members with their scores (sets: score 1). */
function* srcEntries(s: Src): IterableIterator<[string, number]> {
  const o = s.obj!;
  if (o.type === ObjType.ZSet) {
    yield* (o.value as ZSet).reversed();
    return;
  }
  for (const m of o.value as Iterable<string>) yield [m, 1];
}

function aggregate(target: number, v: number, agg: number): number {
  if (agg === AGG_SUM) {
    const r = target + v;
    return Number.isNaN(r) ? 0 : r;
  }
  if (agg === AGG_MIN) return v < target ? v : target;
  return v > target ? v : target;
}

function zsetOpGeneric(c: Client, argv: string[], dst: string | null, numkeysIdx: number, op: number, cardinalityOnly: boolean): void {
  const cmdName = c.cmd !== null ? c.cmd.fullName : argv[0].toLowerCase();
  let setnum: number;
  {
    const n = getIntArg(c, argv[numkeysIdx]);
    if (n === null) return;
    if (n < 1) {
      c.reply.error(`ERR at least 1 input key is needed for '${cmdName}' command`);
      return;
    }
    if (n > argv.length - numkeysIdx - 1) {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    setnum = n;
  }
  const src: Src[] = new Array(setnum);
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const o = dst !== null ? c.db.lookupWrite(argv[j]) : c.db.lookupRead(argv[j]);
    if (o !== undefined) {
      if (o.type !== ObjType.ZSet && o.type !== ObjType.Set) {
        c.reply.error(ERR_WRONGTYPE);
        return;
      }
      src[i] = { obj: o, weight: 1, size: (o.value as { size: number }).size };
    } else src[i] = { obj: null, weight: 1, size: 0 };
  }
  let agg = AGG_SUM;
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const a = argv[j];
    if (op !== OP_DIFF && !cardinalityOnly && remaining >= setnum + 1 && isArg(a, 'WEIGHTS')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = parseScore(argv[j]);
        if (w === null) {
          c.reply.error('ERR weight value is not a float');
          return;
        }
        src[i].weight = w;
      }
    } else if (op !== OP_DIFF && !cardinalityOnly && remaining >= 2 && isArg(a, 'AGGREGATE')) {
      j++;
      remaining--;
      const v = argv[j];
      if (isArg(v, 'SUM')) agg = AGG_SUM;
      else if (isArg(v, 'MIN')) agg = AGG_MIN;
      else if (isArg(v, 'MAX')) agg = AGG_MAX;
      else {
        c.reply.error(ERR_SYNTAX);
        return;
      }
      j++;
      remaining--;
    } else if (remaining >= 1 && dst === null && !cardinalityOnly && isArg(a, 'WITHSCORES')) {
      j++;
      remaining--;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && isArg(a, 'LIMIT')) {
      j++;
      remaining--;
      const l = parseInt64(argv[j]);
      if (l === null) {
        c.reply.error('ERR LIMIT can\'t be negative');
        return;
      }
      if (l < 0) {
        c.reply.error('ERR LIMIT can\'t be negative');
        return;
      }
      limit = Number(l);
      j++;
      remaining--;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  // Smallest inputs first (a stable sort, like glibc's qsort on small arrays).
  const order = op !== OP_DIFF ? src.slice().sort((a, b) => a.size - b.size) : src;
  const ms: string[] = [];
  const ss: number[] = [];
  let maxLen = 0;
  if (op === OP_INTER) {
    const first = order[0];
    let card = 0;
    if (first.size > 0) {
      for (const [m, s0] of srcEntries(first)) {
        let score = first.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < setnum; k++) {
          const other = order[k];
          let v: number | undefined;
          if (other.obj === first.obj) v = s0;
          else v = srcHas(other, m);
          if (v === undefined) break;
          score = aggregate(score, v * other.weight, agg);
        }
        if (k === setnum) {
          if (cardinalityOnly) {
            card++;
            if (limit > 0 && card >= limit) break;
            continue;
          }
          ms.push(m);
          ss.push(score);
          if (m.length > maxLen) maxLen = m.length;
        }
      }
    }
    if (cardinalityOnly) {
      c.reply.int(card);
      return;
    }
  } else if (op === OP_UNION) {
    const acc = new Dict<number>();
    for (let i = 0; i < setnum; i++) {
      const s = order[i];
      if (s.size === 0) continue;
      for (const [m, s0] of srcEntries(s)) {
        let score = s.weight * s0;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        if (cur === undefined) {
          acc.set(m, score);
          if (m.length > maxLen) maxLen = m.length;
        } else acc.set(m, aggregate(cur, score, agg));
      }
    }
    for (const [m, s] of acc) {
      ms.push(m);
      ss.push(s);
    }
  } else {
    const first = src[0];
    if (first.size > 0) {
      for (const [m, s0] of srcEntries(first)) {
        let k = 1;
        for (; k < setnum; k++) {
          const other = src[k];
          if (other.obj === null || other.size === 0) continue;
          if (other.obj === first.obj || srcHas(other, m) !== undefined) break;
        }
        if (k === setnum) {
          ms.push(m);
          ss.push(s0);
          if (m.length > maxLen) maxLen = m.length;
        }
      }
    }
  }
  if (dst !== null) {
    const event = op === OP_UNION ? 'zunionstore' : op === OP_INTER ? 'zinterstore' : 'zdiffstore';
    if (ms.length === 0) storeResult(c, dst, null, 0, event);
    else storeResult(c, dst, buildZset(c, ms, ss, maxLen), ms.length, event);
    return;
  }
  // Reply in zset order.
  const n = ms.length;
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => (ss[a] < ss[b] ? -1 : ss[a] > ss[b] ? 1 : ms[a] < ms[b] ? -1 : ms[a] > ms[b] ? 1 : 0));
  const om: string[] = new Array(n);
  const os: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    om[i] = ms[idx[i]];
    os[i] = ss[idx[i]];
  }
  replyPairs(c, om, withScores ? os : null);
}

function zunionstore(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, argv[1], 2, OP_UNION, false);
}
function zinterstore(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, argv[1], 2, OP_INTER, false);
}
function zdiffstore(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, argv[1], 2, OP_DIFF, false);
}
function zunion(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, null, 1, OP_UNION, false);
}
function zinter(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, null, 1, OP_INTER, false);
}
function zdiff(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, null, 1, OP_DIFF, false);
}
function zintercard(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, null, 1, OP_INTER, true);
}

// ---------------------------------------------------------------------------
// Pops

const ZSET_MIN = 0;
const ZSET_MAX = 1;

/**
 * genericZpopCommand. count -1: a single pop (no COUNT). emitKey: reply
 * with the key (BZPOP*, ZMPOP). nested: [member, score] pairs.
 * Returns the key popped from, or null.
 */
export function zpopGeneric(
  c: Client,
  keys: string[],
  where: number,
  emitKey: boolean,
  count: number,
  nested: boolean,
  nilWhenEmpty: boolean,
): string | null {
  let o: RObj | undefined;
  let key = '';
  for (let i = 0; i < keys.length; i++) {
    key = keys[i];
    o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== ObjType.ZSet) {
      c.reply.error(ERR_WRONGTYPE);
      return null;
    }
    break;
  }
  if (o === undefined) {
    if (nilWhenEmpty) c.reply.nullArray();
    else c.reply.array(0);
    return null;
  }
  if (count === 0) {
    c.reply.array(0);
    return null;
  }
  if (count === -1) count = 1;
  const z = o.value as ZSet;
  const len = z.size;
  const n = count > len ? len : count;
  const r = c.reply;
  if (!nested && !emitKey) r.array(n * 2);
  else if (nested && !emitKey) r.array(n);
  else if (!nested && emitKey) {
    r.array(n * 2 + 1);
    r.bulk(key);
  } else {
    r.array(2);
    r.bulk(key);
    r.array(n);
  }
  const ms: string[] = [];
  const ss: number[] = [];
  z.slice(0, n - 1, where === ZSET_MAX, ms, ss);
  if (where === ZSET_MAX) z.removeRange(len - n, len - 1);
  else z.removeRange(0, n - 1);
  c.server.dirty += n;
  c.db.notify(Notify.ZSet, where === ZSET_MAX ? 'zpopmax' : 'zpopmin', key);
  for (let i = 0; i < n; i++) {
    if (nested) r.array(2);
    r.bulk(ms[i]);
    r.double(ss[i]);
  }
  if (z.empty) {
    c.db.remove(key);
    c.db.notify(Notify.Generic, 'del', key);
  }
  c.db.modified(key);
  return key;
}

function zpopMinMax(c: Client, argv: string[], where: number): void {
  if (argv.length > 3) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const v = parseInt64(argv[2]);
    if (v === null || v < 0) {
      c.reply.error(ERR_POSITIVE);
      return;
    }
    count = Number(v);
  }
  zpopGeneric(c, [argv[1]], where, false, count, c.reply.resp > 2 && count !== -1, false);
}

function zpopmin(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, ZSET_MIN);
}
function zpopmax(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, ZSET_MAX);
}

/** Parses ZMPOP/BZMPOP arguments from numkeysIdx; null after an error reply. */
export function parseZmpop(c: Client, argv: string[], numkeysIdx: number): { keys: string[]; where: number; count: number } | null {
  const nk = parseInt64(argv[numkeysIdx]);
  if (nk === null || nk < 1) {
    c.reply.error('ERR numkeys should be greater than 0');
    return null;
  }
  const numkeys = Number(nk);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) {
    c.reply.error(ERR_SYNTAX);
    return null;
  }
  let where: number;
  if (isArg(argv[whereIdx], 'MIN')) where = ZSET_MIN;
  else if (isArg(argv[whereIdx], 'MAX')) where = ZSET_MAX;
  else {
    c.reply.error(ERR_SYNTAX);
    return null;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && more > 0 && isArg(argv[j], 'COUNT')) {
      j++;
      const v = parseInt64(argv[j]);
      if (v === null || v < 1) {
        c.reply.error('ERR count should be greater than 0');
        return null;
      }
      count = Number(v);
    } else {
      c.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys), where, count };
}

function zmpop(c: Client, argv: string[]): void {
  const p = parseZmpop(c, argv, 1);
  if (p === null) return;
  const key = zpopGeneric(c, p.keys, p.where, true, p.count, true, true);
  if (key !== null) c.propagateArgv = [p.where === ZSET_MAX ? 'ZPOPMAX' : 'ZPOPMIN', key, String(p.count)];
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER

function randInt(n: number): number {
  return Math.floor(Math.random() * n);
}

function zrandmember(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const lv = parseInt64(argv[2]);
    if (lv === null) {
      c.reply.error(ERR_NOT_INT);
      return;
    }
    // LONG_MIN is outside [-LONG_MAX, LONG_MAX].
    if (typeof lv === 'bigint' && lv < -9223372036854775807n) {
      c.reply.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
      return;
    }
    let withScores = false;
    if (argv.length > 4 || (argv.length === 4 && !isArg(argv[3], 'WITHSCORES'))) {
      c.reply.error(ERR_SYNTAX);
      return;
    } else if (argv.length === 4) {
      withScores = true;
      if (lv < -4611686018427387903n || lv > 4611686018427387903n) {
        c.reply.error('ERR value is out of range');
        return;
      }
    }
    zrandmemberWithCount(c, argv[1], lv, withScores);
    return;
  }
  const z = readZset(c, argv[1]);
  if (z === null) return;
  if (z === undefined) {
    c.reply.null();
    return;
  }
  c.reply.bulk(z.memberAt(randInt(z.size)));
}

function zrandmemberWithCount(c: Client, key: string, lv: number | bigint, withScores: boolean): void {
  const z = readZset(c, key);
  if (z === null) return;
  if (z === undefined || lv === 0 || lv === 0n) {
    c.reply.array(0);
    return;
  }
  const r = c.reply;
  const size = z.size;
  const uniq = lv > 0;
  const count = uniq ? lv : -lv;
  const emit = (m: string, s: number): void => {
    if (withScores && r.resp > 2) r.array(2);
    r.bulk(m);
    if (withScores) r.double(s);
  };
  if (!uniq || count === 1 || count === 1n) {
    const n = Number(count);
    r.array(withScores && r.resp === 2 ? n * 2 : n);
    // A client cut off by its output limit (a huge negative count) stops here, as in Redis.
    for (let i = 0; i < n && (c.flags & ClientFlag.CloseAsap) === 0; i++) {
      const k = randInt(size);
      emit(z.memberAt(k), z.scoreAt(k));
    }
    return;
  }
  if (count >= size) {
    // The whole set, walked from the end like Redis's zset iterator.
    r.array(withScores && r.resp === 2 ? size * 2 : size);
    for (const [m, s] of z.reversed()) emit(m, s);
    return;
  }
  const n = Number(count);
  // n distinct ranks, in random order (a typed array: no cap on n).
  const picked = sampleIndices(size, n, false);
  r.array(withScores && r.resp === 2 ? n * 2 : n);
  for (const k of picked) emit(z.memberAt(k), z.scoreAt(k));
}

// ---------------------------------------------------------------------------
// ZSCAN

/** printf("%.17g") (ZSCAN prints skiplist scores as %.17Lg of the double, which is the same text). */
export function format17g(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const e = d.toExponential(16); // 17 significant digits
  const ePos = e.indexOf('e');
  let mant = e.slice(0, ePos);
  const exp = parseInt(e.slice(ePos + 1), 10);
  if (exp < -4 || exp >= 17) {
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const sign = exp < 0 ? '-' : '+';
    const ae = Math.abs(exp);
    return mant + 'e' + sign + (ae < 10 ? '0' + ae : String(ae));
  }
  let s = d.toFixed(Math.max(0, 16 - exp));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

function zscan(c: Client, argv: string[]): void {
  const opts = parseScanArgs(c, argv, ObjType.ZSet);
  if (opts === null) return;
  const { obj: o, cursor, count, pattern } = opts;
  const z = o.value as ZSet;
  const matchAll = pattern === null;
  const out: string[] = [];
  let next = 0;
  if (z.lp) {
    // Compact encoding: everything at once; scores as the listpack holds them.
    const ms: string[] = [];
    const ss: number[] = [];
    z.slice(0, z.size - 1, false, ms, ss);
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i];
      if (!matchAll && !globMatch(pattern!, m)) continue;
      out.push(m, formatLpScore(ss[i]));
    }
  } else {
    const it = c.server.scanCursors.resume(cursor, z, () => z.dictMembers());
    let done = false;
    for (let k = 0; k < count; k++) {
      const r = it.next();
      if (r.done) {
        done = true;
        break;
      }
      const m = r.value;
      if (!matchAll && !globMatch(pattern!, m)) continue;
      out.push(m, format17g(z.score(m)!));
    }
    if (!done) next = c.server.scanCursors.suspend(z, it);
  }
  scanReply(c, next, out);
}

/** A listpack score as its stored text: an integer, or the shortest double form. */
function formatLpScore(s: number): string {
  return formatDouble(s === 0 ? 0 : s);
}

// ---------------------------------------------------------------------------
// Blocking pops: BZPOPMIN, BZPOPMAX, BZMPOP

/**
 * blockingGenericZpopCommand: pops from the first non-empty zset among keys
 * (propagated as ZPOPMIN/ZPOPMAX), or blocks until one is ready. When
 * served after blocking, the command runs again from the top (the blocking
 * module re-executes it).
 */
function blockingZpop(c: Client, keys: string[], where: number, timeoutArg: string, count: number, nested: boolean, nilWhenEmpty: boolean): void {
  const deadline = getTimeoutArg(c, timeoutArg);
  if (deadline === null) return;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== ObjType.ZSet) {
      c.reply.error(ERR_WRONGTYPE);
      return;
    }
    if ((o.value as ZSet).empty) continue;
    zpopGeneric(c, [key], where, true, count, nested, nilWhenEmpty);
    const name = where === ZSET_MAX ? 'ZPOPMAX' : 'ZPOPMIN';
    c.propagateArgv = count === -1 ? [name, key] : [name, key, String(count > 0 ? count : 1)];
    return;
  }
  if (!canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  blockForKeys(c, keys, deadline, 'nullArray');
}

function bzpopmin(c: Client, argv: string[]): void {
  blockingZpop(c, argv.slice(1, argv.length - 1), ZSET_MIN, argv[argv.length - 1], -1, false, false);
}

function bzpopmax(c: Client, argv: string[]): void {
  blockingZpop(c, argv.slice(1, argv.length - 1), ZSET_MAX, argv[argv.length - 1], -1, false, false);
}

function bzmpop(c: Client, argv: string[]): void {
  const p = parseZmpop(c, argv, 2);
  if (p === null) return;
  blockingZpop(c, p.keys, p.where, argv[1], p.count, true, true);
}

// ---------------------------------------------------------------------------

export const handlers: HandlerMap = {
  zadd,
  zincrby,
  zrem,
  zcard,
  zscore,
  zmscore,
  zrank: (c, argv) => zrankGeneric(c, argv, false),
  zrevrank: (c, argv) => zrankGeneric(c, argv, true),
  zcount,
  zlexcount,
  zrange,
  zrangestore,
  zrevrange,
  zrangebyscore,
  zrevrangebyscore,
  zrangebylex,
  zrevrangebylex,
  zremrangebyrank,
  zremrangebyscore,
  zremrangebylex,
  zunionstore,
  zinterstore,
  zdiffstore,
  zunion,
  zinter,
  zdiff,
  zintercard,
  zpopmin,
  zpopmax,
  zmpop,
  zrandmember,
  zscan,
  bzpopmin,
  bzpopmax,
  bzmpop,
};
