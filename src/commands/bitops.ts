// Bitmap commands (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS,
// BITOP, BITFIELD, BITFIELD_RO.
//
// A bitmap is a string value. Reads take any string form (JS string, number,
// ByteString: src/types/bytes.ts); writes first make the value a ByteString
// (once), so SETBIT and BITFIELD on a string of any size cost O(1) plus the
// zeros of any growth. Ranges of a JS-string value are scanned through small
// copies, so BITPOS stops as early as Redis's does.
//
// Argument checks come in Redis 7.2's order: BITCOUNT looks the key up before
// parsing its range (a missing key answers 0 whatever follows), BITPOS parses
// its bit first. SETBIT and BITFIELD count a change (dirty, keyspace event,
// WATCH) only when a byte changed or the string grew.

import type { HandlerMap } from './types.js';
import { ClientFlag, type Client } from '../server/client.js';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { ERR_SYNTAX, ERR_NOT_INT, ERR_WRONGTYPE } from './util.js';
import { parseInt64 } from '../protocol/format.js';
import { ByteString, lengthOf, byteAt, type StringValue } from '../types/bytes.js';
import {
  popcount,
  bitpos as bitposBytes,
  getField,
  setField,
  Overflow,
  checkSignedOverflow,
  checkUnsignedOverflow,
  overflowLimit,
} from '../types/bitmap.js';
import { unshareString } from './strings.js';
import { constants as bufferConstants } from 'node:buffer';

const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';
const ERR_BIT_VALUE = 'ERR bit is not an integer or out of range';
const ERR_BITFIELD_TYPE = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/** C string semantics: Redis's strcasecmp, strlen and string2ll stop at the first NUL. */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** A keyword argument as Redis compares it: lowercase, up to the first NUL. */
function keyword(s: string): string {
  return cstr(s).toLowerCase();
}

/** Exact a < b for int64 arguments (two beyond 2^53 may round to the same double). */
function lessThan(a: number | bigint, b: number | bigint): boolean {
  return typeof a === 'number' && typeof b === 'number' ? a < b : BigInt(a) < BigInt(b);
}

/**
 * getBitOffsetFromArgument(): a bit offset, or -1 after replying. With
 * `hashBits` > 0 (BITFIELD) "#n" means n * hashBits, multiplied in int64
 * like Redis (so it may wrap). The offset's byte must be below
 * proto-max-bulk-len, except for the master's commands.
 */
function bitOffsetArg(c: Client, s: string, hashBits: number): number {
  const hash = hashBits > 0 && s.charCodeAt(0) === 35; /* # */
  const v = parseInt64(hash ? s.slice(1) : s);
  if (v === null) {
    c.reply.error(ERR_BIT_OFFSET);
    return -1;
  }
  if (!hash && typeof v === 'number') {
    // The common case, without BigInt.
    if (v < 0 || ((c.flags & ClientFlag.Master) === 0 && Math.floor(v / 8) >= c.server.protoMaxBulkLen)) {
      c.reply.error(ERR_BIT_OFFSET);
      return -1;
    }
    return v;
  }
  let off = BigInt(v);
  if (hash) off = BigInt.asIntN(64, off * BigInt(hashBits));
  if (off < 0n || ((c.flags & ClientFlag.Master) === 0 && off >> 3n >= BigInt(c.server.protoMaxBulkLen))) {
    c.reply.error(ERR_BIT_OFFSET);
    return -1;
  }
  return Number(off);
}

/** Set by lookupStringForBit(): the value was created or grew. */
let grew = false;

/**
 * lookupStringForBitCommand(): the string at `key` as a ByteString at least
 * long enough to hold bit `maxbit`, created (zeroed) if missing; null after
 * replying WRONGTYPE.
 */
function lookupStringForBit(c: Client, key: string, maxbit: number): ByteString | null {
  const db = c.db;
  const o = db.lookupWrite(key);
  if (o !== undefined && o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return null;
  }
  const need = Math.floor(maxbit / 8) + 1;
  if (need > bufferConstants.MAX_LENGTH) {
    // Only reachable with a proto-max-bulk-len beyond what Node can allocate.
    c.reply.error(ERR_BIT_OFFSET);
    return null;
  }
  if (o === undefined) {
    const b = ByteString.zeroed(need);
    db.add(key, new RObj(ObjType.String, Enc.Raw, b, 0));
    grew = true;
    return b;
  }
  const b = unshareString(o);
  const before = b.len;
  b.growZero(need);
  grew = b.len !== before;
  return b;
}

