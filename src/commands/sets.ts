// Set commands (Redis's t_set.c). The value is a SetValue (src/types/set.ts);
// encodings follow Redis 7.2: intset, listpack, hashtable with the set-max-*
// thresholds. Also the SCAN-family helpers shared with HSCAN.

import type { HandlerMap } from './types.js';
import { ClientFlag, type Client } from '../server/client.js';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { parseCursor } from '../db/scan.js';
import { SetValue, sampleIndices, type SetLimits } from '../types/set.js';
import { ERR_WRONGTYPE, ERR_SYNTAX, ERR_NOT_INT, isArg, lookupReadOfType, lookupWriteOfType } from './util.js';
import { parseInt64 } from '../protocol/format.js';
import { globMatch } from '../util/glob.js';

/** The current encoding thresholds (CONFIG SET applies to later conversions). */
function limits(c: Client): SetLimits {
  return c.server.encoding.set;
}

const LONG_MAX = 9223372036854775807n;
const ERR_RANGE_LONG = 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807';

/** lookupRead with a type check: undefined when missing, null after replying WRONGTYPE. */
function lookupRead(c: Client, key: string): RObj | undefined | null {
  return lookupReadOfType(c, key, ObjType.Set);
}

function lookupWrite(c: Client, key: string): RObj | undefined | null {
  return lookupWriteOfType(c, key, ObjType.Set);
}

function sadd(c: Client, argv: string[]): void {
  const key = argv[1];
  let o = lookupWrite(c, key);
  if (o === null) return;
  const l = limits(c);
  let s: SetValue;
  if (o === undefined) {
    s = SetValue.create(argv[2], argv.length - 2, l);
    o = new RObj(ObjType.Set, s.enc, s, 0);
    c.db.add(key, o);
  } else {
    s = o.value as SetValue;
    s.maybeConvert(argv.length - 2, l);
  }
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (s.add(argv[j], l)) added++;
  o.enc = s.enc;
  if (added > 0) {
    s.fit();
    c.db.modified(key);
    c.db.notify(Notify.Set, 'sadd', key);
    c.server.dirty += added;
  }
  c.reply.int(added);
}

