// String commands (Redis's t_string.c): SET and its variants, GET and its
// variants, ranges, counters, INCRBYFLOAT and LCS.
//
// Values are latin1 strings, or numbers for int-encoded values in the safe
// integer range. A canonical int64 beyond 2^53 stays a string with enc Int, so
// integers are exact over the whole signed 64-bit range; BigInt is used only
// on the slow paths. A value written in place (APPEND, SETRANGE, and the bit
// and HyperLogLog commands) is a ByteString (src/types/bytes.ts): every
// reader here accepts the three forms. OBJECT ENCODING follows Redis: "int"
// for canonical int64 values stored by SET-like commands and by counters,
// "embstr" for other values of at most 44 bytes stored by SET-like commands,
// "raw" otherwise (APPEND and SETRANGE always leave raw strings).
//
// GET, SET, INCR and MSET are the benchmark commands: their paths allocate
// nothing beyond the stored RObj and take no closures or exceptions.

import { constants as bufferConstants } from 'node:buffer';
import type { HandlerMap } from './types.js';
import { ClientFlag, type Client } from '../server/client.js';
import { RObj, ObjType, Enc, EMBSTR_LIMIT } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { ERR_WRONGTYPE, ERR_NOT_INT, ERR_NOT_FLOAT, ERR_OVERFLOW, ERR_SYNTAX } from './util.js';
import { parseInt64, INT64_MIN, INT64_MAX } from '../protocol/format.js';
import { incrByFloatText, INCR_NAN_INF } from '../protocol/longdouble.js';
import { ByteString, stringOf, lengthOf, toByteString, type StringValue } from '../types/bytes.js';

const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
/** Longest buffer Node can allocate; longer results are refused like over-limit ones. */
const MAX_BYTES = bufferConstants.MAX_LENGTH;

// ---------------------------------------------------------------------------
// Values

/**
 * A string value as Redis's tryObjectEncoding() leaves it: int for a
 * canonical int64 of up to 20 chars, embstr up to 44 bytes, raw otherwise.
 */
export function createStringObject(v: string): RObj {
  const n = v.length;
  if (n <= 20 && n !== 0) {
    const c0 = v.charCodeAt(0);
    if (c0 <= 57 && (c0 >= 49 || c0 === 45 || c0 === 48)) {
      const x = parseInt64(v);
      if (x !== null) return new RObj(ObjType.String, Enc.Int, typeof x === 'number' ? x : v, 0);
    }
  }
  return new RObj(ObjType.String, n <= EMBSTR_LIMIT ? Enc.Embstr : Enc.Raw, v, 0);
}

/** The bytes of a string object as a latin1 string (int-encoded values printed in decimal). */
export function stringValue(o: RObj): string {
  return stringOf(o.value as StringValue);
}

/** Bulk reply of a string value in any of its forms. */
export function replyStringValue(c: Client, v: StringValue): void {
  if (typeof v === 'string') c.reply.bulk(v);
  else if (typeof v === 'number') c.reply.bulk(String(v));
  else c.reply.bulkBytes(v.buf, 0, v.len);
}

/**
 * The value of string object `o` made writable in place: a ByteString with
 * enc raw (Redis's dbUnshareStringValue). Converts a JS string once.
 */
export function unshareString(o: RObj): ByteString {
  const v = o.value as StringValue;
  if (typeof v === 'object') return v;
  const b = toByteString(v);
  o.value = b;
  o.enc = Enc.Raw;
  return b;
}

/** APPEND results up to this length stay JS strings (a copy of a few bytes beats a buffer object). */
const SMALL_APPEND = 64;

/**
 * Redis's checkStringLength(): the result of growing a string to `total`
 * bytes must stay within proto-max-bulk-len (masters are obeyed anyway).
 * Such results are ByteStrings, whose bytes live outside V8's heap, so the
 * heap guard has nothing to count here.
 */
function checkStringLength(c: Client, total: number): boolean {
  if (total > MAX_BYTES || (total > c.server.protoMaxBulkLen && (c.flags & ClientFlag.Master) === 0)) {
    c.reply.error(ERR_STRING_TOO_LONG);
    return false;
  }
  return true;
}

/** C string semantics for option names: Redis compares up to the first NUL. */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

// ---------------------------------------------------------------------------
// GET family

/** getGenericCommand(): replies the value or null; false (after WRONGTYPE) on a wrong type. */
function getGeneric(c: Client, key: string): boolean {
  const o = c.db.lookupRead(key);
  if (o === undefined) {
    c.reply.null();
    return true;
  }
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return false;
  }
  replyStringValue(c, o.value);
  return true;
}