// ---------------------------------------------------------------------------
// SETBIT, GETBIT

function setbit(c: Client, argv: string[]): void {
  const off = bitOffsetArg(c, argv[2], 0);
  if (off < 0) return;
  const on = parseInt64(argv[3]);
  if (on !== 0 && on !== 1) {
    c.reply.error(ERR_BIT_VALUE);
    return;
  }
  const key = argv[1];
  const b = lookupStringForBit(c, key, off);
  if (b === null) return;
  const byte = Math.floor(off / 8);
  const mask = 0x80 >> off % 8;
  const old = b.buf[byte];
  const was = (old & mask) !== 0 ? 1 : 0;
  if (grew || was !== on) {
    b.buf[byte] = on === 1 ? old | mask : old & ~mask;
    const db = c.db;
    db.modified(key);
    db.notify(Notify.String, 'setbit', key);
    c.server.dirty++;
  }
  c.reply.int(was);
}

function getbit(c: Client, argv: string[]): void {
  const off = bitOffsetArg(c, argv[2], 0);
  if (off < 0) return;
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const v = o.value as StringValue;
  const byte = Math.floor(off / 8);
  let bit = 0;
  if (typeof v === 'object') {
    if (byte < v.len) bit = (v.buf[byte] >> (7 - (off % 8))) & 1;
  } else if (byte < lengthOf(v)) {
    bit = (byteAt(v, byte) >> (7 - (off % 8))) & 1;
  }
  c.reply.int(bit);
}

// ---------------------------------------------------------------------------
// Ranges: BITCOUNT, BITPOS

/** Bytes copied at a time when scanning a JS-string value. */
const CHUNK = 16 * 1024;
let scratch = Buffer.allocUnsafeSlow(CHUNK);

/**
 * Calls `fn(bytes, from, to, pos)` over the bytes [start, end) of a value:
 * one view of a ByteString, or copies of at most CHUNK bytes of a JS string
 * (`pos` is the range's offset of bytes[from]). Stops when fn returns true.
 */
function scan(v: StringValue, start: number, end: number, fn: (b: Uint8Array, from: number, to: number, pos: number) => boolean): void {
  if (typeof v === 'object') {
    fn(v.buf, start, end, 0);
    return;
  }
  const s = typeof v === 'number' ? String(v) : v;
  for (let p = start; p < end; p += CHUNK) {
    const n = Math.min(CHUNK, end - p);
    scratch.latin1Write(n === s.length ? s : s.slice(p, p + n), 0, n);
    if (fn(scratch, 0, n, p - start)) return;
  }
}

let counted = 0;
function countChunk(b: Uint8Array, from: number, to: number): boolean {
  counted += popcount(b, from, to);
  return false;
}

/** Bits set in bytes [start, end) of a value. */
function countBits(v: StringValue, start: number, end: number): number {
  counted = 0;
  scan(v, start, end, countChunk);
  return counted;
}

let seekBit = 0;
let found = -1;
function seekChunk(b: Uint8Array, from: number, to: number, pos: number): boolean {
  const p = bitposBytes(b, from, to - from, seekBit);
  if (p >= 0 && p < (to - from) * 8) {
    found = pos * 8 + p;
    return true;
  }
  return false;
}

/** redisBitpos() over `count` bytes of a value from `start` (zeros assumed after them when looking for 0). */
function findBit(v: StringValue, start: number, count: number, bit: number): number {
  seekBit = bit;
  found = -1;
  scan(v, start, start + count, seekChunk);
  if (found >= 0) return found;
  return bit === 1 ? -1 : count * 8;
}

/** The 8-bit value of byte i of a value. */
function byteOf(v: StringValue, i: number): number {
  return typeof v === 'object' ? v.buf[i] : byteAt(v, i);
}

