// The RDB writer: values in Redis 7.2's encodings (rdbSaveObject), DUMP
// payloads, and whole files (rdbSaveRio) streamed to a file descriptor.
//
// Values are written as Redis 7.2 writes the same data: a listpack list as
// a one-node quicklist, a quicklist node by node as the list module models
// its layout, small sets as intsets or listpacks, small hashes and sorted
// sets as listpacks, big sorted sets from the highest score down with binary
// doubles, streams with their listpack nodes, counters, consumer groups and
// pending entries (RDB_TYPE_STREAM_LISTPACKS_3). Strings are written as
// rdbSaveRawString does: small canonical integers in 1, 2 or 4 bytes, LZF
// above 20 bytes when rdbcompression is on and it saves at least 4 bytes.

import { RObj, ObjType, Enc } from '../db/robj.js';
import type { Db } from '../db/keyspace.js';
import { ByteString } from '../types/bytes.js';
import type { ListValue } from '../types/list.js';
import type { SetValue } from '../types/set.js';
import type { ZSet } from '../types/zset.js';
import type { HashValue } from '../types/hash.js';
import { type Stream, type StreamNode, type U64, redisListpackItems } from '../types/stream.js';
import { formatDouble, parseInt64 } from '../protocol/format.js';
import { Crc64, crc64 } from './crc64.js';
import { lzfCompress } from './lzf.js';
import { ListpackBuilder } from './listpack.js';
import { encodeIntset } from './ziplist.js';
import * as R from './rdb.js';

/** Where a writer sends full chunks (a file); null: the writer keeps everything (DUMP). */
export type Sink = (b: Buffer, length: number) => void;

/** Bytes gathered before a streaming writer hands them to its sink. */
const CHUNK = 1 << 20;

/** Scratch buffers up to this size are kept for the next string; bigger ones are not held. */
const SCRATCH_KEEP = 1 << 20;
let scratch = Buffer.allocUnsafe(4096);
/** A scratch buffer of at least n bytes (LZF input). */
function scratchOf(n: number): Buffer {
  if (n > SCRATCH_KEEP) return Buffer.allocUnsafe(n);
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, Math.min(scratch.length * 2, SCRATCH_KEEP)));
  return scratch;
}
let scratch2 = Buffer.allocUnsafe(4096);
/** A second one (LZF output). */
function scratch2Of(n: number): Buffer {
  if (n > SCRATCH_KEEP) return Buffer.allocUnsafe(n);
  if (scratch2.length < n) scratch2 = Buffer.allocUnsafe(Math.max(n, Math.min(scratch2.length * 2, SCRATCH_KEEP)));
  return scratch2;
}

export class RdbWriter {
  buf: Buffer;
  pos = 0;
  /** Bytes already handed to the sink. */
  flushed = 0;
  /** Running checksum of what went to the sink (streaming writers with rdbchecksum on). */
  readonly crc: Crc64 | null;

  constructor(
    /** rdbcompression */
    readonly compress: boolean,
    private readonly sink: Sink | null = null,
    checksum = false,
  ) {
    this.buf = Buffer.allocUnsafe(sink !== null ? CHUNK + 64 : 256);
    this.crc = checksum ? new Crc64() : null;
  }

  /** Total bytes written so far. */
  get length(): number {
    return this.flushed + this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.sink !== null) {
      this.flush();
      if (n <= this.buf.length) return;
    }
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  /** Hands the gathered bytes to the sink. */
  flush(): void {
    if (this.sink === null || this.pos === 0) return;
    if (this.crc !== null) this.crc.update(this.buf, 0, this.pos);
    this.sink(this.buf, this.pos);
    this.flushed += this.pos;
    this.pos = 0;
  }

