// The RDB reader: values of every type and encoding Redis 7.2 loads (RDB
// versions 1 to 11), converted to Spinel's structures by the thresholds the
// rest of Spinel uses, and whole files (rdbLoadRio).
//
// Nothing read is trusted: every length is checked against what is left of
// the input before anything is allocated, compact blobs (listpacks,
// ziplists, intsets, zipmaps, stream nodes) are validated entry by entry as
// Redis's deep sanitization does (Spinel converts them, so it always reads
// every entry), and whatever Spinel's structures need beyond that is checked
// too (sorted and distinct intsets, distinct set members, hash fields and
// sorted set members, stream entries in ID order, every pending entry owned
// by one consumer). A failure is an RdbError with Redis's message; the
// caller builds the keyspace aside and keeps it only when the whole input
// loaded.

import fs from 'node:fs';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { Dict } from '../types/dict.js';
import { ByteString } from '../types/bytes.js';
import { ListValue } from '../types/list.js';
import { SetValue } from '../types/set.js';
import { ZSet } from '../types/zset.js';
import { HashValue } from '../types/hash.js';
import {
  Stream,
  StreamId,
  ConsumerGroup,
  Consumer,
  Nack,
  buildNode,
  big2u64,
  cmpId,
  INVALID_ENTRIES_READ,
  ZERO_ID,
  type LoadedEntry,
  type U64,
} from '../types/stream.js';
import { createStringObject } from '../commands/strings.js';
import { strtod } from '../protocol/format.js';
import type { EncodingLimits } from '../server/server.js';
import { Crc64 } from './crc64.js';
import { lzfDecompress } from './lzf.js';
import { decodeListpack } from './listpack.js';
import { decodeIntset, decodeZiplist, decodeZipmap } from './ziplist.js';
import * as R from './rdb.js';
import { RdbError, EmptyKeyError } from './rdb.js';

/** Bytes read from a file at a time. */
const CHUNK = 1 << 20;
/** String values at least this long are loaded as ByteStrings (their bytes stay off V8's heap). */
const BIG_STRING = 512 * 1024;
/** LZF expands at most 88 times (a 3-byte reference makes 264 bytes): a longer claimed size is corrupt. */
const LZF_MAX_RATIO = 90;

// ---------------------------------------------------------------------------
// The reader

export class RdbReader {
  private buf: Buffer;
  /** Position in buf. */
  private pos: number;
  /** End of the valid bytes in buf. */
  private end: number;
  /** Input offset of buf[0]. */
  private base = 0;
  /** Bytes of the file not read into buf yet (file sources). */
  private fileLeft: number;
  /** Checksum of the bytes consumed before crcPos (file sources with a checksum to verify). */
  readonly crc: Crc64 | null;
  private crcPos = 0;
  /** Set by lenOrEncoding(): the length is a special string encoding. */
  encoded = false;