function bitcount(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const v = o.value as StringValue;
  const strlen = lengthOf(v);
  const argc = argv.length;
  let start: number;
  let end: number;
  let firstMask = 0;
  let lastMask = 0;
  if (argc === 4 || argc === 5) {
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
    if (s0 < 0 && e0 < 0 && lessThan(e0, s0)) {
      c.reply.int(0);
      return;
    }
    let isbit = false;
    if (argc === 5) {
      const unit = keyword(argv[4]);
      if (unit === 'bit') isbit = true;
      else if (unit !== 'byte') {
        c.reply.error(ERR_SYNTAX);
        return;
      }
    }
    const totlen = isbit ? strlen * 8 : strlen;
    start = Number(s0);
    end = Number(e0);
    if (start < 0) start = totlen + start;
    if (end < 0) end = totlen + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= totlen) end = totlen - 1;
    if (isbit && start <= end) {
      // Masks of the bits outside the range in the first and last bytes.
      firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff;
      lastMask = (1 << (7 - (end % 8))) - 1;
      start = Math.floor(start / 8);
      end = Math.floor(end / 8);
    }
  } else if (argc === 2) {
    start = 0;
    end = strlen - 1;
  } else {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  if (start > end) {
    c.reply.int(0);
    return;
  }
  let n = countBits(v, start, end + 1);
  if (firstMask !== 0) n -= popcount8(byteOf(v, start) & firstMask);
  if (lastMask !== 0) n -= popcount8(byteOf(v, end) & lastMask);
  c.reply.int(n);
}

function popcount8(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}

function bitpos(c: Client, argv: string[]): void {
  const bit = parseInt64(argv[2]);
  if (bit === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  if (bit !== 0 && bit !== 1) {
    c.reply.error('ERR The bit argument must be 1 or 0.');
    return;
  }
  // A missing key is an endless run of zeros.
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    c.reply.int(bit === 1 ? -1 : 0);
    return;
  }
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const v = o.value as StringValue;
  const strlen = lengthOf(v);
  const argc = argv.length;
  let start: number;
  let end: number;
  let endGiven = false;
  let firstMask = 0;
  let lastMask = 0;
  if (argc === 4 || argc === 5 || argc === 6) {
    const s0 = parseInt64(argv[3]);
    if (s0 === null) {
      c.reply.error(ERR_NOT_INT);
      return;
    }
    let isbit = false;
    if (argc === 6) {
      const unit = keyword(argv[5]);
      if (unit === 'bit') isbit = true;
      else if (unit !== 'byte') {
        c.reply.error(ERR_SYNTAX);
        return;
      }
    }
    if (argc >= 5) {
      const e0 = parseInt64(argv[4]);
      if (e0 === null) {
        c.reply.error(ERR_NOT_INT);
        return;
      }
      end = Number(e0);
      endGiven = true;
    } else {
      end = isbit ? strlen * 8 + 7 : strlen - 1;
    }
    const totlen = isbit ? strlen * 8 : strlen;
    start = Number(s0);
    if (start < 0) start = totlen + start;
    if (end < 0) end = totlen + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= totlen) end = totlen - 1;
    if (isbit && start <= end) {
      firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff;
      lastMask = (1 << (7 - (end % 8))) - 1;
      start = Math.floor(start / 8);
      end = Math.floor(end / 8);
    }
  } else if (argc === 3) {
    start = 0;
    end = strlen - 1;
  } else {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  // An empty range holds neither a 0 nor a 1.
  if (start > end) {
    c.reply.int(-1);
    return;
  }
  let bytes = end - start + 1;
  let pos: number;
  search: {
    if (firstMask !== 0) {
      // The first byte with its bits before the range forced to not match.
      let t = bit === 1 ? byteOf(v, start) & ~firstMask : byteOf(v, start) | firstMask;
      if (lastMask !== 0 && bytes === 1) t = bit === 1 ? t & ~lastMask : t | lastMask;
      pos = bytePos(t & 0xff, bit);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break search;
      start++;
      bytes--;
    }
    // The last byte, if it has bits past the range, is looked at alone.
    const whole = bytes - (lastMask !== 0 ? 1 : 0);
    if (whole > 0) {
      pos = findBit(v, start, whole, bit);
      if (bytes === whole || (pos !== -1 && pos !== whole * 8)) break search;
      start += whole;
      bytes -= whole;
    }
    const t = bit === 1 ? byteOf(v, end) & ~lastMask : byteOf(v, end) | lastMask;
    pos = bytePos(t & 0xff, bit);
  }
  // With an explicit end, "no 0 in the range" is -1, not the bit after it.
  if (endGiven && bit === 0 && pos === bytes * 8) {
    c.reply.int(-1);
    return;
  }
  if (pos !== -1) pos += start * 8;
  c.reply.int(pos);
}