  /** The bytes written (non-streaming writers). */
  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
    if (this.sink !== null && this.pos >= CHUNK) this.flush();
  }

  bytes(b: Uint8Array, start = 0, end = b.length): void {
    const n = end - start;
    if (this.sink !== null && n > CHUNK) {
      // A big value goes to the sink as it is, after what is gathered.
      this.flush();
      if (this.crc !== null) this.crc.update(b, start, end);
      const view = Buffer.from(b.buffer, b.byteOffset + start, n);
      this.sink(view, n);
      this.flushed += n;
      return;
    }
    this.room(n);
    this.buf.set(b.subarray(start, end), this.pos);
    this.pos += n;
    if (this.sink !== null && this.pos >= CHUNK) this.flush();
  }

  /** A latin1 string's bytes, no length. */
  latin1(s: string): void {
    const n = s.length;
    if (this.sink !== null && n > CHUNK) {
      const b = Buffer.from(s, 'latin1');
      this.bytes(b);
      return;
    }
    this.room(n);
    if (n < 32) for (let i = 0; i < n; i++) this.buf[this.pos + i] = s.charCodeAt(i);
    else this.buf.latin1Write(s, this.pos, n);
    this.pos += n;
    if (this.sink !== null && this.pos >= CHUNK) this.flush();
  }

  /** rdbSaveLen */
  len(n: number): void {
    this.room(9);
    const b = this.buf;
    if (n < 64) b[this.pos++] = n;
    else if (n < 16384) {
      b[this.pos++] = (n >>> 8) | 0x40;
      b[this.pos++] = n & 255;
    } else if (n <= 0xffffffff) {
      b[this.pos++] = R.LEN_32BIT;
      b.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      b[this.pos++] = R.LEN_64BIT;
      b.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }

  /** rdbSaveLen of an unsigned 64-bit value; a negative one is written as its two's complement (as C casts it). */
  lenU64(v: U64): void {
    if (typeof v === 'number' && v >= 0) {
      this.len(v);
      return;
    }
    const u = BigInt.asUintN(64, BigInt(v));
    if (u <= 0xffffffffn) {
      this.len(Number(u));
      return;
    }
    this.room(9);
    this.buf[this.pos++] = R.LEN_64BIT;
    this.buf.writeBigUInt64BE(u, this.pos);
    this.pos += 8;
  }

  /** rdbSaveMillisecondTime: int64 little-endian. */
  millis(ms: number): void {
    this.room(8);
    this.buf.writeBigInt64LE(BigInt(Math.trunc(ms)), this.pos);
    this.pos += 8;
  }

  /** rdbSaveBinaryDoubleValue */
  double(d: number): void {
    this.room(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** rdbEncodeInteger: true if v fits the 8/16/32-bit special encodings and was written. */
  private encodedInt(v: number): boolean {
    this.room(5);
    const b = this.buf;
    if (v >= -128 && v <= 127) {
      b[this.pos++] = 0xc0 | R.ENC_INT8;
      b.writeInt8(v, this.pos);
      this.pos += 1;
    } else if (v >= -32768 && v <= 32767) {
      b[this.pos++] = 0xc0 | R.ENC_INT16;
      b.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else if (v >= -2147483648 && v <= 2147483647) {
      b[this.pos++] = 0xc0 | R.ENC_INT32;
      b.writeInt32LE(v, this.pos);
      this.pos += 4;
    } else return false;
    return true;
  }

  /** rdbSaveLongLongAsStringObject (an int-encoded string value). */
  longLong(v: number): void {
    if (this.encodedInt(v)) return;
    const s = String(v);
    this.len(s.length);
    this.latin1(s);
  }

  /** rdbSaveRawString of a latin1 string. */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const c0 = s.charCodeAt(0);
      if ((c0 >= 48 && c0 <= 57) || c0 === 45) {
        const v = parseInt64(s);
        if (typeof v === 'number' && this.encodedInt(v)) return;
      }
    }
    if (this.compress && n > 20) {
      const inp = scratchOf(n);
      inp.latin1Write(s, 0, n);
      if (this.lzf(inp.subarray(0, n))) return;
    }
    this.len(n);
    this.latin1(s);
  }

  /** rdbSaveRawString of bytes (a blob: listpack, intset, a ByteString value). */
  blob(b: Uint8Array, start = 0, end = b.length): void {
    const n = end - start;
    if (n <= 11 && n > 0) {
      const c0 = b[start];
      if ((c0 >= 48 && c0 <= 57) || c0 === 45) {
        const v = parseInt64(Buffer.from(b.buffer, b.byteOffset + start, n).toString('latin1'));
        if (typeof v === 'number' && this.encodedInt(v)) return;
      }
    }
    if (this.compress && n > 20 && this.lzf(b.subarray(start, end))) return;
    this.len(n);
    this.bytes(b, start, end);
  }

  /** rdbSaveLzfStringObject: writes the LZF form if it saves at least 4 bytes; false otherwise. */
  private lzf(input: Uint8Array): boolean {
    const n = input.length;
    const out = scratch2Of(n);
    const c = lzfCompress(input, out, n - 4);
    if (c === 0) return false;
    this.u8(0xc0 | R.ENC_LZF);
    this.len(c);
    this.len(n);
    this.bytes(out, 0, c);
    return true;
  }
}

// ---------------------------------------------------------------------------
// Values

/** rdbSaveObjectType: the type byte of a value. */
export function rdbTypeOf(o: RObj): number {
  switch (o.type) {
    case ObjType.String:
      return R.T_STRING;
    case ObjType.List:
      return R.T_LIST_QUICKLIST_2;
    case ObjType.Set: {
      const e = (o.value as SetValue).enc;
      return e === Enc.Intset ? R.T_SET_INTSET : e === Enc.Listpack ? R.T_SET_LISTPACK : R.T_SET;
    }
    case ObjType.ZSet:
      return (o.value as ZSet).lp ? R.T_ZSET_LISTPACK : R.T_ZSET_2;
    case ObjType.Hash:
      return (o.value as HashValue).enc === Enc.Listpack ? R.T_HASH_LISTPACK : R.T_HASH;
    default:
      return R.T_STREAM_LISTPACKS_3;
  }
}

/** The listpack of a sequence of strings. */
function listpackOf(items: Iterable<string>, sizeHint = 64): Buffer {
  const lp = new ListpackBuilder(sizeHint);
  for (const s of items) lp.appendString(s);
  return lp.finish();
}

/** rdbSaveObject: the value's bytes (without its type byte). */
export function writeValue(w: RdbWriter, o: RObj): void {
  switch (o.type) {
    case ObjType.String: {
      const v = o.value as string | number | ByteString;
      if (typeof v === 'number') w.longLong(v);
      else if (typeof v === 'string') w.string(v);
      else w.blob(v.buf, 0, v.len);
      return;
    }
    case ObjType.List:
      writeList(w, o.value as ListValue);
      return;
    case ObjType.Set:
      writeSet(w, o.value as SetValue);
      return;
    case ObjType.ZSet:
      writeZset(w, o.value as ZSet);
      return;
    case ObjType.Hash:
      writeHash(w, o.value as HashValue);
      return;
    case ObjType.Stream:
      writeStream(w, o.value as Stream);
      return;
  }
}

function writeList(w: RdbWriter, l: ListValue): void {
  if (l.enc === Enc.Listpack) {
    w.len(1);
    w.len(R.QL_PACKED);
    w.blob(listpackOf(l, l.lpBytes + 16));
    return;
  }
  const nodes = l.quicklistNodes;
  w.len(nodes.length);
  let i = 0;
  for (const n of nodes) {
    w.len(n.plain ? R.QL_PLAIN : R.QL_PACKED);
    if (n.plain) w.string(l.get(i));
    else {
      const lp = new ListpackBuilder(n.bytes + 16);
      for (let k = 0; k < n.count; k++) lp.appendString(l.get(i + k));
      w.blob(lp.finish());
    }
    i += n.count;
  }
}

function writeSet(w: RdbWriter, s: SetValue): void {
  if (s.enc === Enc.Intset) {
    w.blob(encodeIntset(s.a as (number | bigint)[]));
  } else if (s.enc === Enc.Listpack) {
    w.blob(listpackOf(s.a as string[]));
  } else {
    w.len(s.size);
    for (const m of s) w.string(m);
  }
}

function writeZset(w: RdbWriter, z: ZSet): void {
  if (z.lp) {
    const lp = new ListpackBuilder();
    for (const [m, score] of z) {
      lp.appendString(m);
      lp.appendString(formatDouble(score));
    }
    w.blob(lp.finish());
    return;
  }
  // From the greatest to the smallest, so loading inserts at the head (rdb.c).
  w.len(z.size);
  for (const [m, score] of z.reversed()) {
    w.string(m);
    w.double(score);
  }
}

function writeHash(w: RdbWriter, h: HashValue): void {
  if (h.enc === Enc.Listpack) {
    const lp = new ListpackBuilder();
    for (const [f, v] of h) {
      lp.appendString(f);
      lp.appendString(v);
    }
    w.blob(lp.finish());
    return;
  }
  w.len(h.size);
  for (const [f, v] of h) {
    w.string(f);
    w.string(v);
  }
}

/** The 16 big-endian bytes of a stream ID (streamEncodeID), as node keys and PEL entries are written. */
export function streamIdBytes(ms: U64, seq: U64, out: Buffer = Buffer.allocUnsafe(16)): Buffer {
  out.writeBigUInt64BE(BigInt(ms), 0);
  out.writeBigUInt64BE(BigInt(seq), 8);
  return out;
}

function nodeListpack(node: StreamNode): Buffer {
  return listpackOf(redisListpackItems(node), node.lpBytes + 16);
}

function writeStream(w: RdbWriter, s: Stream): void {
  const id = Buffer.allocUnsafe(16);
  w.len(s.nodes.size);
  for (const [ms, seq, node] of s.nodes.entries()) {
    w.blob(streamIdBytes(ms, seq, id));
    w.blob(nodeListpack(node));
  }
  w.len(s.length);
  w.lenU64(s.lastId.ms);
  w.lenU64(s.lastId.seq);
  w.lenU64(s.firstId.ms);
  w.lenU64(s.firstId.seq);
  w.lenU64(s.maxDeletedId.ms);
  w.lenU64(s.maxDeletedId.seq);
  w.lenU64(s.entriesAdded);
  const groups = s.sortedGroups();
  w.len(groups.length);
  for (const [name, g] of groups) {
    w.string(name);
    w.lenU64(g.lastId.ms);
    w.lenU64(g.lastId.seq);
    w.lenU64(g.entriesRead);
    w.len(g.pel.size);
    for (const [ms, seq, nack] of g.pel.entries()) {
      w.bytes(streamIdBytes(ms, seq, id));
      w.millis(nack.deliveryTime);
      w.lenU64(nack.deliveryCount);
    }
    const consumers = g.sortedConsumers();
    w.len(consumers.length);
    for (const c of consumers) {
      w.string(c.name);
      w.millis(c.seenTime);
      w.millis(c.activeTime);
      w.len(c.pel.size);
      for (const [ms, seq] of c.pel.entries()) w.bytes(streamIdBytes(ms, seq, id));
    }
  }
}

/** rdbSavedObjectLen: the bytes of a value as an RDB writes it (DEBUG OBJECT serializedlength). */
export function serializedLength(o: RObj, compress: boolean): number {
  const w = new RdbWriter(compress);
  writeValue(w, o);
  return w.length;
}

// ---------------------------------------------------------------------------
// DUMP payloads

/**
 * createDumpPayload: type byte, value, the RDB version (2 bytes LE) and the
 * CRC-64 of all that (8 bytes LE).
 */
export function dumpPayload(o: RObj, compress: boolean): Buffer {
  const w = new RdbWriter(compress);
  w.u8(rdbTypeOf(o));
  writeValue(w, o);
  w.u8(R.RDB_VERSION & 255);
  w.u8(R.RDB_VERSION >>> 8);
  const body = w.result();
  const out = Buffer.allocUnsafe(body.length + 8);
  body.copy(out, 0);
  crc64(out, 0, body.length).writeLE(out, body.length);
  return out;
}

// ---------------------------------------------------------------------------
// Whole files

/** What an RDB file records per key besides the value: LRU idle seconds or LFU counter. */
export interface SaveOptions {
  compress: boolean;
  checksum: boolean;
  /** maxmemory-policy is an LRU one: each key gets an IDLE opcode with this clock (seconds, 24 bits). */
  lruClock: number | null;
  /** maxmemory-policy is an LFU one: each key gets a FREQ opcode; returns its decayed counter. */
  lfuCounter: ((lru: number) => number) | null;
  /** Aux fields, in order (redis-ver, redis-bits, ctime, used-mem, aof-base). */
  aux: [string, string][];
  /** The code of each function library, written as RDB_OPCODE_FUNCTION2 records after the aux fields. */
  functions?: string[];
}

/** estimateObjectIdleTime in seconds, with the 24-bit clock wrapping. */
function idleSeconds(clock: number, lru: number): number {
  return clock >= lru ? clock - lru : clock + (0xffffff - lru);
}

/** rdbSaveRio: the whole file (header, aux fields, every db, EOF, checksum) to the writer's sink. */
export function writeRdb(w: RdbWriter, dbs: readonly Db[], opts: SaveOptions): void {
  w.latin1('REDIS' + String(R.RDB_VERSION).padStart(4, '0'));
  for (const [k, v] of opts.aux) {
    w.u8(R.OP_AUX);
    w.string(k);
    w.string(v);
  }
  for (const code of opts.functions ?? []) {
    w.u8(R.OP_FUNCTION2);
    w.string(code);
  }
  for (const db of dbs) {
    const dict = db.dict;
    if (dict.size === 0) continue;
    w.u8(R.OP_SELECTDB);
    w.len(db.id);
    w.u8(R.OP_RESIZEDB);
    w.len(dict.size);
    w.len(db.expires.size);
    const expires = db.expires;
    const hasExpires = expires.size !== 0;
    for (const [key, o] of dict) {
      if (hasExpires) {
        const when = expires.get(key);
        if (when !== undefined) {
          w.u8(R.OP_EXPIRETIME_MS);
          w.millis(when);
        }
      }
      if (opts.lruClock !== null) {
        w.u8(R.OP_IDLE);
        w.len(idleSeconds(opts.lruClock, o.lru));
      } else if (opts.lfuCounter !== null) {
        w.u8(R.OP_FREQ);
        w.u8(opts.lfuCounter(o.lru));
      }
      w.u8(rdbTypeOf(o));
      w.string(key);
      writeValue(w, o);
    }
  }
  w.u8(R.OP_EOF);
  w.flush();
  const sum = Buffer.alloc(8);
  if (w.crc !== null) w.crc.writeLE(sum, 0);
  w.bytes(sum);
  w.flush();
}
