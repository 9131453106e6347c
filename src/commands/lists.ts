// List commands (Redis t_list.c): LPUSH ... BLMPOP.
//
// Values are ListValue (src/types/list.ts). Encoding conversions follow Redis
// 7.2: a listpack is checked before growing (with the raw lengths of the new
// elements), a quicklist after shrinking (pops, LREM, LTRIM, LSET).
// Blocking variants use src/server/blocking.ts: when they cannot be served
// they block, and are re-executed when a key they wait on becomes ready.

import type { HandlerMap } from './types.js';
import type { Client } from '../server/client.js';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { ListValue } from '../types/list.js';
import { ERR_WRONGTYPE, ERR_SYNTAX, ERR_NOT_INT, ERR_NO_SUCH_KEY, ERR_OUT_OF_RANGE, isArg, lookupReadOfType, lookupWriteOfType } from './util.js';
import { parseInt64 } from '../protocol/format.js';
import { getTimeoutArg, canBlock, blockForKeys } from '../server/blocking.js';

const ERR_POSITIVE = 'ERR value is out of range, must be positive';
const ERR_RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";

const HEAD = 0;
const TAIL = 1;

/** list-max-listpack-size. */
function fill(c: Client): number {
  return c.server.encoding.listFill;
}

/** A long argument: replies ERR_NOT_INT (or msg) and returns null if invalid. */
function longArg(c: Client, s: string, msg = ERR_NOT_INT): number | null {
  const v = parseInt64(s);
  if (v === null) {
    c.reply.error(msg);
    return null;
  }
  return typeof v === 'bigint' ? Number(v) : v;
}

/** getPositiveLongFromObjectOrReply: a non-negative long; replies msg for anything else. */
function positiveArg(c: Client, s: string, msg: string): number | null {
  const v = parseInt64(s);
  if (v === null || v < 0) {
    c.reply.error(msg);
    return null;
  }
  return typeof v === 'bigint' ? Number(v) : v;
}

/** LEFT/RIGHT -> HEAD/TAIL; replies a syntax error otherwise. */
function positionArg(c: Client, s: string): number | null {
  if (isArg(s, 'LEFT')) return HEAD;
  if (isArg(s, 'RIGHT')) return TAIL;
  c.reply.error(ERR_SYNTAX);
  return null;
}

/** Replies elements [start, end] (normalized, valid) head to tail, or tail to head when reverse. */
function replyRange(c: Client, l: ListValue, start: number, end: number, reverse: boolean): void {
  const r = c.reply;
  r.array(end - start + 1);
  if (reverse) for (let i = end; i >= start; i--) r.bulk(l.get(i));
  else for (let i = start; i <= end; i++) r.bulk(l.get(i));
}

/** After elements were popped: notification, delete if empty or shrink conversion, modified, dirty (listElementsRemoved). */
function elementsRemoved(c: Client, key: string, where: number, o: RObj, count: number): void {
  const db = c.db;
  db.notify(Notify.List, where === HEAD ? 'lpop' : 'rpop', key);
  const l = o.value as ListValue;
  if (l.size === 0) {
    db.del(key);
  } else {
    l.shrinkCheck(fill(c));
    o.enc = l.enc;
    db.modified(key);
  }
  c.server.dirty += count;
}

/** Pops up to count elements, replying [key, [elements]] (listPopRangeAndReplyWithKey). */
function popRangeWithKey(c: Client, o: RObj, key: string, where: number, count: number): number {
  const l = o.value as ListValue;
  const n = count > l.size ? l.size : count;
  const r = c.reply;
  r.array(2);
  r.bulk(key);
  if (where === HEAD) replyRange(c, l, 0, n - 1, false);
  else replyRange(c, l, l.size - n, l.size - 1, true);
  popN(l, where, n);
  elementsRemoved(c, key, where, o, n);
  return n;
}

// --- push ----------------------------------------------------------------