function get(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) c.reply.null();
  else if (o.type !== ObjType.String) c.reply.error(ERR_WRONGTYPE);
  else {
    const v = o.value;
    if (typeof v === 'string') c.reply.bulk(v);
    else if (typeof v === 'number') c.reply.bulk(String(v));
    else c.reply.bulkBytes(v.buf, 0, v.len);
  }
}

function getdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const o = c.db.lookupRead(key);
  if (o === undefined) {
    c.reply.null();
    return;
  }
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  replyStringValue(c, o.value);
  if (c.db.del(key)) {
    c.propagateArgv = ['DEL', key];
    c.server.dirty++;
  }
}

function getset(c: Client, argv: string[]): void {
  const key = argv[1];
  if (!getGeneric(c, key)) return;
  c.db.setKey(key, createStringObject(argv[2]));
  c.db.notify(Notify.String, 'set', key);
  c.server.dirty++;
  c.propagateArgv = ['SET', key, argv[2]];
}

function mget(c: Client, argv: string[]): void {
  const n = argv.length;
  const db = c.db;
  const r = c.reply;
  r.array(n - 1);
  for (let j = 1; j < n; j++) {
    const o = db.lookupRead(argv[j]);
    if (o === undefined || o.type !== ObjType.String) r.null();
    else {
      const v = o.value;
      if (typeof v === 'string') r.bulk(v);
      else if (typeof v === 'number') r.bulk(String(v));
      else r.bulkBytes(v.buf, 0, v.len);
    }
  }
}

function strlen(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) c.reply.int(0);
  else if (o.type !== ObjType.String) c.reply.error(ERR_WRONGTYPE);
  else c.reply.int(lengthOf(o.value));
}

function getrange(c: Client, argv: string[]): void {
  const s0 = parseInt64(argv[2]);
  if (s0 === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  const e0 = parseInt64(argv[3]);
  if (e0 === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    c.reply.bulk('');
    return;
  }
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const v = o.value as StringValue;
  const len = lengthOf(v);
  let start = Number(s0);
  let end = Number(e0);
  // Compared exactly: two int64s may round to the same double.
  const startAfterEnd = typeof s0 === 'bigint' || typeof e0 === 'bigint' ? BigInt(s0) > BigInt(e0) : start > end;
  if (start < 0 && end < 0 && startAfterEnd) {
    c.reply.bulk('');
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) c.reply.bulk('');
  else if (typeof v === 'object') c.reply.bulkBytes(v.buf, start, end + 1);
  else {
    const str = typeof v === 'number' ? String(v) : v;
    c.reply.bulk(start === 0 && end === len - 1 ? str : str.slice(start, end + 1));
  }
}

// ---------------------------------------------------------------------------
// SET family

const F_NX = 1;
const F_XX = 2;
const F_EX = 4;
const F_PX = 8;
const F_KEEPTTL = 16;
const F_GET = 32;
const F_EXAT = 64;
const F_PXAT = 128;
const F_PERSIST = 256;
const F_ANY_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

/** The expire argument found by parseExtended() (null when none). */
let parsedExpire: string | null = null;
/** The absolute expire time computed by expireMs(), as exact decimal text. */
let expireText = '';

/**
 * parseExtendedStringArgumentsOrReply(): SET options (from argv[3]) or GETEX
 * options (from argv[2]). Returns the flags, or -1 after a syntax error.
 */
function parseExtended(c: Client, argv: string[], isSet: boolean): number {
  let flags = 0;
  parsedExpire = null;
  const n = argv.length;
  for (let j = isSet ? 3 : 2; j < n; j++) {
    const opt = cstr(argv[j]).toUpperCase();
    const hasNext = j < n - 1;
    if (opt === 'NX' && (flags & F_XX) === 0 && isSet) flags |= F_NX;
    else if (opt === 'XX' && (flags & F_NX) === 0 && isSet) flags |= F_XX;
    else if (opt === 'GET' && isSet) flags |= F_GET;
    else if (opt === 'KEEPTTL' && (flags & (F_PERSIST | F_ANY_EXPIRE)) === 0 && isSet) flags |= F_KEEPTTL;
    else if (opt === 'PERSIST' && !isSet && (flags & (F_ANY_EXPIRE | F_KEEPTTL)) === 0) flags |= F_PERSIST;
    else if (opt === 'EX' && (flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT)) === 0 && hasNext) {
      flags |= F_EX;
      parsedExpire = argv[++j];
    } else if (opt === 'PX' && (flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT)) === 0 && hasNext) {
      flags |= F_PX;
      parsedExpire = argv[++j];
    } else if (opt === 'EXAT' && (flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT)) === 0 && hasNext) {
      flags |= F_EXAT;
      parsedExpire = argv[++j];
    } else if (opt === 'PXAT' && (flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX)) === 0 && hasNext) {
      flags |= F_PXAT;
      parsedExpire = argv[++j];
    } else {
      c.reply.error(ERR_SYNTAX);
      return -1;
    }
  }
  return flags;
}

