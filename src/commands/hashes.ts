// Hash commands (Redis's t_hash.c). The value is a HashValue (src/types/hash.ts);
// encodings follow hash-max-listpack-entries / hash-max-listpack-value.

import type { HandlerMap } from './types.js';
import { ClientFlag, type Client } from '../server/client.js';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { HashValue, type HashLimits } from '../types/hash.js';
import { sampleIndices } from '../types/set.js';
import { ERR_WRONGTYPE, ERR_SYNTAX, ERR_NOT_INT, ERR_NOT_FLOAT, ERR_OVERFLOW, getInt64Arg, isArg, lookupReadOfType, lookupWriteOfType } from './util.js';
import { parseInt64, INT64_MIN, INT64_MAX } from '../protocol/format.js';
import { parseLongDouble, incrByFloatText, LD_INF, LD_NAN, INCR_NAN_INF } from '../protocol/longdouble.js';
import { scanReply, parseScanArgs } from './sets.js';
import { globMatch } from '../util/glob.js';

/** The current encoding thresholds (CONFIG SET applies to later conversions). */
function limits(c: Client): HashLimits {
  return c.server.encoding.hash;
}

function syncEnc(o: RObj, h: HashValue): void {
  o.enc = h.enc;
}

/** Looks the hash up for writing, creating an empty one (Redis's hashTypeLookupWriteOrCreate). */
function lookupWriteOrCreate(c: Client, key: string): RObj | null {
  const o = c.db.lookupWrite(key);
  if (o === undefined) {
    const n = new RObj(ObjType.Hash, Enc.Listpack, new HashValue(), 0);
    c.db.add(key, n);
    return n;
  }
  if (o.type !== ObjType.Hash) {
    c.reply.error(ERR_WRONGTYPE);
    return null;
  }
  return o;
}

/** Looks the hash up for reading; replies WRONGTYPE and returns null on a wrong type. */
function lookupRead(c: Client, key: string): RObj | undefined | null {
  return lookupReadOfType(c, key, ObjType.Hash);
}

function hsetGeneric(c: Client, argv: string[], isHset: boolean): void {
  if ((argv.length & 1) === 1) {
    c.reply.error(`ERR wrong number of arguments for '${isHset ? 'hset' : 'hmset'}' command`);
    return;
  }
  const o = lookupWriteOrCreate(c, argv[1]);
  if (o === null) return;
  const h = o.value as HashValue;
  const l = limits(c);
  h.tryConversion(argv, 2, argv.length - 1, l);
  const created = h.setPairs(argv, 2, l);
  syncEnc(o, h);
  if (isHset) c.reply.int(created);
  else c.reply.ok();
  c.db.modified(argv[1]);
  c.db.notify(Notify.Hash, 'hset', argv[1]);
  c.server.dirty += (argv.length - 2) >> 1;
}

function hset(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, true);
}

function hmset(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, false);
}

function hsetnx(c: Client, argv: string[]): void {
  const o = lookupWriteOrCreate(c, argv[1]);
  if (o === null) return;
  const h = o.value as HashValue;
  if (h.has(argv[2])) {
    c.reply.int(0);
    return;
  }
  const l = limits(c);
  h.tryConversion(argv, 2, 3, l);
  h.set(argv[2], argv[3], l);
  syncEnc(o, h);
  c.reply.int(1);
  c.db.modified(argv[1]);
  c.db.notify(Notify.Hash, 'hset', argv[1]);
  c.server.dirty++;
}

function hget(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  if (o === undefined) {
    c.reply.null();
    return;
  }
  const v = (o.value as HashValue).get(argv[2]);
  c.reply.bulk(v === undefined ? null : v);
}

function hmget(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  const r = c.reply;
  r.array(argv.length - 2);
  if (o === undefined) {
    for (let i = 2; i < argv.length; i++) r.null();
    return;
  }
  const h = o.value as HashValue;
  for (let i = 2; i < argv.length; i++) {
    const v = h.get(argv[i]);
    r.bulk(v === undefined ? null : v);
  }
}

function hdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = lookupWriteExisting(c, key);
  if (o === null) return;
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  const h = o.value as HashValue;
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.length; i++) {
    if (h.delete(argv[i])) {
      deleted++;
      if (h.empty) {
        c.db.remove(key);
        removed = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    c.db.modified(key);
    c.db.notify(Notify.Hash, 'hdel', key);
    if (removed) c.db.notify(Notify.Generic, 'del', key);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

/** lookupWrite with a type check: undefined when missing, null after replying WRONGTYPE. */
function lookupWriteExisting(c: Client, key: string): RObj | undefined | null {
  return lookupWriteOfType(c, key, ObjType.Hash);
}

function hlen(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  c.reply.int(o === undefined ? 0 : (o.value as HashValue).size);
}

function hexists(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  c.reply.int(o !== undefined && (o.value as HashValue).has(argv[2]) ? 1 : 0);
}

function hstrlen(c: Client, argv: string[]): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  const v = o === undefined ? undefined : (o.value as HashValue).get(argv[2]);
  c.reply.int(v === undefined ? 0 : v.length);
}

const FIELDS = 1;
const VALUES = 2;

function getallGeneric(c: Client, argv: string[], what: number): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  const r = c.reply;
  if (o === undefined) {
    if (what === (FIELDS | VALUES)) r.map(0);
    else r.array(0);
    return;
  }
  const h = o.value as HashValue;
  const n = h.size;
  if (what === (FIELDS | VALUES)) {
    r.map(n);
    for (let i = 0; i < n; i++) {
      r.bulk(h.fieldAt(i));
      r.bulk(h.valueAt(i));
    }
  } else if (what === FIELDS) {
    r.array(n);
    for (let i = 0; i < n; i++) r.bulk(h.fieldAt(i));
  } else {
    r.array(n);
    for (let i = 0; i < n; i++) r.bulk(h.valueAt(i));
  }
}

function hgetall(c: Client, argv: string[]): void {
  getallGeneric(c, argv, FIELDS | VALUES);
}

function hkeys(c: Client, argv: string[]): void {
  getallGeneric(c, argv, FIELDS);
}

function hvals(c: Client, argv: string[]): void {
  getallGeneric(c, argv, VALUES);
}

function hincrby(c: Client, argv: string[]): void {
  const incr = getInt64Arg(c, argv[3]);
  if (incr === null) return;
  const o = lookupWriteOrCreate(c, argv[1]);
  if (o === null) return;
  const h = o.value as HashValue;
  const cur = h.get(argv[2]);
  let old: number | bigint = 0;
  if (cur !== undefined) {
    const p = parseInt64(cur);
    if (p === null) {
      c.reply.error('ERR hash value is not an integer');
      return;
    }
    old = p;
  }
  let result: number | bigint;
  if (typeof old === 'number' && typeof incr === 'number' && Number.isSafeInteger(old + incr)) {
    result = old + incr;
  } else {
    const b = BigInt(old) + BigInt(incr);
    if (b < INT64_MIN || b > INT64_MAX) {
      c.reply.error(ERR_OVERFLOW);
      return;
    }
    result = b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  h.set(argv[2], String(result), limits(c));
  syncEnc(o, h);
  c.reply.int(result);
  c.db.modified(argv[1]);
  c.db.notify(Notify.Hash, 'hincrby', argv[1]);
  c.server.dirty++;
}

function hincrbyfloat(c: Client, argv: string[]): void {
  // The increment is checked before the key, as in Redis.
  const incr = parseLongDouble(argv[3]);
  if (incr === null) {
    c.reply.error(ERR_NOT_FLOAT);
    return;
  }
  if (incr === LD_INF || incr === LD_NAN) {
    c.reply.error('ERR value is NaN or Infinity');
    return;
  }
  const o = lookupWriteOrCreate(c, argv[1]);
  if (o === null) return;
  const h = o.value as HashValue;
  const cur = h.get(argv[2]);
  // Long double arithmetic and formatting, exactly as Redis (src/protocol/longdouble.ts).
  const res = incrByFloatText(cur === undefined ? null : cur, argv[3]);
  if (typeof res === 'number') {
    c.reply.error(res === INCR_NAN_INF ? 'ERR increment would produce NaN or Infinity' : 'ERR hash value is not a float');
    return;
  }
  h.set(argv[2], res, limits(c));
  syncEnc(o, h);
  c.reply.bulk(res);
  c.db.modified(argv[1]);
  c.db.notify(Notify.Hash, 'hincrbyfloat', argv[1]);
  c.server.dirty++;
  // Always propagated as HSET with the final value, as Redis does.
  c.propagateArgv = ['HSET', argv[1], argv[2], res];
}

const LONG_MAX = 9223372036854775807n;

function hrandfield(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const lv = parseInt64(argv[2]);
    if (lv === null) {
      c.reply.error(ERR_NOT_INT);
      return;
    }
    if (BigInt(lv) < -LONG_MAX) {
      c.reply.error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
      return;
    }
    let withValues = false;
    if (argv.length > 4 || (argv.length === 4 && !isArg(argv[3], 'WITHVALUES'))) {
      c.reply.error(ERR_SYNTAX);
      return;
    } else if (argv.length === 4) {
      withValues = true;
      const b = BigInt(lv);
      if (b < -LONG_MAX / 2n || b > LONG_MAX / 2n) {
        c.reply.error('ERR value is out of range');
        return;
      }
    }
    hrandfieldWithCount(c, argv, Number(lv), withValues);
    return;
  }
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  if (o === undefined) {
    c.reply.null();
    return;
  }
  const h = o.value as HashValue;
  c.reply.bulk(h.fieldAt(h.randomPair()));
}

function hrandfieldWithCount(c: Client, argv: string[], l: number, withValues: boolean): void {
  const o = lookupRead(c, argv[1]);
  if (o === null) return;
  const r = c.reply;
  if (o === undefined || l === 0) {
    r.array(0);
    return;
  }
  const h = o.value as HashValue;
  const size = h.size;
  const resp3 = r.resp === 3;
  const uniq = l > 0;
  let count = uniq ? l : -l;
  // Repeats allowed (or a single field): independent uniform draws.
  if (!uniq || count === 1) {
    r.array(withValues && !resp3 ? count * 2 : count);
    if (h.enc === Enc.Listpack && count > 1) {
      randomPairsInOrder(c, h, size, count, withValues);
      return;
    }
    while (count-- > 0) {
      // A client cut off by its output limit (a huge negative count): stop here, as Redis does.
      if ((c.flags & ClientFlag.CloseAsap) !== 0) return;
      const i = Math.floor(Math.random() * size);
      if (withValues && resp3) r.array(2);
      r.bulk(h.fieldAt(i));
      if (withValues) r.bulk(h.valueAt(i));
    }
    return;
  }
  const n = count < size ? count : size;
  r.array(withValues && !resp3 ? n * 2 : n);
  if (count >= size) {
    for (let i = 0; i < size; i++) {
      if (withValues && resp3) r.array(2);
      r.bulk(h.fieldAt(i));
      if (withValues) r.bulk(h.valueAt(i));
    }
    return;
  }
  // A listpack's picks come sorted, so that reading them walks it once.
  const picks = sampleIndices(size, count, h.enc === Enc.Listpack);
  for (let k = 0; k < picks.length; k++) {
    const i = picks[k];
    if (withValues && resp3) r.array(2);
    r.bulk(h.fieldAt(i));
    if (withValues) r.bulk(h.valueAt(i));
  }
}

/**
 * `count` uniform draws with repeats from a listpack, replied in the order
 * drawn but read in position order a batch at a time, so that each batch
 * walks the listpack once (Redis's lpRandomPairs).
 */
function randomPairsInOrder(c: Client, h: HashValue, size: number, count: number, withValues: boolean): void {
  const r = c.reply;
  const resp3 = r.resp === 3;
  const B = count < 1000 ? count : 1000;
  // Sort keys pick * B + k: sorting them orders the draws by pick and keeps k.
  const keys = new Float64Array(B);
  const fs = new Array<string>(B);
  const vs = new Array<string>(withValues ? B : 0);
  while (count > 0 && (c.flags & ClientFlag.CloseAsap) === 0) {
    const b = count < B ? count : B;
    count -= b;
    const ks = b === B ? keys : keys.subarray(0, b);
    for (let k = 0; k < b; k++) ks[k] = Math.floor(Math.random() * size) * B + k;
    ks.sort();
    for (let j = 0; j < b; j++) {
      const i = Math.floor(ks[j] / B);
      const k = ks[j] - i * B;
      fs[k] = h.fieldAt(i);
      if (withValues) vs[k] = h.valueAt(i);
    }
    for (let k = 0; k < b; k++) {
      if (withValues && resp3) r.array(2);
      r.bulk(fs[k]);
      if (withValues) r.bulk(vs[k]);
    }
  }
}

function hscan(c: Client, argv: string[]): void {
  const opts = parseScanArgs(c, argv, ObjType.Hash);
  if (opts === null) return;
  const o = opts.obj;
  const h = o.value as HashValue;
  const out: string[] = [];
  const pat = opts.pattern;
  let cursor = 0;
  if (h.enc === Enc.Listpack) {
    const n = h.size;
    for (let i = 0; i < n; i++) {
      const f = h.fieldAt(i);
      if (pat === null || globMatch(pat, f)) out.push(f, h.valueAt(i));
    }
  } else {
    const scans = c.server.scanCursors;
    const it = scans.resume(opts.cursor, h, () => h.scanIterator());
    let done = false;
    for (let n = 0; n < opts.count; n++) {
      const nx = it.next();
      if (nx.done) {
        done = true;
        break;
      }
      const f = nx.value;
      const v = h.get(f);
      if (v === undefined) continue;
      if (pat === null || globMatch(pat, f)) out.push(f, v);
    }
    if (!done) cursor = scans.suspend(h, it);
  }
  scanReply(c, cursor, out);
}

export const handlers: HandlerMap = {
  hset,
  hmset,
  hsetnx,
  hget,
  hmget,
  hdel,
  hlen,
  hexists,
  hstrlen,
  hgetall,
  hkeys,
  hvals,
  hincrby,
  hincrbyfloat,
  hrandfield,
  hscan,
};