function pushGeneric(c: Client, argv: string[], where: number, xx: boolean): void {
  const key = argv[1];
  const db = c.db;
  let o = db.lookupWrite(key);
  const f = fill(c);
  let created = false;
  if (o === undefined) {
    if (xx) {
      c.reply.int(0);
      return;
    }
    o = new RObj(ObjType.List, Enc.Listpack, new ListValue(), 0);
    created = true;
  } else if (o.type !== ObjType.List) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const l = o.value as ListValue;
  const n = argv.length;
  if (l.enc === Enc.Listpack) {
    let add = 0;
    for (let i = 2; i < n; i++) add += argv[i].length;
    l.growCheck(f, add, n - 2);
  }
  if (where === HEAD) for (let i = 2; i < n; i++) l.pushHead(argv[i], f);
  else for (let i = 2; i < n; i++) l.pushTail(argv[i], f);
  o.enc = l.enc;
  c.reply.int(l.size);
  if (created) db.add(key, o);
  else db.ready(key);
  db.modified(key);
  db.notify(Notify.List, where === HEAD ? 'lpush' : 'rpush', key);
  c.server.dirty += n - 2;
}

function lpush(c: Client, argv: string[]): void {
  pushGeneric(c, argv, HEAD, false);
}
function rpush(c: Client, argv: string[]): void {
  pushGeneric(c, argv, TAIL, false);
}
function lpushx(c: Client, argv: string[]): void {
  pushGeneric(c, argv, HEAD, true);
}
function rpushx(c: Client, argv: string[]): void {
  pushGeneric(c, argv, TAIL, true);
}

// --- pop -----------------------------------------------------------------

function popGeneric(c: Client, argv: string[], where: number): void {
  const hasCount = argv.length === 3;
  if (argv.length > 3) {
    c.reply.error(`ERR wrong number of arguments for '${c.cmd!.fullName}' command`);
    return;
  }
  let count = 0;
  if (hasCount) {
    const v = positiveArg(c, argv[2], ERR_POSITIVE);
    if (v === null) return;
    count = v;
  }
  const key = argv[1];
  const o = lookupWriteOfType(c, key, ObjType.List);
  if (o === null) return;
  if (o === undefined) {
    if (hasCount) c.reply.nullArray();
    else c.reply.null();
    return;
  }
  if (hasCount && count === 0) {
    c.reply.array(0);
    return;
  }
  const l = o.value as ListValue;
  if (!hasCount) {
    c.reply.bulk(where === HEAD ? l.popHead()! : l.popTail()!);
    elementsRemoved(c, key, where, o, 1);
    return;
  }
  const n = count > l.size ? l.size : count;
  if (where === HEAD) replyRange(c, l, 0, n - 1, false);
  else replyRange(c, l, l.size - n, l.size - 1, true);
  popN(l, where, n);
  elementsRemoved(c, key, where, o, n);
}

function popN(l: ListValue, where: number, n: number): void {
  if (where === HEAD) for (let i = 0; i < n; i++) l.popHead();
  else for (let i = 0; i < n; i++) l.popTail();
}

function lpop(c: Client, argv: string[]): void {
  popGeneric(c, argv, HEAD);
}
function rpop(c: Client, argv: string[]): void {
  popGeneric(c, argv, TAIL);
}

// --- read ----------------------------------------------------------------

function llen(c: Client, argv: string[]): void {
  const o = lookupReadOfType(c, argv[1], ObjType.List);
  if (o === null) return;
  c.reply.int(o === undefined ? 0 : (o.value as ListValue).size);
}

function lrange(c: Client, argv: string[]): void {
  let start = longArg(c, argv[2]);
  if (start === null) return;
  let end = longArg(c, argv[3]);
  if (end === null) return;
  const o = lookupReadOfType(c, argv[1], ObjType.List);
  if (o === null) return;
  if (o === undefined) {
    c.reply.array(0);
    return;
  }
  const l = o.value as ListValue;
  const len = l.size;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.reply.array(0);
    return;
  }
  if (end >= len) end = len - 1;
  replyRange(c, l, start, end, false);
}

function lindex(c: Client, argv: string[]): void {
  const o = lookupReadOfType(c, argv[1], ObjType.List);
  if (o === null) return;
  if (o === undefined) {
    c.reply.null();
    return;
  }
  let idx = longArg(c, argv[2]);
  if (idx === null) return;
  const l = o.value as ListValue;
  if (idx < 0) idx += l.size;
  if (idx < 0 || idx >= l.size) c.reply.null();
  else c.reply.bulk(l.get(idx));
}