const LLONG_MAX_DIV_1000 = 9223372036854775n;

/**
 * getExpireMillisecondsOrReply(): the absolute expire time in ms for an
 * EX/PX (relative) or EXAT/PXAT (absolute) argument, or -1 after replying
 * "invalid expire time". Sets expireText to its exact decimal form.
 */
function expireMs(c: Client, arg: string, flags: number, seconds: boolean): number {
  const v = parseInt64(arg);
  if (v === null) {
    c.reply.error(ERR_NOT_INT);
    return -1;
  }
  const relative = (flags & (F_EX | F_PX)) !== 0;
  if (typeof v === 'number' && v > 0 && v < 4e12) {
    // Fast path: the result stays far inside the safe integer range.
    let ms = seconds ? v * 1000 : v;
    if (relative) ms += c.server.keyspace.now;
    expireText = String(ms);
    return ms;
  }
  let b = BigInt(v);
  if (b <= 0n || (seconds && b > LLONG_MAX_DIV_1000)) {
    expireError(c);
    return -1;
  }
  if (seconds) b *= 1000n;
  if (relative) b += BigInt(c.server.keyspace.now);
  if (b > INT64_MAX) {
    // Redis detects the signed overflow of the addition.
    expireError(c);
    return -1;
  }
  expireText = b.toString();
  return Number(b);
}

function expireError(c: Client): void {
  c.reply.error(`ERR invalid expire time in '${c.cmd !== null ? c.cmd.fullName : 'set'}' command`);
}

/**
 * setGenericCommand(): SET with options, SETNX, SETEX, PSETEX. `intReply`
 * answers :1/:0 (SETNX) instead of +OK/null.
 */
function setGeneric(
  c: Client,
  argv: string[],
  flags: number,
  key: string,
  val: string,
  expire: string | null,
  seconds: boolean,
  intReply: boolean,
): void {
  let when = 0;
  if (expire !== null) {
    when = expireMs(c, expire, flags, seconds);
    if (when < 0) return;
  }
  if ((flags & F_GET) !== 0 && !getGeneric(c, key)) return;
  const db = c.db;
  const found = db.lookupWrite(key) !== undefined;
  if (((flags & F_NX) !== 0 && found) || ((flags & F_XX) !== 0 && !found)) {
    if ((flags & F_GET) === 0) {
      if (intReply) c.reply.int(0);
      else c.reply.null();
    }
    return;
  }
  db.setKey(key, createStringObject(val), (flags & F_KEEPTTL) !== 0 || expire !== null, true);
  c.server.dirty++;
  db.notify(Notify.String, 'set', key);
  if (expire !== null) {
    db.setExpire(key, when);
    // EX/PX/EXAT (and SETEX/PSETEX) are propagated as SET key value PXAT <ms>,
    // dropping NX/XX/GET; a PXAT command is propagated as it came, GET included
    // (Redis 7.2.6).
    if ((flags & F_PXAT) === 0) c.propagateArgv = ['SET', key, val, 'PXAT', expireText];
    db.notify(Notify.Generic, 'expire', key);
  }
  if ((flags & F_GET) === 0) {
    if (intReply) c.reply.int(1);
    else c.reply.ok();
  } else if (expire === null) {
    // Propagated without the GET option(s).
    const out: string[] = [argv[0], key, val];
    for (let j = 3; j < argv.length; j++) {
      if (cstr(argv[j]).toUpperCase() !== 'GET') out.push(argv[j]);
    }
    c.propagateArgv = out;
  }
}

function set(c: Client, argv: string[]): void {
  const key = argv[1];
  if (argv.length === 3) {
    // SET key value: the hot path.
    const db = c.db;
    db.setFreshString(key, createStringObject(argv[2])); // reaps an expired key first
    c.server.dirty++;
    db.notify(Notify.String, 'set', key);
    c.reply.ok();
    return;
  }
  const flags = parseExtended(c, argv, true);
  if (flags < 0) return;
  setGeneric(c, argv, flags, key, argv[2], parsedExpire, (flags & (F_PX | F_PXAT)) === 0, false);
}