/** redisBitpos() of one byte. */
function bytePos(byte: number, bit: number): number {
  const x = bit === 1 ? byte : ~byte & 0xff;
  if (x === 0) return bit === 1 ? -1 : 8;
  return Math.clz32(x) - 24;
}

// ---------------------------------------------------------------------------
// BITOP

const OP_AND = 0;
const OP_OR = 1;
const OP_XOR = 2;
const OP_NOT = 3;

function bitop(c: Client, argv: string[]): void {
  const name = keyword(argv[1]);
  let op: number;
  if (name === 'and') op = OP_AND;
  else if (name === 'or') op = OP_OR;
  else if (name === 'xor') op = OP_XOR;
  else if (name === 'not') op = OP_NOT;
  else {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  if (op === OP_NOT && argv.length !== 4) {
    c.reply.error('ERR BITOP NOT must be called with a single source key.');
    return;
  }
  const db = c.db;
  const n = argv.length - 3;
  const srcs: Uint8Array[] = new Array(n);
  let maxlen = 0;
  for (let j = 0; j < n; j++) {
    const o = db.lookupRead(argv[j + 3]);
    if (o === undefined) {
      srcs[j] = EMPTY;
      continue;
    }
    if (o.type !== ObjType.String) {
      c.reply.error(ERR_WRONGTYPE);
      return;
    }
    const v = o.value as StringValue;
    srcs[j] = typeof v === 'object' ? v.buf.subarray(0, v.len) : Buffer.from(typeof v === 'number' ? String(v) : v, 'latin1');
    if (srcs[j].length > maxlen) maxlen = srcs[j].length;
  }
  const dest = argv[2];
  if (maxlen === 0) {
    if (db.del(dest)) c.server.dirty++;
    c.reply.int(0);
    return;
  }
  const res = Buffer.alloc(maxlen);
  res.set(srcs[0]);
  if (op === OP_NOT) {
    for (let i = 0; i < maxlen; i++) res[i] = ~res[i];
  } else {
    for (let j = 1; j < n; j++) combine(res, srcs[j], op);
  }
  db.setKey(dest, new RObj(ObjType.String, Enc.Raw, new ByteString(res, maxlen), 0));
  db.notify(Notify.String, 'set', dest);
  c.server.dirty++;
  c.reply.int(maxlen);
}

const EMPTY = new Uint8Array(0);

/** res = res OP src, where src is padded with zeros to res's length. */
function combine(res: Uint8Array, src: Uint8Array, op: number): void {
  const len = src.length;
  let i = 0;
  if ((src.byteOffset & 3) === 0 && (res.byteOffset & 3) === 0 && len >= 16) {
    const words = len >>> 2;
    const a = new Int32Array(res.buffer, res.byteOffset, words);
    const b = new Int32Array(src.buffer, src.byteOffset, words);
    if (op === OP_AND) for (let k = 0; k < words; k++) a[k] &= b[k];
    else if (op === OP_OR) for (let k = 0; k < words; k++) a[k] |= b[k];
    else for (let k = 0; k < words; k++) a[k] ^= b[k];
    i = words * 4;
  }
  if (op === OP_AND) {
    for (; i < len; i++) res[i] &= src[i];
    res.fill(0, len);
  } else if (op === OP_OR) {
    for (; i < len; i++) res[i] |= src[i];
  } else {
    for (; i < len; i++) res[i] ^= src[i];
  }
}

// ---------------------------------------------------------------------------
// BITFIELD

const FIELD_GET = 0;
const FIELD_SET = 1;
const FIELD_INCRBY = 2;

interface FieldOp {
  op: number;
  offset: number;
  bits: number;
  signed: boolean;
  value: bigint;
  overflow: Overflow;
}

function bitfield(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, false);
}

function bitfieldRo(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, true);
}