function lpos(c: Client, argv: string[]): void {
  const ele = argv[2];
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const more = argv.length - 1 - j;
    if (more > 0 && isArg(opt, 'RANK')) {
      j++;
      const v = parseInt64(argv[j]);
      if (v === null) {
        c.reply.error(ERR_NOT_INT);
        return;
      }
      if (typeof v === 'bigint' && v < -9223372036854775807n) {
        c.reply.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
        return;
      }
      rank = Number(v);
      if (rank === 0) {
        c.reply.error(ERR_RANK_ZERO);
        return;
      }
    } else if (more > 0 && isArg(opt, 'COUNT')) {
      j++;
      const v = positiveArg(c, argv[j], "ERR COUNT can't be negative");
      if (v === null) return;
      count = v;
    } else if (more > 0 && isArg(opt, 'MAXLEN')) {
      j++;
      const v = positiveArg(c, argv[j], "ERR MAXLEN can't be negative");
      if (v === null) return;
      maxlen = v;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  let fromTail = false;
  if (rank < 0) {
    rank = -rank;
    fromTail = true;
  }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    if (count !== -1) c.reply.array(0);
    else c.reply.null();
    return;
  }
  if (o.type !== ObjType.List) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const l = o.value as ListValue;
  const len = l.size;
  const limit = maxlen === 0 || maxlen > len ? len : maxlen;
  let matches = 0;
  if (count === -1) {
    for (let k = 0; k < limit; k++) {
      const i = fromTail ? len - 1 - k : k;
      if (l.get(i) === ele && ++matches >= rank) {
        c.reply.int(i);
        return;
      }
    }
    c.reply.null();
    return;
  }
  const out: number[] = [];
  for (let k = 0; k < limit; k++) {
    const i = fromTail ? len - 1 - k : k;
    if (l.get(i) === ele && ++matches >= rank) {
      out.push(i);
      if (count !== 0 && matches - rank + 1 >= count) break;
    }
  }
  c.reply.array(out.length);
  for (let k = 0; k < out.length; k++) c.reply.int(out[k]);
}

// --- in-place changes ----------------------------------------------------

function lset(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = c.db.lookupWrite(key);
  if (o === undefined) {
    c.reply.error(ERR_NO_SUCH_KEY);
    return;
  }
  if (o.type !== ObjType.List) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  let idx = longArg(c, argv[2]);
  if (idx === null) return;
  const l = o.value as ListValue;
  const f = fill(c);
  const value = argv[3];
  l.growCheck(f, value.length, 1);
  o.enc = l.enc;
  if (idx < 0) idx += l.size;
  if (idx < 0 || idx >= l.size) {
    c.reply.error(ERR_OUT_OF_RANGE);
    return;
  }
  l.set(idx, value, f);
  c.reply.ok();
  c.db.modified(key);
  c.db.notify(Notify.List, 'lset', key);
  c.server.dirty++;
  l.shrinkCheck(f);
  o.enc = l.enc;
}