function setnx(c: Client, argv: string[]): void {
  setGeneric(c, argv, F_NX, argv[1], argv[2], null, true, true);
}

function setex(c: Client, argv: string[]): void {
  setGeneric(c, argv, F_EX, argv[1], argv[3], argv[2], true, false);
}

function psetex(c: Client, argv: string[]): void {
  setGeneric(c, argv, F_PX, argv[1], argv[3], argv[2], false, false);
}

function getex(c: Client, argv: string[]): void {
  const flags = parseExtended(c, argv, false);
  if (flags < 0) return;
  const expire = parsedExpire;
  const key = argv[1];
  const db = c.db;
  const o = db.lookupRead(key);
  if (o === undefined) {
    c.reply.null();
    return;
  }
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  let when = 0;
  if (expire !== null) {
    when = expireMs(c, expire, flags, (flags & (F_PX | F_PXAT)) === 0);
    if (when < 0) return;
  }
  replyStringValue(c, o.value);
  if ((flags & (F_EXAT | F_PXAT)) !== 0 && when <= c.server.keyspace.now && !c.server.isReplica) {
    // An absolute time already past deletes the key.
    db.remove(key);
    c.propagateArgv = ['DEL', key];
    db.modified(key);
    db.notify(Notify.Generic, 'del', key);
    c.server.dirty++;
  } else if (expire !== null) {
    db.setExpire(key, when);
    c.propagateArgv = ['PEXPIREAT', key, expireText];
    db.modified(key);
    db.notify(Notify.Generic, 'expire', key);
    c.server.dirty++;
  } else if ((flags & F_PERSIST) !== 0) {
    if (db.removeExpire(key)) {
      db.modified(key);
      c.propagateArgv = ['PERSIST', key];
      db.notify(Notify.Generic, 'persist', key);
      c.server.dirty++;
    }
  }
}

function mset(c: Client, argv: string[]): void {
  const n = argv.length;
  if ((n & 1) === 0) {
    c.reply.error("ERR wrong number of arguments for 'mset' command");
    return;
  }
  const db = c.db;
  for (let j = 1; j < n; j += 2) {
    const key = argv[j];
    db.setFreshString(key, createStringObject(argv[j + 1])); // reaps an expired key first
    db.notify(Notify.String, 'set', key);
  }
  c.server.dirty += (n - 1) >> 1;
  c.reply.ok();
}

function msetnx(c: Client, argv: string[]): void {
  const n = argv.length;
  if ((n & 1) === 0) {
    c.reply.error("ERR wrong number of arguments for 'msetnx' command");
    return;
  }
  const db = c.db;
  for (let j = 1; j < n; j += 2) {
    if (db.lookupWrite(argv[j]) !== undefined) {
      c.reply.int(0);
      return;
    }
  }
  for (let j = 1; j < n; j += 2) {
    db.setKey(argv[j], createStringObject(argv[j + 1]));
    db.notify(Notify.String, 'set', argv[j]);
  }
  c.server.dirty += (n - 1) >> 1;
  c.reply.int(1);
}

// ---------------------------------------------------------------------------
// APPEND, SETRANGE

function append(c: Client, argv: string[]): void {
  const key = argv[1];
  const add = argv[2];
  const db = c.db;
  const o = db.lookupWrite(key);
  let total: number;
  if (o === undefined) {
    db.add(key, createStringObject(add));
    total = add.length;
  } else {
    if (o.type !== ObjType.String) {
      c.reply.error(ERR_WRONGTYPE);
      return;
    }
    const v = o.value as StringValue;
    total = lengthOf(v) + add.length;
    if (!checkStringLength(c, total)) return;
    if (typeof v !== 'object' && total <= SMALL_APPEND) {
      o.value = stringOf(v) + add;
    } else {
      // In place, with room to grow: repeated appends are amortized O(1).
      let b: ByteString;
      if (typeof v === 'object') b = v;
      else {
        b = ByteString.fromLatin1(stringOf(v), total);
        o.value = b;
      }
      b.append(add);
    }
    o.enc = Enc.Raw;
  }
  db.modified(key);
  db.notify(Notify.String, 'append', key);
  c.server.dirty++;
  c.reply.int(total);
}