  private constructor(
    buf: Buffer,
    start: number,
    end: number,
    private readonly fd: number | null,
    fileLeft: number,
    checksum: boolean,
  ) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.crcPos = start;
    this.fileLeft = fileLeft;
    this.crc = checksum ? new Crc64() : null;
  }

  /** Reads bytes [start, end) of a buffer (RESTORE payloads; whole files in tests, with their checksum). */
  static ofBuffer(b: Buffer, start = 0, end = b.length, checksum = false): RdbReader {
    return new RdbReader(b, start, end, null, 0, checksum);
  }

  /** Reads a file of `size` bytes from an open descriptor, computing the checksum when asked. */
  static ofFile(fd: number, size: number, checksum: boolean): RdbReader {
    return new RdbReader(Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 16))), 0, 0, fd, size, checksum);
  }

  /** Input offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Makes n bytes available at pos, or throws the short-read error. */
  private need(n: number): void {
    if (this.end - this.pos >= n) return;
    if (this.fd === null || this.end - this.pos + this.fileLeft < n) throw new RdbError('Unexpected EOF reading RDB file', false);
    const buf = this.buf;
    if (this.crc !== null) this.crc.update(buf, this.crcPos, this.pos);
    const keep = this.end - this.pos;
    const nb = n > buf.length ? Buffer.allocUnsafe(Math.max(n, CHUNK)) : buf;
    buf.copy(nb, 0, this.pos, this.end);
    this.base += this.pos;
    this.buf = nb;
    this.pos = 0;
    this.crcPos = 0;
    this.end = keep;
    while (this.end < n || (this.end < nb.length && this.fileLeft > 0)) {
      const want = Math.min(nb.length - this.end, this.fileLeft);
      if (want === 0) break;
      let got: number;
      try {
        got = fs.readSync(this.fd, nb, this.end, want, null);
      } catch (e) {
        throw new RdbError(`Unexpected EOF reading RDB file (${(e as Error).message})`, false);
      }
      if (got === 0) {
        this.fileLeft = 0;
        break;
      }
      this.end += got;
      this.fileLeft -= got;
    }
    if (this.end < n) throw new RdbError('Unexpected EOF reading RDB file', false);
  }

  /** Folds everything read so far into the checksum (call before reading the stored checksum). */
  checksumSoFar(): Crc64 | null {
    if (this.crc !== null) {
      this.crc.update(this.buf, this.crcPos, this.pos);
      this.crcPos = this.pos;
    }
    return this.crc;
  }

  /** True when nothing is left to read. */
  atEnd(): boolean {
    return this.pos === this.end && this.fileLeft === 0;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  /** n raw bytes: a view valid until the next read. */
  raw(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** rdbLoadLenByRef: a length, or a special encoding's number (then `encoded` is true). */
  lenOrEncoding(): number {
    const c = this.u8();
    const kind = c >>> 6;
    this.encoded = false;
    if (kind === R.LEN_ENCVAL) {
      this.encoded = true;
      return c & 0x3f;
    }
    if (kind === R.LEN_6BIT) return c & 0x3f;
    if (kind === R.LEN_14BIT) return ((c & 0x3f) << 8) | this.u8();
    if (c === R.LEN_32BIT) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (c === R.LEN_64BIT) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbError(`Length ${v} too big`);
      return Number(v);
    }
    throw new RdbError(`Unknown length encoding ${kind} in rdbLoadLen()`);
  }

  /** A plain length (rdbLoadLen with no encoded value allowed). */
  len(): number {
    const n = this.lenOrEncoding();
    if (this.encoded) throw new RdbError(`Unknown length encoding ${3} in rdbLoadLen()`);
    return n;
  }

  /** A length read as an unsigned 64-bit value (stream IDs and counters). */
  lenU64(): U64 {
    const c = this.u8();
    if (c === R.LEN_64BIT) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return big2u64(v);
    }
    this.pos--;
    return this.len();
  }

  /** rdbLoadMillisecondTime: int64 little-endian. */
  millis(): number {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  /** rdbLoadTime (old EXPIRETIME): int32 seconds, little-endian. */
  seconds32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** rdbLoadBinaryDoubleValue */
  binaryDouble(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** rdbLoadDoubleValue (RDB_TYPE_ZSET): a length byte (253 nan, 254 +inf, 255 -inf) and the text. */
  textDouble(): number {
    const n = this.u8();
    if (n === 255) return -Infinity;
    if (n === 254) return Infinity;
    if (n === 253) return NaN;
    const text = this.raw(n).toString('latin1');
    const v = scanDouble(text);
    if (v === null) throw new RdbError('Error reading double value');
    return v;
  }

  /** An integer-encoded string's value. */
  private encodedInt(enc: number): number {
    if (enc === R.ENC_INT8) {
      this.need(1);
      return this.buf.readInt8(this.pos++);
    }
    if (enc === R.ENC_INT16) {
      this.need(2);
      const v = this.buf.readInt16LE(this.pos);
      this.pos += 2;
      return v;
    }
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** An LZF-compressed string's bytes. */
  private lzf(): Buffer {
    const clen = this.len();
    const len = this.len();
    if (len > clen * LZF_MAX_RATIO + 64) throw new RdbError('Invalid LZF compressed string');
    this.need(clen);
    const out = lzfDecompress(this.buf, this.pos, this.pos + clen, len);
    this.pos += clen;
    if (out === null) throw new RdbError('Invalid LZF compressed string');
    return out;
  }

  /**
   * rdbGenericLoadStringObject: a string's bytes. A view of the input for a
   * plain string (valid until the next read), else a new buffer.
   */
  blob(): Buffer {
    const n = this.lenOrEncoding();
    if (this.encoded) {
      if (n <= R.ENC_INT32) return Buffer.from(String(this.encodedInt(n)), 'latin1');
      if (n === R.ENC_LZF) return this.lzf();
      throw new RdbError(`Unknown RDB string encoding type ${n}`);
    }
    return this.raw(n);
  }

  /** A string as a latin1 JS string. */
  string(): string {
    const n = this.lenOrEncoding();
    if (this.encoded) {
      if (n <= R.ENC_INT32) return String(this.encodedInt(n));
      if (n === R.ENC_LZF) return this.lzf().toString('latin1');
      throw new RdbError(`Unknown RDB string encoding type ${n}`);
    }
    if (n === 0) return '';
    this.need(n);
    const s = this.buf.latin1Slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A string value (RDB_TYPE_STRING): an int-encoded one as a number, a big one as a ByteString. */
  stringValue(): string | number | ByteString {
    const n = this.lenOrEncoding();
    if (this.encoded) {
      if (n <= R.ENC_INT32) return this.encodedInt(n);
      if (n === R.ENC_LZF) {
        const b = this.lzf();
        return b.length >= BIG_STRING ? new ByteString(b, b.length) : b.toString('latin1');
      }
      throw new RdbError(`Unknown RDB string encoding type ${n}`);
    }
    this.need(n);
    const start = this.pos;
    this.pos += n;
    if (n < BIG_STRING) return this.buf.latin1Slice(start, start + n);
    const b = Buffer.alloc(n);
    this.buf.copy(b, 0, start, start + n);
    return new ByteString(b, n);
  }
}

export { RdbError, EmptyKeyError };

/** sscanf("%lg"): the number at the start of the text, or null. */
function scanDouble(text: string): number | null {
  const t = text.trimStart();
  const m = /^[+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/i.exec(t);
  if (m === null) return null;
  return strtod(m[0]);
}

// ---------------------------------------------------------------------------
// Values

/** What value loading needs from the server. */
export interface LoadContext {
  /** The encoding thresholds. */
  limits: EncodingLimits;
  /**
   * Called for each compact blob validated in depth when sanitize-dump-payload
   * asks for it (INFO dump_payload_sanitizations); null otherwise. Spinel
   * reads every entry either way, as it converts them.
   */
  onSanitize: (() => void) | null;
}

/** rdbLoadObject: the value of the given type, converted to Spinel's structures. */
export function readValue(r: RdbReader, type: number, ctx: LoadContext): RObj {
  switch (type) {
    case R.T_STRING: {
      const v = r.stringValue();
      if (typeof v === 'number') return new RObj(ObjType.String, Enc.Int, v, 0);
      if (typeof v === 'string') return createStringObject(v);
      return new RObj(ObjType.String, Enc.Raw, v, 0);
    }
    case R.T_LIST:
      return listOf(ListValue.fromPushes(readStrings(r, r.len()), ctx.limits.listFill, true));
    case R.T_SET:
      return readSet(r, ctx);
    case R.T_ZSET:
    case R.T_ZSET_2:
      return readZset(r, type, ctx);
    case R.T_HASH:
      return readHash(r, ctx);
    case R.T_LIST_QUICKLIST:
    case R.T_LIST_QUICKLIST_2:
      return readQuicklist(r, type, ctx);
    case R.T_STREAM_LISTPACKS:
    case R.T_STREAM_LISTPACKS_2:
    case R.T_STREAM_LISTPACKS_3:
      return new RObj(ObjType.Stream, Enc.Stream, readStream(r, type, ctx), 0);
    case R.T_MODULE_PRE_GA:
    case R.T_MODULE_2: {
      const id = r.lenU64();
      throw new RdbError(`The RDB file contains module data I can't load: no matching module type '${moduleTypeName(id)}'`);
    }
    case R.T_HASH_ZIPMAP:
    case R.T_LIST_ZIPLIST:
    case R.T_SET_INTSET:
    case R.T_ZSET_ZIPLIST:
    case R.T_HASH_ZIPLIST:
    case R.T_HASH_LISTPACK:
    case R.T_ZSET_LISTPACK:
    case R.T_SET_LISTPACK:
      return readBlobValue(r, type, ctx);
  }
  throw new RdbError(`Unknown RDB encoding type ${type}`);
}

/** The 9-character name of a module type from its 64-bit id (moduleTypeNameByID). */
function moduleTypeName(id: U64): string {
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let v = BigInt(id) >> 10n;
  let name = '';
  for (let j = 0; j < 9; j++) {
    name = charset[Number(v & 63n)] + name;
    v >>= 6n;
  }
  return name;
}

function readStrings(r: RdbReader, n: number): string[] {
  if (n === 0) throw new EmptyKeyError();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.string());
  return out;
}

function listOf(l: ListValue): RObj {
  if (l.size === 0) throw new EmptyKeyError();
  return new RObj(ObjType.List, l.enc, l, 0);
}

function setOf(s: SetValue): RObj {
  return new RObj(ObjType.Set, s.enc, s, 0);
}

/** RDB_TYPE_SET: members one by one, into the encoding Redis's loader picks. */
function readSet(r: RdbReader, ctx: LoadContext): RObj {
  const n = r.len();
  if (n === 0) throw new EmptyKeyError();
  const l = ctx.limits.set;
  const maxIntset = l.intsetEntries >= 1 << 30 ? 1 << 30 : l.intsetEntries;
  const s = new SetValue(n > maxIntset ? Enc.Hashtable : Enc.Intset);
  for (let i = 0; i < n; i++) {
    if (!s.add(r.string(), l)) throw new RdbError('Duplicate set members detected');
  }
  if (s.enc !== Enc.Hashtable) s.fit();
  return setOf(s);
}

/** RDB_TYPE_ZSET / ZSET_2: (member, score) pairs in any order (Redis writes them from the highest down). */
function readZset(r: RdbReader, type: number, ctx: LoadContext): RObj {
  const n = r.len();
  if (n === 0) throw new EmptyKeyError();
  const ms: string[] = [];
  const ss: number[] = [];
  for (let i = 0; i < n; i++) {
    ms.push(r.string());
    const score = type === R.T_ZSET_2 ? r.binaryDouble() : r.textDouble();
    if (Number.isNaN(score)) throw new RdbError('Zset with NAN score detected');
    ss.push(score);
  }
  return zsetOf(ms, ss, ctx, true, 'Duplicate zset fields detected');
}

/**
 * A sorted set from pairs in any order: distinct members checked, pairs
 * sorted, then the listpack form when it fits the limits (checkLengths:
 * member lengths too, as Redis checks them only when it converts a loaded
 * skiplist), else the big form.
 */
function zsetOf(ms: string[], ss: number[], ctx: LoadContext, checkLengths: boolean, dupMessage: string): RObj {
  const n = ms.length;
  const seen = new Dict<true>();
  let maxLen = 0;
  for (let i = 0; i < n; i++) {
    const m = ms[i];
    seen.set(m, true);
    if (seen.size !== i + 1) throw new RdbError(dupMessage);
    if (m.length > maxLen) maxLen = m.length;
  }
  // Saved from the highest down (ZSET_2) or in order (listpacks): reverse or keep in O(n), else sort.
  let ascending = true;
  let descending = true;
  for (let i = 1; i < n && (ascending || descending); i++) {
    const c = ss[i - 1] - ss[i] || (ms[i - 1] < ms[i] ? -1 : 1);
    if (c > 0) ascending = false;
    else descending = false;
  }
  if (!ascending) {
    if (descending) {
      ms.reverse();
      ss.reverse();
    } else {
      const idx = ms.map((_, i) => i).sort((a, b) => ss[a] - ss[b] || (ms[a] < ms[b] ? -1 : ms[a] > ms[b] ? 1 : 0));
      const m2 = idx.map((i) => ms[i]);
      const s2 = idx.map((i) => ss[i]);
      ms = m2;
      ss = s2;
    }
  }
  const small = n <= ctx.limits.zsetEntries && (!checkLengths || maxLen <= ctx.limits.zsetValue);
  if (small) return new RObj(ObjType.ZSet, Enc.Listpack, ZSet.fromSorted(ms, ss), 0);
  return new RObj(ObjType.ZSet, Enc.Skiplist, ZSet.fromSortedBig(ms, ss), 0);
}

/** RDB_TYPE_HASH: pairs one by one, listpack until a limit is passed (hashTypeSet's rules). */
function readHash(r: RdbReader, ctx: LoadContext): RObj {
  const n = r.len();
  if (n === 0) throw new EmptyKeyError();
  const h = new HashValue();
  for (let i = 0; i < n; i++) {
    const f = r.string();
    const v = r.string();
    if (!h.set(f, v, ctx.limits.hash)) throw new RdbError('Duplicate hash fields detected');
  }
  return new RObj(ObjType.Hash, h.enc, h, 0);
}

/** RDB_TYPE_LIST_QUICKLIST (ziplist nodes) / QUICKLIST_2 (listpack or plain nodes). */
function readQuicklist(r: RdbReader, type: number, ctx: LoadContext): RObj {
  const n = r.len();
  if (n === 0) throw new EmptyKeyError();
  const nodes: { items: string[]; plain: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    let container = R.QL_PACKED;
    if (type === R.T_LIST_QUICKLIST_2) {
      container = r.len();
      if (container !== R.QL_PACKED && container !== R.QL_PLAIN) throw new RdbError('Quicklist integrity check failed.');
    }
    const data = r.blob();
    if (data.length === 0) throw new RdbError('Quicklist node is empty');
    if (container === R.QL_PLAIN) {
      nodes.push({ items: [data.toString('latin1')], plain: true });
      continue;
    }
    if (type === R.T_LIST_QUICKLIST_2) ctx.onSanitize?.();
    const items = type === R.T_LIST_QUICKLIST_2 ? (decodeListpack(data) as string[] | null) : decodeZiplist(data);
    if (items === null) throw new RdbError(type === R.T_LIST_QUICKLIST_2 ? 'Listpack integrity check failed.' : 'Ziplist integrity check failed.');
    nodes.push({ items, plain: false });
  }
  return listOf(ListValue.fromNodes(nodes, ctx.limits.listFill));
}

/** Values stored as one blob: ziplists, zipmaps, intsets, listpacks. */
function readBlobValue(r: RdbReader, type: number, ctx: LoadContext): RObj {
  const data = r.blob();
  const l = ctx.limits;
  if (type === R.T_SET_INTSET || type === R.T_SET_LISTPACK || type === R.T_HASH_LISTPACK || type === R.T_ZSET_LISTPACK) ctx.onSanitize?.();
  switch (type) {
    case R.T_SET_INTSET: {
      const ints = decodeIntset(data);
      if (ints === null) throw new RdbError('Intset integrity check failed.');
      const s = new SetValue(Enc.Intset);
      s.a = ints;
      const max = l.set.intsetEntries >= 1 << 30 ? 1 << 30 : l.set.intsetEntries;
      if (ints.length > max) s.toHashtable();
      return setOf(s);
    }
    case R.T_SET_LISTPACK: {
      const items = decodeListpack(data) as string[] | null;
      if (items === null || !distinct(items, 1)) throw new RdbError('Set listpack integrity check failed.');
      if (items.length === 0) throw new EmptyKeyError();
      const s = new SetValue(Enc.Listpack);
      s.a = items;
      if (items.length > l.set.listpackEntries) s.toHashtable();
      return setOf(s);
    }
    case R.T_LIST_ZIPLIST: {
      const items = decodeZiplist(data);
      if (items === null) throw new RdbError('List ziplist integrity check failed.');
      // Redis 7.2 leaves these a quicklist, however small.
      return listOf(ListValue.fromPushes(items, l.listFill, false));
    }
    case R.T_HASH_ZIPMAP: {
      const items = decodeZipmap(data);
      if (items === null) throw new RdbError('Zipmap integrity check failed.');
      if (!distinct(items, 2)) throw new RdbError('Hash zipmap with dup elements, or big length (0)');
      let maxLen = 0;
      for (const s of items) if (s.length > maxLen) maxLen = s.length;
      return hashOf(items, items.length / 2 > l.hash.listpackEntries || maxLen > l.hash.listpackValue, ctx);
    }
    case R.T_HASH_ZIPLIST:
    case R.T_HASH_LISTPACK: {
      const items = type === R.T_HASH_ZIPLIST ? decodeZiplist(data) : (decodeListpack(data) as string[] | null);
      const what = type === R.T_HASH_ZIPLIST ? 'Hash ziplist' : 'Hash listpack';
      if (items === null || items.length % 2 !== 0 || !distinct(items, 2)) throw new RdbError(`${what} integrity check failed.`);
      if (items.length === 0) throw new EmptyKeyError();
      return hashOf(items, items.length / 2 > l.hash.listpackEntries, ctx);
    }
    case R.T_ZSET_ZIPLIST:
    case R.T_ZSET_LISTPACK: {
      const items = type === R.T_ZSET_ZIPLIST ? decodeZiplist(data) : (decodeListpack(data) as string[] | null);
      const what = type === R.T_ZSET_ZIPLIST ? 'Zset ziplist' : 'Zset listpack';
      if (items === null || items.length % 2 !== 0) throw new RdbError(`${what} integrity check failed.`);
      if (items.length === 0) throw new EmptyKeyError();
      const ms: string[] = [];
      const ss: number[] = [];
      for (let i = 0; i < items.length; i += 2) {
        const score = strtod(items[i + 1]);
        if (score === null || Number.isNaN(score)) throw new RdbError(`${what} integrity check failed.`);
        ms.push(items[i]);
        ss.push(score);
      }
      return zsetOf(ms, ss, ctx, false, `${what} integrity check failed.`);
    }
  }
  throw new RdbError(`Unknown RDB encoding type ${type}`);
}

/** True if every `stride`-th item from the first is distinct (set members, hash fields). */
function distinct(items: readonly string[], stride: number): boolean {
  const seen = new Dict<true>();
  for (let i = 0; i < items.length; i += stride) {
    seen.set(items[i], true);
    if (seen.size * stride !== i + stride) return false;
  }
  return true;
}

/** A hash of distinct field/value pairs, as a listpack or (big) a hashtable. */
function hashOf(flat: string[], big: boolean, ctx: LoadContext): RObj {
  if (!big) {
    const h = HashValue.listpack(flat);
    return new RObj(ObjType.Hash, Enc.Listpack, h, 0);
  }
  // Limits of 0 entries make every set() land in the hashtable.
  const h = new HashValue();
  const toTable = { listpackEntries: 0, listpackValue: ctx.limits.hash.listpackValue };
  for (let i = 0; i < flat.length; i += 2) h.set(flat[i], flat[i + 1], toTable);
  return new RObj(ObjType.Hash, h.enc, h, 0);
}

// ---------------------------------------------------------------------------
// Streams

function readStreamIdKey(b: Buffer): StreamId {
  return new StreamId(big2u64(b.readBigUInt64BE(0)), big2u64(b.readBigUInt64BE(8)));
}

/** (base + delta) mod 2^64, the delta a signed 64-bit listpack integer. */
function addDelta(base: U64, delta: number | bigint): U64 {
  if (typeof base === 'number' && typeof delta === 'number') {
    const v = base + delta;
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER) return v;
  }
  return big2u64(BigInt.asUintN(64, BigInt(base) + BigInt(delta)));
}

const STREAM_LP_BAD = 'Stream listpack integrity check failed.';

/** An integer item of a stream listpack (streamValidateListpackIntegrity's lpGetIntegerIfValid). */
function intItem(items: (string | number | bigint)[], i: number): number | bigint {
  const v = i < items.length ? items[i] : undefined;
  if (typeof v !== 'number' && typeof v !== 'bigint') throw new RdbError(STREAM_LP_BAD);
  return v;
}

function strItem(items: (string | number | bigint)[], i: number): string {
  if (i >= items.length) throw new RdbError(STREAM_LP_BAD);
  const v = items[i];
  return typeof v === 'string' ? v : String(v);
}

/**
 * The entries of one stream listpack node (streamValidateListpackIntegrity):
 * master entry (count, deleted, fields, 0), then per entry flags, ID deltas
 * from the node key, [field count, fields], values and the item count.
 */
function readNodeEntries(lp: Buffer, key: StreamId): { fields: string[]; entries: LoadedEntry[]; live: number } {
  const items = decodeListpack(lp, 0, lp.length, true);
  if (items === null) throw new RdbError(STREAM_LP_BAD);
  if (items.length === 0) throw new RdbError('Empty listpack inside stream');
  let i = 0;
  const count = intItem(items, i++);
  const deleted = intItem(items, i++);
  const nf = intItem(items, i++);
  if (typeof nf !== 'number' || nf < 0 || nf > items.length) throw new RdbError(STREAM_LP_BAD);
  const fields: string[] = [];
  for (let k = 0; k < nf; k++) fields.push(strItem(items, i++));
  if (intItem(items, i++) !== 0) throw new RdbError(STREAM_LP_BAD);
  const entries: LoadedEntry[] = [];
  let live = 0;
  while (i < items.length) {
    const flags = intItem(items, i++);
    const msd = intItem(items, i++);
    const seqd = intItem(items, i++);
    if (typeof flags !== 'number') throw new RdbError(STREAM_LP_BAD);
    const same = (flags & R.STREAM_ITEM_SAMEFIELDS) !== 0;
    let n = nf;
    let own: string[] | null = null;
    if (!same) {
      const c = intItem(items, i++);
      if (typeof c !== 'number' || c < 0 || c > items.length) throw new RdbError(STREAM_LP_BAD);
      n = c;
      own = [];
    }
    const values: string[] = [];
    for (let k = 0; k < n; k++) {
      if (own !== null) own.push(strItem(items, i++));
      values.push(strItem(items, i++));
    }
    if (intItem(items, i++) !== n + 3 + (same ? 0 : n + 1)) throw new RdbError(STREAM_LP_BAD);
    const del = (flags & R.STREAM_ITEM_DELETED) !== 0;
    if (!del) live++;
    entries.push({ deleted: del, ms: addDelta(key.ms, msd), seq: addDelta(key.seq, seqd), fields: own, values });
  }
  if (entries.length !== Number(count) + Number(deleted) || live !== Number(count)) throw new RdbError(STREAM_LP_BAD);
  return { fields, entries, live };
}

/** RDB_TYPE_STREAM_LISTPACKS (1, 2 and 3): nodes, counters, consumer groups. */
function readStream(r: RdbReader, type: number, ctx: LoadContext): Stream {
  const s = new Stream();
  const nodeCount = r.len();
  const loaded: { key: StreamId; fields: string[]; entries: LoadedEntry[]; live: number }[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const keyBytes = r.blob();
    if (keyBytes.length !== 16) throw new RdbError('Stream node key entry is not the size of a stream ID');
    const key = readStreamIdKey(keyBytes);
    const lp = r.blob();
    ctx.onSanitize?.();
    loaded.push({ key, ...readNodeEntries(lp, key) });
  }
  // Nodes in ID order (a radix tree sorts them); every entry within its node's range.
  loaded.sort((a, b) => a.key.cmp(b.key));
  let live = 0;
  let lastMs: U64 = 0;
  let lastSeq: U64 = 0;
  let any = false;
  for (let i = 0; i < loaded.length; i++) {
    const n = loaded[i];
    if (i > 0 && n.key.cmp(loaded[i - 1].key) === 0) throw new RdbError('Listpack re-added with existing key');
    const next = i + 1 < loaded.length ? loaded[i + 1].key : null;
    for (const e of n.entries) {
      if (cmpId(e.ms, e.seq, n.key.ms, n.key.seq) < 0) throw new RdbError(STREAM_LP_BAD);
      if (next !== null && cmpId(e.ms, e.seq, next.ms, next.seq) >= 0) throw new RdbError(STREAM_LP_BAD);
      if (any && cmpId(e.ms, e.seq, lastMs, lastSeq) <= 0) throw new RdbError(STREAM_LP_BAD);
      lastMs = e.ms;
      lastSeq = e.seq;
      any = true;
    }
    if (n.live === 0) throw new RdbError('Empty listpack inside stream');
    live += n.live;
    s.addLoadedNode(buildNode(n.key.ms, n.key.seq, n.fields, n.entries));
  }
  const length = r.len();
  s.length = length;
  s.lastId = new StreamId(r.lenU64(), r.lenU64());
  if (type >= R.T_STREAM_LISTPACKS_2) {
    s.firstId = new StreamId(r.lenU64(), r.lenU64());
    s.maxDeletedId = new StreamId(r.lenU64(), r.lenU64());
    s.entriesAdded = r.lenU64();
  } else {
    s.maxDeletedId = ZERO_ID;
    s.entriesAdded = length;
    s.firstId = length === 0 ? ZERO_ID : s.edgeId(true, true);
  }
  if (length !== 0 && loaded.length === 0) throw new RdbError('Stream length inconsistent with rax entries');
  if (length !== live) throw new RdbError('Stream length inconsistent with its entries');
  if (any && cmpId(lastMs, lastSeq, s.lastId.ms, s.lastId.seq) > 0) throw new RdbError('Stream last ID smaller than its entries');
  const groupCount = r.len();
  for (let g = 0; g < groupCount; g++) {
    const name = r.string();
    const lastId = new StreamId(r.lenU64(), r.lenU64());
    let entriesRead: U64;
    if (type >= R.T_STREAM_LISTPACKS_2) {
      const v = r.lenU64();
      // A long long in Redis: 2^64 - 1 is SCG_INVALID_ENTRIES_READ (-1).
      entriesRead = typeof v === 'bigint' && v > 9223372036854775807n ? big2u64(BigInt.asIntN(64, v)) : v;
    } else {
      entriesRead = s.estimateDistance(lastId);
    }
    if (s.groups?.has(name)) throw new RdbError(`Duplicated consumer group name ${name}`);
    const cg = new ConsumerGroup(lastId, entriesRead === -1 ? INVALID_ENTRIES_READ : entriesRead);
    s.addGroup(name, cg);
    const pelSize = r.len();
    for (let i = 0; i < pelSize; i++) {
      const id = readStreamIdKey(r.raw(16));
      const deliveryTime = r.millis();
      const deliveryCount = r.lenU64();
      if (!cg.pel.set(id.ms, id.seq, new Nack(deliveryTime, deliveryCount, null))) {
        throw new RdbError('Duplicated global PEL entry loading stream consumer group');
      }
    }
    const consumerCount = r.len();
    for (let i = 0; i < consumerCount; i++) {
      const cname = r.string();
      if (cg.consumers.has(cname)) throw new RdbError('Duplicate stream consumer detected.');
      const seen = r.millis();
      const active = type >= R.T_STREAM_LISTPACKS_3 ? r.millis() : seen;
      const c = new Consumer(cname, seen, active);
      cg.addConsumer(c);
      const n = r.len();
      for (let k = 0; k < n; k++) {
        const id = readStreamIdKey(r.raw(16));
        const nack = cg.pel.get(id.ms, id.seq);
        if (nack === undefined) throw new RdbError('Consumer entry not found in group global PEL');
        if (nack.consumer !== null) throw new RdbError('Duplicated consumer PEL entry  loading a stream consumer group');
        nack.consumer = c;
        c.pel.set(id.ms, id.seq, nack);
      }
    }
    for (const [, , nack] of cg.pel.entries()) {
      if (nack.consumer === null) throw new RdbError('Stream CG PEL entry without consumer');
    }
  }
  return s;
}

// ---------------------------------------------------------------------------
// Whole files

/** A database as loaded, before it replaces (or joins) the live one. */
export interface LoadedDb {
  dict: Dict<RObj>;
  expires: Dict<number>;
}

export interface LoadResult {
  /** By db index; only the dbs the file has keys for. */
  dbs: Map<number, LoadedDb>;
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  version: number;
  /** The code of each function library (RDB_OPCODE_FUNCTION2), loaded by the caller. */
  functions: string[];
}

export interface FileLoadOptions extends LoadContext {
  /** Number of databases: a key for a db beyond is fatal. */
  databases: number;
  /** The command clock, ms: keys whose expire is before it are not loaded. */
  now: number;
  /** LRU clock (seconds, 24 bits) and the LFU setting, for the IDLE/FREQ opcodes. */
  lruClock: number;
  /** Under an LFU policy: the object's lru field for a loaded counter. */
  lfuField: ((counter: number) => number) | null;
  /** A fresh object's lru field. */
  freshLru: number;
  /** rdbchecksum, and DEBUG SET-SKIP-CHECKSUM-VALIDATION off. */
  verifyChecksum: boolean;
  /** Messages Redis logs while loading (aux fields, skipped keys). */
  notice(msg: string): void;
}

/**
 * rdbLoadRio: reads a whole RDB into new databases. Throws RdbError; the
 * live keyspace is not touched.
 */
export function loadRdb(r: RdbReader, opts: FileLoadOptions): LoadResult {
  const magic = r.raw(9).toString('latin1');
  if (magic.slice(0, 5) !== 'REDIS') throw new RdbError('Wrong signature trying to load DB from file');
  const version = /^[0-9]+/.test(magic.slice(5)) ? parseInt(magic.slice(5), 10) : 0;
  if (version < 1 || version > R.RDB_VERSION) throw new RdbError(`Can't handle RDB format version ${version}`);
  const res: LoadResult = { dbs: new Map(), keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, version, functions: [] };
  let db: LoadedDb | null = null;
  let dbid = 0;
  let expire = -1;
  let lfuFreq = -1;
  let lruIdle = -1;
  const dbFor = (id: number): LoadedDb => {
    let d = res.dbs.get(id);
    if (d === undefined) {
      d = { dict: new Dict(), expires: new Dict() };
      res.dbs.set(id, d);
    }
    return d;
  };
  for (;;) {
    const type = r.u8();
    if (type === R.OP_EXPIRETIME) {
      expire = r.seconds32() * 1000;
      continue;
    } else if (type === R.OP_EXPIRETIME_MS) {
      expire = r.millis();
      continue;
    } else if (type === R.OP_FREQ) {
      lfuFreq = r.u8();
      continue;
    } else if (type === R.OP_IDLE) {
      lruIdle = r.len();
      continue;
    } else if (type === R.OP_EOF) {
      break;
    } else if (type === R.OP_SELECTDB) {
      dbid = r.len();
      if (dbid >= opts.databases) {
        throw new RdbError(`FATAL: Data file was created with a Redis server configured to handle more than ${opts.databases} databases. Exiting\n`);
      }
      db = null;
      continue;
    } else if (type === R.OP_RESIZEDB) {
      r.len();
      r.len();
      continue;
    } else if (type === R.OP_AUX) {
      const k = r.string();
      const v = r.string();
      auxField(k, v, opts);
      continue;
    } else if (type === R.OP_MODULE_AUX) {
      const id = r.lenU64();
      throw new RdbError(`The RDB file contains AUX module data I can't load: no matching module '${moduleTypeName(id)}'`);
    } else if (type === R.OP_FUNCTION_PRE_GA) {
      throw new RdbError('Pre-release function format not supported.');
    } else if (type === R.OP_FUNCTION2) {
      res.functions.push(r.string());
      continue;
    }
    const key = r.string();
    let o: RObj;
    try {
      o = readValue(r, type, opts);
    } catch (e) {
      if (!(e instanceof EmptyKeyError)) throw e;
      if (res.emptyKeysSkipped++ < 10) opts.notice(`rdbLoadObject skipping empty key: ${key}`);
      expire = lfuFreq = lruIdle = -1;
      continue;
    }
    if (expire !== -1 && expire < opts.now) {
      res.keysExpired++;
    } else {
      if (db === null) db = dbFor(dbid);
      const before = db.dict.size;
      db.dict.set(key, o);
      if (db.dict.size === before) throw new RdbError(`RDB has duplicated key '${key}' in DB ${dbid}`);
      res.keysLoaded++;
      if (expire !== -1) db.expires.set(key, expire);
      o.lru = objectLru(lfuFreq, lruIdle, opts.lruClock, opts.lfuField, opts.freshLru);
    }
    expire = lfuFreq = lruIdle = -1;
  }
  if (version >= 5) {
    const sum = r.checksumSoFar();
    const stored = r.raw(8);
    if (opts.verifyChecksum && sum !== null) {
      if (stored.every((x) => x === 0)) opts.notice('RDB file was saved with checksum disabled: no check performed.');
      else if (!sum.equalsLE(stored, 0)) {
        const got = stored.readBigUInt64LE(0).toString(16);
        throw new RdbError(`Wrong RDB checksum expected: (${sum.value().toString(16)}) but got (${got}). Aborting now.\nRDB CRC error`);
      }
    }
  }
  return res;
}

/** Logs what Redis logs of the aux fields it knows; ignores the rest. */
function auxField(k: string, v: string, opts: FileLoadOptions): void {
  const key = k.toLowerCase();
  if (k.startsWith('%')) opts.notice(`RDB '${k}': ${v}`);
  else if (key === 'redis-ver') opts.notice(`Loading RDB produced by version ${v}`);
  else if (key === 'ctime') {
    let age = Math.floor(Date.now() / 1000) - (parseInt(v, 10) || 0);
    if (age < 0) age = 0;
    opts.notice(`RDB age ${age} seconds`);
  } else if (key === 'used-mem') {
    opts.notice(`RDB memory usage when created ${((parseInt(v, 10) || 0) / (1024 * 1024)).toFixed(2)} Mb`);
  } else if (key === 'aof-preamble') {
    if (parseInt(v, 10)) opts.notice('RDB has an AOF tail');
  } else if (key === 'aof-base') {
    if (parseInt(v, 10)) opts.notice('RDB is base AOF');
  }
}

/**
 * objectSetLRUOrLFU: a loaded counter under an LFU policy, else a loaded
 * idle time (LRU clock minus the idle seconds, wrapping), else a fresh value.
 */
export function objectLru(lfuFreq: number, lruIdle: number, lruClock: number, lfuField: ((c: number) => number) | null, fresh: number): number {
  if (lfuField !== null) return lfuFreq >= 0 ? lfuField(lfuFreq) : fresh;
  if (lruIdle < 0) return fresh;
  const abs = lruClock - lruIdle;
  if (abs >= 0) return abs;
  // Wrapped clock (LRU_CLOCK_MAX is 2^24 - 1); the 24-bit field truncates like C's.
  return (lruClock + (0xffffff - lruIdle)) % 0xffffff;
}