function linsert(c: Client, argv: string[]): void {
  let after: boolean;
  if (isArg(argv[2], 'AFTER')) after = true;
  else if (isArg(argv[2], 'BEFORE')) after = false;
  else {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const key = argv[1];
  const o = lookupWriteOfType(c, key, ObjType.List);
  if (o === null) return;
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  const l = o.value as ListValue;
  const f = fill(c);
  const value = argv[4];
  l.growCheck(f, value.length, 1);
  o.enc = l.enc;
  const i = l.indexOf(argv[3]);
  if (i < 0) {
    c.reply.int(-1);
    return;
  }
  l.insert(i, after, value, f);
  o.enc = l.enc;
  c.db.notify(Notify.List, 'linsert', key);
  c.db.modified(key);
  c.server.dirty++;
  c.reply.int(l.size);
}

function lrem(c: Client, argv: string[]): void {
  const toRemove = longArg(c, argv[2]);
  if (toRemove === null) return;
  const key = argv[1];
  const o = lookupWriteOfType(c, key, ObjType.List);
  if (o === null) return;
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  const l = o.value as ListValue;
  const ele = argv[3];
  const idx: number[] = [];
  const len = l.size;
  if (toRemove < 0) {
    const max = -toRemove;
    for (let i = len - 1; i >= 0 && idx.length < max; i--) if (l.get(i) === ele) idx.push(i);
    idx.reverse();
  } else {
    for (let i = 0; i < len; i++) {
      if (l.get(i) === ele) {
        idx.push(i);
        if (toRemove !== 0 && idx.length >= toRemove) break;
      }
    }
  }
  const removed = idx.length;
  l.removeIndexes(idx);
  if (removed) c.db.notify(Notify.List, 'lrem', key);
  if (l.size === 0) {
    c.db.del(key);
  } else if (removed) {
    l.shrinkCheck(fill(c));
    o.enc = l.enc;
  }
  c.reply.int(removed);
  if (removed) {
    c.db.modified(key);
    c.server.dirty += removed;
  }
}

function ltrim(c: Client, argv: string[]): void {
  let start = longArg(c, argv[2]);
  if (start === null) return;
  let end = longArg(c, argv[3]);
  if (end === null) return;
  const key = argv[1];
  const o = lookupWriteOfType(c, key, ObjType.List);
  if (o === null) return;
  if (o === undefined) {
    c.reply.ok();
    return;
  }
  const l = o.value as ListValue;
  const len = l.size;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  let ltrimN: number;
  let rtrimN: number;
  if (start > end || start >= len) {
    ltrimN = len;
    rtrimN = 0;
  } else {
    if (end >= len) end = len - 1;
    ltrimN = start;
    rtrimN = len - end - 1;
  }
  if (ltrimN === len) l.trim(len, len - 1);
  else l.trim(ltrimN, len - 1 - rtrimN);
  c.db.notify(Notify.List, 'ltrim', key);
  if (l.size === 0) {
    c.db.del(key);
  } else {
    l.shrinkCheck(fill(c));
    o.enc = l.enc;
  }
  c.db.modified(key);
  c.server.dirty += ltrimN + rtrimN;
  c.reply.ok();
}

// --- move ----------------------------------------------------------------

/** Pushes a moved element onto dst (creating it) and replies it (lmoveHandlePush). */
function moveHandlePush(c: Client, dstKey: string, dst: RObj | null, value: string, where: number): void {
  const f = fill(c);
  let created = false;
  if (dst === null) {
    dst = new RObj(ObjType.List, Enc.Listpack, new ListValue(), 0);
    created = true;
  }
  const l = dst.value as ListValue;
  l.growCheck(f, value.length, 1);
  if (where === HEAD) l.pushHead(value, f);
  else l.pushTail(value, f);
  dst.enc = l.enc;
  if (created) c.db.add(dstKey, dst);
  else c.db.ready(dstKey);
  c.db.modified(dstKey);
  c.db.notify(Notify.List, where === HEAD ? 'lpush' : 'rpush', dstKey);
  c.reply.bulk(value);
}

/** LMOVE's work once positions are parsed; returns false when the source is missing (null replied). */
function moveGeneric(c: Client, src: string, dstKey: string, from: number, to: number): void {
  const so = lookupWriteOfType(c, src, ObjType.List);
  if (so === null) return;
  if (so === undefined) {
    c.reply.null();
    return;
  }
  const sl = so.value as ListValue;
  if (sl.size === 0) {
    c.reply.null();
    return;
  }
  const dobj = c.db.lookupWrite(dstKey);
  if (dobj !== undefined && dobj.type !== ObjType.List) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const value = from === HEAD ? sl.popHead()! : sl.popTail()!;
  moveHandlePush(c, dstKey, dobj ?? null, value, to);
  // The source converts back to listpack when it shrank enough (Redis 7.2 lmoveGenericCommand).
  elementsRemoved(c, src, from, so, 1);
}

function lmove(c: Client, argv: string[]): void {
  const from = positionArg(c, argv[3]);
  if (from === null) return;
  const to = positionArg(c, argv[4]);
  if (to === null) return;
  moveGeneric(c, argv[1], argv[2], from, to);
}

function rpoplpush(c: Client, argv: string[]): void {
  moveGeneric(c, argv[1], argv[2], TAIL, HEAD);
}

function blmoveGeneric(c: Client, argv: string[], from: number, to: number, deadline: number, rewrite: string[]): void {
  const src = argv[1];
  const so = lookupWriteOfType(c, src, ObjType.List);
  if (so === null) return;
  if (so === undefined) {
    if (!canBlock(c)) c.reply.null();
    else blockForKeys(c, [src], deadline, 'nullArray');
    return;
  }
  const dirty = c.server.dirty;
  moveGeneric(c, src, argv[2], from, to);
  if (c.server.dirty !== dirty) c.propagateArgv = rewrite;
}

function blmove(c: Client, argv: string[]): void {
  const from = positionArg(c, argv[3]);
  if (from === null) return;
  const to = positionArg(c, argv[4]);
  if (to === null) return;
  const deadline = getTimeoutArg(c, argv[5]);
  if (deadline === null) return;
  blmoveGeneric(c, argv, from, to, deadline, ['LMOVE', argv[1], argv[2], argv[3], argv[4]]);
}

function brpoplpush(c: Client, argv: string[]): void {
  const deadline = getTimeoutArg(c, argv[3]);
  if (deadline === null) return;
  blmoveGeneric(c, argv, TAIL, HEAD, deadline, ['RPOPLPUSH', argv[1], argv[2]]);
}

// --- multi-key pops --------------------------------------------------------

/**
 * Pops from the first non-empty list among keys. count === -1: one element,
 * replied as [key, element] (BLPOP); otherwise [key, [elements]] (LMPOP).
 * Returns false when every list is missing (nothing replied), true otherwise.
 */
function popFirstNonEmpty(c: Client, keys: string[], from: number, to: number, where: number, count: number): boolean {
  for (let j = from; j < to; j++) {
    const key = keys[j];
    const o = c.db.lookupWrite(key);
    if (o === undefined) continue;
    if (o.type !== ObjType.List) {
      c.reply.error(ERR_WRONGTYPE);
      return true;
    }
    const l = o.value as ListValue;
    const len = l.size;
    if (len === 0) continue;
    const op = where === HEAD ? 'LPOP' : 'RPOP';
    if (count !== -1) {
      popRangeWithKey(c, o, key, where, count);
      c.propagateArgv = [op, key, String(count > len ? len : count)];
      return true;
    }
    const r = c.reply;
    r.array(2);
    r.bulk(key);
    r.bulk(where === HEAD ? l.popHead()! : l.popTail()!);
    elementsRemoved(c, key, where, o, 1);
    c.propagateArgv = [op, key];
    return true;
  }
  return false;
}

function bpopGeneric(c: Client, argv: string[], where: number): void {
  const deadline = getTimeoutArg(c, argv[argv.length - 1]);
  if (deadline === null) return;
  if (popFirstNonEmpty(c, argv, 1, argv.length - 1, where, -1)) return;
  if (!canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  blockForKeys(c, argv.slice(1, argv.length - 1), deadline, 'nullArray');
}

function blpop(c: Client, argv: string[]): void {
  bpopGeneric(c, argv, HEAD);
}
function brpop(c: Client, argv: string[]): void {
  bpopGeneric(c, argv, TAIL);
}

/** LMPOP numkeys key... LEFT|RIGHT [COUNT n] (numkeysIdx 1) and BLMPOP timeout numkeys ... (numkeysIdx 2). */
function mpopGeneric(c: Client, argv: string[], numkeysIdx: number, block: boolean): void {
  const nk = parseInt64(argv[numkeysIdx]);
  if (nk === null || nk < 1) {
    c.reply.error('ERR numkeys should be greater than 0');
    return;
  }
  const numkeys = Number(nk);
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const where = positionArg(c, argv[whereIdx]);
  if (where === null) return;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && more > 0 && isArg(argv[j], 'COUNT')) {
      j++;
      const v = parseInt64(argv[j]);
      if (v === null || v < 1) {
        c.reply.error('ERR count should be greater than 0');
        return;
      }
      count = Number(v);
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if (count === -1) count = 1;
  let deadline = 0;
  if (block) {
    const d = getTimeoutArg(c, argv[1]);
    if (d === null) return;
    deadline = d;
  }
  const first = numkeysIdx + 1;
  if (popFirstNonEmpty(c, argv, first, first + numkeys, where, count)) return;
  if (!block || !canBlock(c)) {
    c.reply.nullArray();
    return;
  }
  blockForKeys(c, argv.slice(first, first + numkeys), deadline, 'nullArray');
}

function lmpop(c: Client, argv: string[]): void {
  mpopGeneric(c, argv, 1, false);
}
function blmpop(c: Client, argv: string[]): void {
  mpopGeneric(c, argv, 2, true);
}

export const handlers: HandlerMap = {
  lpush,
  rpush,
  lpushx,
  rpushx,
  lpop,
  rpop,
  llen,
  lrange,
  lindex,
  lpos,
  lset,
  linsert,
  lrem,
  ltrim,
  lmove,
  rpoplpush,
  lmpop,
  blpop,
  brpop,
  blmove,
  brpoplpush,
  blmpop,
};