function bitfieldGeneric(c: Client, argv: string[], readOnlyCommand: boolean): void {
  const ops: FieldOp[] = [];
  let overflow = Overflow.Wrap;
  let readonly = true;
  let highestWrite = 0;
  const argc = argv.length;
  for (let j = 2; j < argc; j++) {
    const remargs = argc - j - 1;
    const sub = keyword(argv[j]);
    let op: number;
    if (sub === 'get' && remargs >= 2) op = FIELD_GET;
    else if (sub === 'set' && remargs >= 3) op = FIELD_SET;
    else if (sub === 'incrby' && remargs >= 3) op = FIELD_INCRBY;
    else if (sub === 'overflow' && remargs >= 1) {
      const kind = keyword(argv[++j]);
      if (kind === 'wrap') overflow = Overflow.Wrap;
      else if (kind === 'sat') overflow = Overflow.Sat;
      else if (kind === 'fail') overflow = Overflow.Fail;
      else {
        c.reply.error('ERR Invalid OVERFLOW type specified');
        return;
      }
      continue;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    // The type: i1..i64 or u1..u63 (the digits read up to a NUL, as strlen() does).
    const type = argv[j + 1];
    const sign = type.charCodeAt(0);
    const width = sign === 105 /* i */ || sign === 117 /* u */ ? parseInt64(cstr(type.slice(1))) : null;
    if (width === null || width < 1 || width > (sign === 105 ? 64 : 63)) {
      c.reply.error(ERR_BITFIELD_TYPE);
      return;
    }
    const bits = Number(width);
    const offset = bitOffsetArg(c, argv[j + 2], bits);
    if (offset < 0) return;
    let value = 0n;
    if (op !== FIELD_GET) {
      readonly = false;
      if (highestWrite < offset + bits - 1) highestWrite = offset + bits - 1;
      const v = parseInt64(argv[j + 3]);
      if (v === null) {
        c.reply.error(ERR_NOT_INT);
        return;
      }
      value = BigInt(v);
    }
    ops.push({ op, offset, bits, signed: sign === 105, value, overflow });
    j += op === FIELD_GET ? 2 : 3;
  }

  const key = argv[1];
  let target: ByteString | null = null;
  let reading: StringValue | null = null;
  if (readonly) {
    const o = c.db.lookupRead(key);
    if (o !== undefined) {
      if (o.type !== ObjType.String) {
        c.reply.error(ERR_WRONGTYPE);
        return;
      }
      reading = o.value as StringValue;
    }
  } else {
    if (readOnlyCommand) {
      c.reply.error('ERR BITFIELD_RO only supports the GET subcommand');
      return;
    }
    target = lookupStringForBit(c, key, highestWrite);
    if (target === null) return;
    reading = target;
  }

  const r = c.reply;
  r.array(ops.length);
  let changes = 0;
  for (const f of ops) {
    if (f.op === FIELD_GET) {
      const v = reading;
      const u =
        v === null
          ? 0n
          : typeof v === 'object'
            ? getField((i) => v.buf[i], v.len, f.offset, f.bits)
            : getField((i) => byteAt(v, i), lengthOf(v), f.offset, f.bits);
      r.int(f.signed ? BigInt.asIntN(f.bits, u) : u);
      continue;
    }
    const b = target!;
    const raw = getField((i) => b.buf[i], b.len, f.offset, f.bits);
    let oldval: bigint;
    let newval: bigint;
    let ret: bigint;
    let over: number;
    if (f.signed) {
      oldval = BigInt.asIntN(f.bits, raw);
      if (f.op === FIELD_INCRBY) {
        over = checkSignedOverflow(oldval, f.value, f.bits, f.overflow);
        newval = over !== 0 ? overflowLimit : oldval + f.value;
        ret = newval;
      } else {
        over = checkSignedOverflow(f.value, 0n, f.bits, f.overflow);
        newval = over !== 0 ? overflowLimit : f.value;
        ret = oldval;
      }
    } else {
      oldval = raw;
      if (f.op === FIELD_INCRBY) {
        over = checkUnsignedOverflow(oldval, f.value, f.bits, f.overflow);
        newval = over !== 0 ? overflowLimit : BigInt.asUintN(64, oldval + f.value);
        ret = newval;
      } else {
        // A negative value is taken as the uint64 it casts to.
        const uv = BigInt.asUintN(64, f.value);
        over = checkUnsignedOverflow(uv, 0n, f.bits, f.overflow);
        newval = over !== 0 ? overflowLimit : uv;
        ret = oldval;
      }
    }
    if (over !== 0 && f.overflow === Overflow.Fail) {
      r.null();
      continue;
    }
    r.int(ret);
    setField(b.buf, f.offset, f.bits, BigInt.asUintN(64, newval));
    if (grew || oldval !== newval) changes++;
  }
  if (changes !== 0) {
    c.db.modified(key);
    c.db.notify(Notify.String, 'setbit', key);
    c.server.dirty += changes;
  }
}

export const handlers: HandlerMap = {
  setbit,
  getbit,
  bitcount,
  bitpos,
  bitop,
  bitfield,
  bitfield_ro: bitfieldRo,
};