function setrange(c: Client, argv: string[]): void {
  const key = argv[1];
  const value = argv[3];
  const off = parseInt64(argv[2]);
  if (off === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  if (off < 0) {
    c.reply.error('ERR offset is out of range');
    return;
  }
  const db = c.db;
  const o = db.lookupWrite(key);
  const vlen = value.length;
  // An offset beyond 2^53 is over any size limit; Number() keeps it so.
  const offset = Number(off);
  let newLen: number;
  if (o === undefined) {
    if (vlen === 0) {
      c.reply.int(0);
      return;
    }
    if (!checkStringLength(c, offset + vlen)) return;
    const b = ByteString.zeroed(offset + vlen);
    b.writeAt(offset, value);
    db.add(key, new RObj(ObjType.String, Enc.Raw, b, 0));
    newLen = offset + vlen;
  } else {
    if (o.type !== ObjType.String) {
      c.reply.error(ERR_WRONGTYPE);
      return;
    }
    if (vlen === 0) {
      c.reply.int(lengthOf(o.value));
      return;
    }
    if (!checkStringLength(c, offset + vlen)) return;
    // In place: O(length written), plus the zeros of any gap.
    const b = unshareString(o);
    b.writeAt(offset, value);
    newLen = b.len;
  }
  db.modified(key);
  db.notify(Notify.String, 'setrange', key);
  c.server.dirty++;
  c.reply.int(newLen);
}

// ---------------------------------------------------------------------------
// Counters

/** incrDecrCommand(): adds `incr` (an int64) to the integer at `key`. */
function incrDecr(c: Client, key: string, incr: number | bigint): void {
  const db = c.db;
  const o = db.lookupWrite(key);
  if (o === undefined) {
    db.add(key, new RObj(ObjType.String, Enc.Int, typeof incr === 'number' ? incr : incr.toString(), 0));
    db.modified(key);
    db.notify(Notify.String, 'incrby', key);
    c.server.dirty++;
    c.reply.int(incr);
    return;
  }
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const v = o.value;
  if (typeof v === 'number' && typeof incr === 'number') {
    const r = v + incr;
    if (Number.isSafeInteger(r)) {
      // In place, like Redis for an unshared int object.
      o.value = r;
      o.enc = Enc.Int;
      db.modified(key);
      db.notify(Notify.String, 'incrby', key);
      c.server.dirty++;
      c.reply.int(r);
      return;
    }
  }
  incrDecrSlow(c, key, o, incr);
}

/** The exact int64 path: values or results beyond 2^53, and non-int encodings. */
function incrDecrSlow(c: Client, key: string, o: RObj, incr: number | bigint): void {
  const v = o.value as StringValue;
  let cur: number | bigint | null;
  if (typeof v === 'number') cur = v;
  else if (typeof v === 'string') cur = parseInt64(v);
  else cur = v.len > 20 ? null : parseInt64(v.toLatin1());
  if (cur === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  const r = BigInt(cur) + BigInt(incr);
  if (r > INT64_MAX || r < INT64_MIN) {
    c.reply.error(ERR_OVERFLOW);
    return;
  }
  const safe = r >= -9007199254740991n && r <= 9007199254740991n;
  o.value = safe ? Number(r) : r.toString();
  o.enc = Enc.Int;
  c.db.modified(key);
  c.db.notify(Notify.String, 'incrby', key);
  c.server.dirty++;
  c.reply.int(safe ? Number(r) : r);
}

function incr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], 1);
}

function decr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], -1);
}