function srem(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = lookupWrite(c, key);
  if (o === null) return;
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  const s = o.value as SetValue;
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (s.remove(argv[j])) {
      deleted++;
      if (s.size === 0) {
        c.db.remove(key);
        removed = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    c.db.modified(key);
    c.db.notify(Notify.Set, 'srem', key);
    if (removed) c.db.notify(Notify.Generic, 'del', key);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

function smove(c: Client, argv: string[]): void {
  const srcKey = argv[1];
  const dstKey = argv[2];
  const ele = argv[3];
  const src = c.db.lookupWrite(srcKey);
  let dst = c.db.lookupWrite(dstKey);
  if (src === undefined) {
    c.reply.int(0);
    return;
  }
  if (src.type !== ObjType.Set || (dst !== undefined && dst.type !== ObjType.Set)) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const ss = src.value as SetValue;
  if (src === dst) {
    c.reply.int(ss.has(ele) ? 1 : 0);
    return;
  }
  if (!ss.remove(ele)) {
    c.reply.int(0);
    return;
  }
  c.db.notify(Notify.Set, 'srem', srcKey);
  if (ss.size === 0) {
    c.db.remove(srcKey);
    c.db.notify(Notify.Generic, 'del', srcKey);
  }
  const l = limits(c);
  if (dst === undefined) {
    const ns = SetValue.create(ele, 1, l);
    dst = new RObj(ObjType.Set, ns.enc, ns, 0);
    c.db.add(dstKey, dst);
  }
  c.db.modified(srcKey);
  c.server.dirty++;
  const ds = dst.value as SetValue;
  if (ds.add(ele, l)) {
    dst.enc = ds.enc;
    c.server.dirty++;
    c.db.modified(dstKey);
    c.db.notify(Notify.Set, 'sadd', dstKey);
  }
  c.reply.int(1);
}

function sismember(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  c.reply.int(o !== undefined && (o.value as SetValue).has(argv[2]) ? 1 : 0);
}

function smismember(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  const r = c.reply;
  r.array(argv.length - 2);
  const s = o === undefined ? null : (o.value as SetValue);
  for (let j = 2; j < argv.length; j++) r.int(s !== null && s.has(argv[j]) ? 1 : 0);
}

function scard(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  c.reply.int(o === undefined ? 0 : (o.value as SetValue).size);
}

/** Replies a set (RESP3 `~`) of all members in the encoding's order. */
function replyMembers(c: Client, s: SetValue): void {
  const r = c.reply;
  const n = s.size;
  r.set(n);
  for (let i = 0; i < n; i++) r.bulk(s.at(i));
}

function smembers(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  if (o === undefined) c.reply.set(0);
  else replyMembers(c, o.value as SetValue);
}

function spop(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    spopWithCount(c, argv);
    return;
  }
  if (argv.length > 3) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const key = argv[1];
  const o = lookupWrite(c, key);
  if (o === null) return;
  if (o === undefined) {
    c.reply.null();
    return;
  }
  const s = o.value as SetValue;
  const m = s.popRandom();
  c.db.notify(Notify.Set, 'spop', key);
  c.propagateArgv = ['SREM', key, m];
  c.reply.bulk(m);
  if (s.size === 0) {
    c.db.remove(key);
    c.db.notify(Notify.Generic, 'del', key);
  }
  c.db.modified(key);
  c.server.dirty++;
}

/** SPOP_MOVE_STRATEGY_MUL in Redis. */
const SPOP_MOVE_MUL = 5;

function spopWithCount(c: Client, argv: string[]): void {
  const lv = parseInt64(argv[2]);
  if (lv === null || lv < 0) {
    c.reply.error('ERR value is out of range, must be positive');
    return;
  }
  const key = argv[1];
  const o = lookupWrite(c, key);
  if (o === null) return;
  const r = c.reply;
  if (o === undefined || lv === 0) {
    r.set(0);
    return;
  }
  const s = o.value as SetValue;
  const size = s.size;
  const count = typeof lv === 'bigint' || lv > size ? size : lv;
  c.db.notify(Notify.Set, 'spop', key);
  c.server.dirty += count;
  if (count >= size) {
    // The whole set: reply it and delete the key, propagated as DEL.
    replyMembers(c, s);
    c.db.remove(key);
    c.db.notify(Notify.Generic, 'del', key);
    c.propagateArgv = ['DEL', key];
    c.db.modified(key);
    c.server.dirty++;
    return;
  }
  const prop: string[] = ['SREM', key];
  r.set(count);
  const remaining = size - count;
  if (remaining * SPOP_MOVE_MUL > count) {
    for (let i = 0; i < count; i++) {
      const m = s.popRandom();
      r.bulk(m);
      prop.push(m);
    }
  } else {
    // Most of the set goes: pick the members that stay into a new set and
    // return the rest (the new set is built like Redis builds it).
    const keep = sampleIndices(size, remaining, false);
    const kept = new Uint8Array(size);
    const l = limits(c);
    const ns = new SetValue(s.enc === Enc.Intset ? Enc.Intset : Enc.Listpack);
    for (let k = 0; k < keep.length; k++) {
      kept[keep[k]] = 1;
      ns.add(s.at(keep[k]), l);
    }
    for (let i = 0; i < size; i++) {
      if (kept[i] === 1) continue;
      const m = s.at(i);
      r.bulk(m);
      prop.push(m);
    }
    o.value = ns;
  }
  o.enc = (o.value as SetValue).enc;
  c.propagateArgv = prop;
  c.db.modified(key);
}

function srandmember(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    srandmemberWithCount(c, argv);
    return;
  }
  if (argv.length > 3) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  if (o === undefined) c.reply.null();
  else c.reply.bulk((o.value as SetValue).random());
}

function srandmemberWithCount(c: Client, argv: string[]): void {
  const lv = parseInt64(argv[2]);
  if (lv === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  if (BigInt(lv) < -LONG_MAX) {
    c.reply.error(ERR_RANGE_LONG);
    return;
  }
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  const r = c.reply;
  if (o === undefined || lv === 0) {
    r.array(0);
    return;
  }
  const s = o.value as SetValue;
  const size = s.size;
  const uniq = lv > 0;
  let count = Number(uniq ? lv : -lv);
  if (!uniq || count === 1) {
    r.array(count);
    // A client cut off by its output limit (a huge negative count): stop here, as Redis does.
    while (count-- > 0 && (c.flags & ClientFlag.CloseAsap) === 0) r.bulk(s.random());
    return;
  }
  if (count >= size) {
    r.array(size);
    for (let i = 0; i < size; i++) r.bulk(s.at(i));
    return;
  }
  const picks = sampleIndices(size, count, s.enc !== Enc.Hashtable);
  r.array(count);
  for (let k = 0; k < picks.length; k++) r.bulk(s.at(picks[k]));
}

/**
 * Looks up the source sets of SINTER/SUNION/SDIFF and their STORE forms:
 * a missing key is null; replies WRONGTYPE and returns null for a wrong type.
 */
function lookupSources(c: Client, argv: string[], start: number, num: number): (SetValue | null)[] | null {
  const sets: (SetValue | null)[] = [];
  for (let j = 0; j < num; j++) {
    const o = c.db.lookupRead(argv[start + j]);
    if (o === undefined) {
      sets.push(null);
      continue;
    }
    if (o.type !== ObjType.Set) {
      c.reply.error(ERR_WRONGTYPE);
      return null;
    }
    sets.push(o.value as SetValue);
  }
  return sets;
}

/** Stores a *STORE result (deleting the destination when empty) and replies its size. */
function storeResult(c: Client, dstKey: string, dst: SetValue, event: string): void {
  if (dst.size > 0) {
    c.db.setKey(dstKey, new RObj(ObjType.Set, dst.enc, dst, 0));
    c.reply.int(dst.size);
    c.db.notify(Notify.Set, event, dstKey);
    c.server.dirty++;
  } else {
    c.reply.int(0);
    if (c.db.del(dstKey)) c.server.dirty++;
  }
}

function sinterGeneric(c: Client, argv: string[], start: number, num: number, dstKey: string | null, cardOnly: boolean, limit: number): void {
  const sets = lookupSources(c, argv, start, num);
  if (sets === null) return;
  const r = c.reply;
  if (sets.includes(null)) {
    if (dstKey !== null) {
      if (c.db.del(dstKey)) c.server.dirty++;
      r.int(0);
    } else if (cardOnly) {
      r.int(0);
    } else {
      r.set(0);
    }
    return;
  }
  const ss = sets as SetValue[];
  // Smallest first (stable, so equal sizes keep the argument order).
  ss.sort((x, y) => x.size - y.size);
  const first = ss[0];
  const l = limits(c);
  const dst = dstKey !== null ? new SetValue(first.enc === Enc.Intset ? Enc.Intset : Enc.Listpack) : null;
  const out: string[] | null = dstKey === null && !cardOnly ? [] : null;
  let card = 0;
  let onlyIntegers = true;
  const n = first.size;
  for (let i = 0; i < n; i++) {
    const m = first.at(i);
    let j = 1;
    for (; j < ss.length; j++) {
      if (ss[j] === first) continue;
      if (!ss[j].has(m)) break;
    }
    if (j !== ss.length) continue;
    if (cardOnly) {
      card++;
      if (limit !== 0 && card >= limit) break;
    } else if (out !== null) {
      out.push(m);
    } else {
      if (onlyIntegers && first.enc !== Enc.Intset && parseInt64(m) === null) onlyIntegers = false;
      dst!.add(m, l);
    }
  }
  if (cardOnly) {
    r.int(card);
  } else if (dst !== null) {
    if (dst.size > 0 && onlyIntegers) dst.toIntsetIfPossible(l);
    storeResult(c, dstKey!, dst, 'sinterstore');
  } else {
    r.set(out!.length);
    for (let i = 0; i < out!.length; i++) r.bulk(out![i]);
  }
}

function sinter(c: Client, argv: string[]): void {
  sinterGeneric(c, argv, 1, argv.length - 1, null, false, 0);
}

function sinterstore(c: Client, argv: string[]): void {
  sinterGeneric(c, argv, 2, argv.length - 2, argv[1], false, 0);
}

function sintercard(c: Client, argv: string[]): void {
  const nk = parseInt64(argv[1]);
  if (nk === null || nk < 1) {
    c.reply.error('ERR numkeys should be greater than 0');
    return;
  }
  if (nk > argv.length - 2) {
    c.reply.error("ERR Number of keys can't be greater than number of args");
    return;
  }
  const numkeys = Number(nk);
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (isArg(argv[j], 'LIMIT') && more > 0) {
      j++;
      const v = parseInt64(argv[j]);
      if (v === null || v < 0) {
        c.reply.error("ERR LIMIT can't be negative");
        return;
      }
      limit = Number(v);
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  sinterGeneric(c, argv, 2, numkeys, null, true, limit);
}

const UNION = 0;
const DIFF = 1;

function sunionDiffGeneric(c: Client, argv: string[], start: number, dstKey: string | null, op: number): void {
  const sets = lookupSources(c, argv, start, argv.length - start);
  if (sets === null) return;
  const num = sets.length;
  let sameSet = false;
  for (let j = 1; j < num; j++) if (sets[0] !== null && sets[j] === sets[0]) sameSet = true;
  let algo = 1;
  if (op === DIFF && sets[0] !== null && !sameSet) {
    let one = 0;
    let two = 0;
    for (let j = 0; j < num; j++) {
      const s = sets[j];
      if (s === null) continue;
      one += sets[0].size;
      two += s.size;
    }
    one = Math.floor(one / 2);
    algo = one <= two ? 1 : 2;
    if (algo === 1 && num > 1) {
      // Biggest sets first: duplicates are found sooner.
      const rest = sets.slice(1).sort((x, y) => (y === null ? 0 : y.size) - (x === null ? 0 : x.size));
      for (let j = 1; j < num; j++) sets[j] = rest[j - 1];
    }
  }
  const l = limits(c);
  const dst = new SetValue(Enc.Intset);
  if (op === UNION) {
    for (let j = 0; j < num; j++) {
      const s = sets[j];
      if (s === null) continue;
      for (let i = 0; i < s.size; i++) dst.add(s.at(i), l);
    }
  } else if (sameSet || sets[0] === null) {
    // Empty result.
  } else if (algo === 1) {
    const first = sets[0];
    for (let i = 0; i < first.size; i++) {
      const m = first.at(i);
      let j = 1;
      for (; j < num; j++) {
        const s = sets[j];
        if (s === null) continue;
        if (s === first || s.has(m)) break;
      }
      if (j === num) dst.add(m, l);
    }
  } else {
    for (let j = 0; j < num; j++) {
      const s = sets[j];
      if (s === null) continue;
      for (let i = 0; i < s.size; i++) {
        if (j === 0) dst.add(s.at(i), l);
        else dst.remove(s.at(i));
      }
      if (dst.size === 0) break;
    }
  }
  if (dstKey === null) replyMembers(c, dst);
  else storeResult(c, dstKey, dst, op === UNION ? 'sunionstore' : 'sdiffstore');
}

function sunion(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv, 1, null, UNION);
}

function sunionstore(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv, 2, argv[1], UNION);
}

function sdiff(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv, 1, null, DIFF);
}

function sdiffstore(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv, 2, argv[1], DIFF);
}

// ---- SCAN family helpers (SSCAN here, HSCAN in hashes.ts) ----

export interface ScanArgs {
  obj: RObj;
  cursor: number;
  count: number;
  /** null when every element matches (no MATCH, or MATCH *). */
  pattern: string | null;
}

/**
 * Parses `XSCAN key cursor [MATCH pattern] [COUNT count]` the way Redis does:
 * the cursor first, then the key (a missing key replies an empty scan), then
 * the options. Returns null after replying.
 */
export function parseScanArgs(c: Client, argv: string[], type: ObjType): ScanArgs | null {
  const cursor = parseCursor(argv[2]);
  if (cursor === null) {
    c.reply.error('ERR invalid cursor');
    return null;
  }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    scanReply(c, 0, []);
    return null;
  }
  if (o.type !== type) {
    c.reply.error(ERR_WRONGTYPE);
    return null;
  }
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length; ) {
    const left = argv.length - i;
    if (isArg(argv[i], 'COUNT') && left >= 2) {
      const v = parseInt64(argv[i + 1]);
      if (v === null) {
        c.reply.error(ERR_NOT_INT);
        return null;
      }
      if (v < 1) {
        c.reply.error(ERR_SYNTAX);
        return null;
      }
      count = Number(v);
      i += 2;
    } else if (isArg(argv[i], 'MATCH') && left >= 2) {
      pattern = argv[i + 1] === '*' ? null : argv[i + 1];
      i += 2;
    } else {
      c.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  return { obj: o, cursor, count, pattern };
}

/** The SCAN reply: [cursor, [elements...]]. */
export function scanReply(c: Client, cursor: number, items: string[]): void {
  const r = c.reply;
  r.array(2);
  r.bulk(String(cursor));
  r.array(items.length);
  for (let i = 0; i < items.length; i++) r.bulk(items[i]);
}

function sscan(c: Client, argv: string[]): void {
  const opts = parseScanArgs(c, argv, ObjType.Set);
  if (opts === null) return;
  const s = opts.obj.value as SetValue;
  const pat = opts.pattern;
  const out: string[] = [];
  let cursor = 0;
  if (s.enc !== Enc.Hashtable) {
    // Compact encodings are returned whole, with cursor 0, like Redis.
    for (let i = 0; i < s.size; i++) {
      const m = s.at(i);
      if (pat === null || globMatch(pat, m)) out.push(m);
    }
  } else {
    const scans = c.server.scanCursors;
    const it = scans.resume(opts.cursor, s, () => s.scanIterator());
    const idx = s.idx!;
    let done = false;
    for (let n = 0; n < opts.count; n++) {
      const nx = it.next();
      if (nx.done) {
        done = true;
        break;
      }
      const m = nx.value;
      if (!idx.has(m)) continue;
      if (pat === null || globMatch(pat, m)) out.push(m);
    }
    if (!done) cursor = scans.suspend(s, it);
  }
  scanReply(c, cursor, out);
}

export const handlers: HandlerMap = {
  sadd,
  srem,
  smove,
  sismember,
  smismember,
  scard,
  smembers,
  spop,
  srandmember,
  sinter,
  sintercard,
  sinterstore,
  sunion,
  sunionstore,
  sdiff,
  sdiffstore,
  sscan,
};