function incrby(c: Client, argv: string[]): void {
  const v = parseInt64(argv[2]);
  if (v === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  incrDecr(c, argv[1], v);
}

function decrby(c: Client, argv: string[]): void {
  const v = parseInt64(argv[2]);
  if (v === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  if (typeof v === 'bigint') {
    if (v === INT64_MIN) {
      c.reply.error('ERR decrement would overflow');
      return;
    }
    incrDecr(c, argv[1], -v);
  } else {
    incrDecr(c, argv[1], v === 0 ? 0 : -v);
  }
}

function incrbyfloat(c: Client, argv: string[]): void {
  const key = argv[1];
  const db = c.db;
  const o = db.lookupWrite(key);
  if (o !== undefined && o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  let cur: string | number | null = null;
  if (o !== undefined) {
    const v = o.value as StringValue;
    // A ByteString too long to be a number is not parsed (MAX_LONG_DOUBLE_CHARS).
    cur = typeof v !== 'object' ? v : v.len >= 5120 ? '' : v.toLatin1();
  }
  const r = incrByFloatText(cur, argv[2]);
  if (typeof r === 'number') {
    c.reply.error(r === INCR_NAN_INF ? 'ERR increment would produce NaN or Infinity' : ERR_NOT_FLOAT);
    return;
  }
  // createStringObject() in Redis: never int-encoded here.
  db.setKey(key, new RObj(ObjType.String, r.length <= EMBSTR_LIMIT ? Enc.Embstr : Enc.Raw, r, 0), true, true);
  db.notify(Notify.String, 'incrbyfloat', key);
  c.server.dirty++;
  c.reply.bulk(r);
  // Propagated as SET with the final value, keeping the TTL.
  c.propagateArgv = ['SET', key, r, 'KEEPTTL'];
}

// ---------------------------------------------------------------------------
// LCS

function lcs(c: Client, argv: string[]): void {
  const db = c.db;
  const oa = db.lookupRead(argv[1]);
  const ob = db.lookupRead(argv[2]);
  if ((oa !== undefined && oa.type !== ObjType.String) || (ob !== undefined && ob.type !== ObjType.String)) {
    c.reply.error('ERR The specified keys must contain string values');
    return;
  }
  const va: StringValue = oa === undefined ? '' : oa.value;
  const vb: StringValue = ob === undefined ? '' : ob.value;
  let getlen = false;
  let getidx = false;
  let withmatchlen = false;
  let minmatchlen = 0;
  const n = argv.length;
  for (let j = 3; j < n; j++) {
    const opt = cstr(argv[j]).toUpperCase();
    const moreargs = n - 1 - j;
    if (opt === 'IDX') getidx = true;
    else if (opt === 'LEN') getlen = true;
    else if (opt === 'WITHMATCHLEN') withmatchlen = true;
    else if (opt === 'MINMATCHLEN' && moreargs > 0) {
      const v = parseInt64(argv[j + 1]);
      if (v === null) {
        c.reply.error(ERR_NOT_INT);
        return;
      }
      minmatchlen = v < 0 ? 0 : Number(v);
      j++;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if (getidx && getlen) {
    c.reply.error('ERR If you want both the length and indexes, please just use IDX.');
    return;
  }
  const alen = lengthOf(va);
  const blen = lengthOf(vb);
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > c.server.protoMaxBulkLen) {
    c.reply.error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
    return;
  }
  // Converted only now: a ByteString may be longer than a JS string can be.
  const a = stringOf(va);
  const b = stringOf(vb);
  let table: Uint32Array;
  try {
    table = new Uint32Array(cells);
  } catch {
    c.reply.error('ERR Insufficient memory, failed allocating transient memory for LCS');
    return;
  }
  const w = blen + 1;
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    const row = i * w;
    const prev = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1] + 1;
      else {
        const l1 = table[prev + j];
        const l2 = table[row + j - 1];
        table[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = table[alen * w + blen];
  const computelcs = getidx || !getlen;
  if (!computelcs) {
    c.reply.int(total);
    return;
  }
  // Walk back from the end, collecting the LCS and the matching ranges.
  const result: number[] = new Array(total);
  const ranges: number[] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    const ch = a.charCodeAt(i - 1);
    if (ch === b.charCodeAt(j - 1)) {
      result[idx - 1] = ch;
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const l1 = table[(i - 1) * w + j];
      const l2 = table[i * w + j - 1];
      if (l1 > l2) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minmatchlen === 0 || matchLen >= minmatchlen) ranges.push(aStart, aEnd, bStart, bEnd, matchLen);
      aStart = alen;
    }
  }
  const r = c.reply;
  if (getidx) {
    r.map(2);
    r.bulk('matches');
    const count = ranges.length / 5;
    r.array(count);
    for (let k = 0; k < ranges.length; k += 5) {
      r.array(withmatchlen ? 3 : 2);
      r.array(2);
      r.int(ranges[k]);
      r.int(ranges[k + 1]);
      r.array(2);
      r.int(ranges[k + 2]);
      r.int(ranges[k + 3]);
      if (withmatchlen) r.int(ranges[k + 4]);
    }
    r.bulk('len');
    r.int(total);
  } else {
    r.bulk(Buffer.from(result).latin1Slice(0, total));
  }
}

export const handlers: HandlerMap = {
  get,
  set,
  setnx,
  setex,
  psetex,
  getex,
  getdel,
  getset,
  mget,
  mset,
  msetnx,
  append,
  strlen,
  getrange,
  substr: getrange,
  setrange,
  incr,
  decr,
  incrby,
  decrby,
  incrbyfloat,
  lcs,
};
