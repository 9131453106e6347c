// DEBUG (the subcommands that make sense without RDB/AOF persistence) and
// LOLWUT.
//
// DEBUG is refused unless `enable-debug-command` allows it; that check is in
// the dispatcher (like Redis's CMD_PROTECTED check in processCommand), so the
// handler here only runs when it is allowed.
//
// DEBUG DIGEST / DIGEST-VALUE reproduce Redis's algorithm exactly: per key a
// SHA1 chain over the key, the type, the value and an expire marker, xored
// into the dataset digest; ordered data (lists, strings) is mixed, unordered
// data (set members, hash fields, zset members) is xored. Sorted-set scores
// are formatted like Redis 7.2 (shortest round-trip, fpconv_dtoa).
//
// DEBUG OBJECT's serializedlength is what Redis's RDB writer would produce:
// integer encodings, LZF compression above 20 bytes and length prefixes, with
// compact values written as the listpack/intset blobs Redis would write (built
// here from the elements; a quicklist uses the node layout the list module
// models). Streams are not covered. "Value at" is a stable per-value pseudo
// address.

import crypto from 'node:crypto';
import type { Client } from '../server/client.js';
import type { Db } from '../db/keyspace.js';
import { lruClock } from '../db/keyspace.js';
import { RObj, ObjType, Enc, ENC_NAMES, EMBSTR_LIMIT } from '../db/robj.js';
import { type Stream, redisListpackItems } from '../types/stream.js';
import type { HandlerMap } from './types.js';
import { ERR_NOT_INT, replyHelp } from './util.js';
import { isSharedInteger, SHARED_REFCOUNT } from './keys.js';
import { parseInt64, formatDouble, fpconvDtoa } from '../protocol/format.js';
import { globMatch } from '../util/glob.js';
import { SPINEL_VERSION } from '../version.js';
import { ByteString, stringOf, type StringValue } from '../types/bytes.js';

// ---------------------------------------------------------------------------
// Digest

const ZERO_DIGEST = '0000000000000000000000000000000000000000';
const EXPIRE_MARK = Buffer.from('!!expire!!', 'latin1');

function sha1(data: Buffer): Buffer {
  return crypto.createHash('sha1').update(data).digest();
}

/** digest ^= SHA1(data): order-independent accumulation. */
export function xorDigest(digest: Buffer, data: Buffer | string): void {
  const h = sha1(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  for (let i = 0; i < 20; i++) digest[i] ^= h[i];
}

/** digest = SHA1(digest ^ SHA1(data)): order-dependent accumulation. */
export function mixDigest(digest: Buffer, data: Buffer | string): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}


function stringValue(o: RObj): string {
  return stringOf(o.value as StringValue);
}

/** Mixes the type, value and expire flag of one key into `digest` (Redis's xorObjectDigest). */
function objectDigest(db: Db, key: string, o: RObj, digest: Buffer): void {
  mixDigest(digest, u32be(o.type));
  switch (o.type) {
    case ObjType.String:
      mixDigest(digest, o.value instanceof ByteString ? o.value.view() : stringValue(o));
      break;
    case ObjType.List:
      for (const el of o.value as Iterable<string>) mixDigest(digest, el);
      break;
    case ObjType.Set:
      for (const m of o.value as Iterable<string>) xorDigest(digest, m);
      break;
    case ObjType.ZSet: {
      const ele = Buffer.alloc(20);
      for (const [m, score] of o.value as Iterable<[string, number]>) {
        ele.fill(0);
        mixDigest(ele, m);
        mixDigest(ele, fpconvDtoa(score));
        xorDigest(digest, ele);
      }
      break;
    }
    case ObjType.Hash: {
      const ele = Buffer.alloc(20);
      for (const [f, v] of o.value as Iterable<[string, string]>) {
        ele.fill(0);
        mixDigest(ele, f);
        mixDigest(ele, v);
        xorDigest(digest, ele);
      }
      break;
    }
    case ObjType.Stream:
      // Entries in order: "<ms>.<seq>", then each field and value (consumer groups take no part).
      for (const [id, pairs] of o.value as Iterable<[{ ms: unknown; seq: unknown }, string[]]>) {
        mixDigest(digest, `${id.ms}.${id.seq}`);
        for (const x of pairs) mixDigest(digest, x);
      }
      break;
  }
  if (db.expires.has(key)) xorDigest(digest, EXPIRE_MARK);
}

/** DEBUG DIGEST: the digest of every database (40 zeros when empty). */
export function datasetDigest(dbs: Db[]): string {
  const final = Buffer.alloc(20);
  const d = Buffer.alloc(20);
  for (let j = 0; j < dbs.length; j++) {
    const db = dbs[j];
    if (db.dict.size === 0) continue;
    mixDigest(final, u32be(j));
    for (const [key, o] of db.dict) {
      d.fill(0);
      mixDigest(d, key);
      objectDigest(db, key, o, d);
      xorDigest(final, d);
    }
  }
  return final.toString('hex');
}

/** DEBUG DIGEST-VALUE for one key (40 zeros if it does not exist; expired keys still count). */
export function valueDigest(db: Db, key: string): string {
  const o = db.dict.get(key);
  if (o === undefined) return ZERO_DIGEST;
  const d = Buffer.alloc(20);
  objectDigest(db, key, o, d);
  return d.toString('hex');
}

// ---------------------------------------------------------------------------
// RDB lengths (DEBUG OBJECT serializedlength)

/**
 * LZF compression as Redis's bundled liblzf 3.6 does it (HLOG 16, VERY_FAST,
 * a zeroed hash table), returning the compressed size, or 0 when the output
 * would not fit in `outLen` bytes.
 */
export function lzfCompressedLength(input: Buffer, outLen: number): number {
  const inLen = input.length;
  if (inLen === 0 || outLen === 0) return 0;
  const HSIZE = 1 << 16;
  const MAX_LIT = 1 << 5;
  const MAX_OFF = 1 << 13;
  const MAX_REF = (1 << 8) + (1 << 3);
  // Positions + 1 (0 = empty slot).
  const htab = new Int32Array(HSIZE);
  const idx = (h: number): number => (((h >>> 8) - Math.imul(h, 5)) >>> 0) & (HSIZE - 1);
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run
  let hval = ((input[0] << 8) | input[1]) >>> 0;
  while (ip < inLen - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = idx(hval);
    const ref = htab[slot] - 1;
    htab[slot] = ip + 1;
    let off: number;
    if (
      ref >= 0 &&
      ref < ip &&
      (off = ip - ref - 1) < MAX_OFF &&
      ref > 0 &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inLen - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outLen) {
        if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return 0;
      }
      op -= lit === 0 ? 1 : 0; // undo an empty run
      // liblzf compares 16 bytes unrolled (without the maxlen bound) before its bounded loop.
      let mismatch = false;
      if (maxlen > 16) {
        for (let u = 0; u < 16; u++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            mismatch = true;
            break;
          }
        }
      }
      if (!mismatch) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2;
      ip++;
      op += len < 7 ? 1 : 2;
      op++; // offset low byte
      lit = 0;
      op++; // start run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      ip -= 2;
      hval = ((input[ip] << 8) | input[ip + 1]) >>> 0;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = ip + 1;
      ip++;
    } else {
      if (op >= outLen) return 0;
      lit++;
      op++;
      ip++;
      if (lit === MAX_LIT) {
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return 0;
  while (ip < inLen) {
    lit++;
    op++;
    ip++;
    if (lit === MAX_LIT) {
      lit = 0;
      op++;
    }
  }
  op -= lit === 0 ? 1 : 0;
  return op;
}

/** Bytes of an RDB length prefix. */
function rdbLenBytes(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9;
}

/** Bytes of an integer in RDB's special integer encodings, or 0 if it does not fit 32 bits. */
function rdbIntBytes(v: number): number {
  if (v >= -128 && v <= 127) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 0;
}

/** Bytes Redis's rdbSaveRawString writes for a string (rdbcompression on). */
export function rdbStringLength(s: string, compress = true): number {
  const len = s.length;
  if (len <= 11) {
    const v = parseInt64(s);
    if (v !== null && typeof v === 'number' && String(v) === s) {
      const n = rdbIntBytes(v);
      if (n > 0) return n;
    }
  }
  if (compress && len > 20) {
    const c = lzfCompressedLength(Buffer.from(s, 'latin1'), len - 4);
    if (c > 0) return 1 + rdbLenBytes(c) + rdbLenBytes(len) + c;
  }
  return rdbLenBytes(len) + len;
}

/** Bytes of rdbSaveRawString for a binary blob (listpack, intset): LZF above 20 bytes. */
function rdbBlobLength(b: Buffer, compress: boolean): number {
  const len = b.length;
  if (compress && len > 20) {
    const c = lzfCompressedLength(b, len - 4);
    if (c > 0) return 1 + rdbLenBytes(c) + rdbLenBytes(len) + c;
  }
  return rdbLenBytes(len) + len;
}

/** lpStringToInt64: canonical int64 text only ("0", "-5"; no '+', no leading zeros). */
function lpInt(s: string): bigint | null {
  if (s.length === 0 || s.length > 20 || !/^(-?[1-9][0-9]*|0)$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -9223372036854775808n && v <= 9223372036854775807n ? v : null;
}

/** Appends one listpack entry (encoding, data, backlen) to `out`. */
function lpAppendEntry(out: number[], s: string): void {
  const start = out.length;
  const v = lpInt(s);
  if (v !== null) {
    const n = Number(v);
    if (v >= 0n && v <= 127n) out.push(n);
    else if (v >= -4096n && v <= 4095n) {
      const u = n < 0 ? (1 << 13) + n : n;
      out.push((u >> 8) | 0xc0, u & 0xff);
    } else {
      const width = v >= -32768n && v <= 32767n ? 2 : v >= -8388608n && v <= 8388607n ? 3 : v >= -2147483648n && v <= 2147483647n ? 4 : 8;
      out.push(width === 2 ? 0xf1 : width === 3 ? 0xf2 : width === 4 ? 0xf3 : 0xf4);
      const u = BigInt.asUintN(width * 8, v);
      for (let i = 0; i < width; i++) out.push(Number((u >> BigInt(8 * i)) & 0xffn));
    }
  } else {
    const len = s.length;
    if (len < 64) out.push(0x80 | len);
    else if (len < 4096) out.push((len >> 8) | 0xe0, len & 0xff);
    else out.push(0xf0, len & 0xff, (len >>> 8) & 0xff, (len >>> 16) & 0xff, (len >>> 24) & 0xff);
    for (let i = 0; i < len; i++) out.push(s.charCodeAt(i));
  }
  const l = out.length - start;
  if (l <= 127) out.push(l);
  else if (l < 16383) out.push(l >> 7, (l & 127) | 128);
  else if (l < 2097151) out.push(l >> 14, ((l >> 7) & 127) | 128, (l & 127) | 128);
  else if (l < 268435455) out.push(l >> 21, ((l >> 14) & 127) | 128, ((l >> 7) & 127) | 128, (l & 127) | 128);
  else out.push(Math.floor(l / 2 ** 28), (l >> 21) & 127 | 128, ((l >> 14) & 127) | 128, ((l >> 7) & 127) | 128, (l & 127) | 128);
}

/** The listpack bytes of a sequence of entries. */
export function buildListpack(items: Iterable<string>): Buffer {
  const out: number[] = [0, 0, 0, 0, 0, 0];
  let n = 0;
  for (const s of items) {
    lpAppendEntry(out, s);
    n++;
  }
  out.push(0xff);
  const b = Buffer.from(out);
  b.writeUInt32LE(b.length, 0);
  b.writeUInt16LE(n < 65535 ? n : 65535, 4);
  return b;
}

/** The intset bytes of integer members: encoding width, count, sorted little-endian values. */
function buildIntset(members: Iterable<string>): Buffer {
  const vals = [...members].map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of vals) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const b = Buffer.alloc(8 + vals.length * width);
  b.writeUInt32LE(width, 0);
  b.writeUInt32LE(vals.length, 4);
  vals.forEach((v, i) => {
    if (width === 2) b.writeInt16LE(Number(v), 8 + i * 2);
    else if (width === 4) b.writeInt32LE(Number(v), 8 + i * 4);
    else b.writeBigInt64LE(v, 8 + i * 8);
  });
  return b;
}

/** Quicklist nodes as the list module models them (entry counts and bytes), if it exposes them. */
interface QlNodeView {
  count: number;
  bytes: number;
  plain: boolean;
}
function quicklistNodes(o: RObj): QlNodeView[] | null {
  const nodes = (o.value as { nodes?: unknown }).nodes;
  return Array.isArray(nodes) ? (nodes as QlNodeView[]) : null;
}

/**
 * RDB bytes of a value (type byte excluded, as rdbSavedObjectLen counts).
 * Compact encodings are written as the blobs Redis writes (listpack, intset,
 * a one-node quicklist for a listpack list), built from the elements.
 */
export function serializedLength(o: RObj, compress = true): number {
  if (o.type === ObjType.String) {
    if (typeof o.value === 'number') {
      const n = rdbIntBytes(o.value);
      if (n > 0) return n;
    }
    return rdbStringLength(stringValue(o), compress);
  }
  const size = (o.value as { size: number }).size ?? 0;
  switch (o.type) {
    case ObjType.List: {
      const items = o.value as Iterable<string>;
      if (o.enc === Enc.Listpack) return rdbLenBytes(1) + 1 + rdbBlobLength(buildListpack(items), compress);
      const nodes = quicklistNodes(o) ?? [{ count: size, bytes: 0, plain: false }];
      let n = rdbLenBytes(nodes.length);
      const it = items[Symbol.iterator]();
      for (const node of nodes) {
        const chunk: string[] = [];
        for (let i = 0; i < node.count; i++) chunk.push(it.next().value as string);
        n += 1 + (node.plain ? rdbStringLength(chunk[0] ?? '', compress) : rdbBlobLength(buildListpack(chunk), compress));
      }
      return n;
    }
    case ObjType.Set: {
      const items = o.value as Iterable<string>;
      if (o.enc === Enc.Intset) return rdbBlobLength(buildIntset(items), compress);
      if (o.enc === Enc.Listpack) return rdbBlobLength(buildListpack(items), compress);
      let n = rdbLenBytes(size);
      for (const m of items) n += rdbStringLength(m, compress);
      return n;
    }
    case ObjType.ZSet: {
      const items = o.value as Iterable<[string, number]>;
      if (o.enc === Enc.Listpack) {
        const flat: string[] = [];
        for (const [m, score] of items) flat.push(m, formatDouble(score));
        return rdbBlobLength(buildListpack(flat), compress);
      }
      let n = rdbLenBytes(size);
      for (const [m] of items) n += rdbStringLength(m, compress) + 8;
      return n;
    }
    case ObjType.Hash: {
      const items = o.value as Iterable<[string, string]>;
      if (o.enc === Enc.Listpack) {
        const flat: string[] = [];
        for (const [f, v] of items) flat.push(f, v);
        return rdbBlobLength(buildListpack(flat), compress);
      }
      let n = rdbLenBytes(size);
      for (const [f, v] of items) n += rdbStringLength(f, compress) + rdbStringLength(v, compress);
      return n;
    }
    case ObjType.Stream:
      return streamSerializedLength(o.value as Stream, compress);
    default:
      return rdbLenBytes(size);
  }
}

/** rdbLenBytes for unsigned 64-bit values (negative ones are written as their two's complement). */
function rdbLenBytesU64(v: number | bigint): number {
  return typeof v === 'bigint' || v < 0 ? 9 : rdbLenBytes(v);
}

/**
 * A stream as RDB_TYPE_STREAM_LISTPACKS_3 writes it: each node's key and
 * listpack, the counters and IDs, then every group with its pending list
 * (IDs, delivery times and counts) and consumers (names, seen and active
 * times, their pending IDs).
 */
function streamSerializedLength(s: Stream, compress: boolean): number {
  let n = rdbLenBytes(s.nodes.size);
  for (const [, , node] of s.nodes.entries()) n += 1 + 16 + rdbBlobLength(buildListpack(redisListpackItems(node)), compress);
  n += rdbLenBytes(s.length);
  for (const id of [s.lastId, s.firstId, s.maxDeletedId]) n += rdbLenBytesU64(id.ms) + rdbLenBytesU64(id.seq);
  n += rdbLenBytesU64(s.entriesAdded);
  const groups = s.sortedGroups();
  n += rdbLenBytes(groups.length);
  for (const [name, g] of groups) {
    n += rdbStringLength(name, compress) + rdbLenBytesU64(g.lastId.ms) + rdbLenBytesU64(g.lastId.seq) + rdbLenBytesU64(g.entriesRead);
    n += rdbLenBytes(g.pel.size);
    for (const [, , nack] of g.pel.entries()) n += 16 + 8 + rdbLenBytesU64(nack.deliveryCount);
    n += rdbLenBytes(g.consumers.size);
    for (const c of g.consumers.values()) n += rdbStringLength(c.name, compress) + 8 + 8 + rdbLenBytes(c.pel.size) + 16 * c.pel.size;
  }
  return n;
}

/** DEBUG OBJECT's quicklist details (nodes, average fill, fill setting, compression, bytes). */
function quicklistExtra(c: Client, o: RObj): string {
  const nodes = quicklistNodes(o);
  if (nodes === null || nodes.length === 0) return '';
  const size = (o.value as { size: number }).size;
  let bytes = 0;
  for (const n of nodes) bytes += n.bytes;
  const fill = c.server.config.get<number | undefined>('list-max-listpack-size') ?? -2;
  const depth = c.server.config.get<number | undefined>('list-compress-depth') ?? 0;
  return (
    ` ql_nodes:${nodes.length} ql_avg_node:${(size / nodes.length).toFixed(2)} ql_listpack_max:${fill}` +
    ` ql_compressed:${depth !== 0 ? 1 : 0} ql_uncompressed_size:${bytes}`
  );
}

// ---------------------------------------------------------------------------
// DEBUG subcommands

const addresses = new WeakMap<RObj, number>();
let nextAddress = 0x7f3a10000000;
/** A stable pseudo address per value (Spinel has no pointers to show). */
function addressOf(o: RObj): string {
  let a = addresses.get(o);
  if (a === undefined) {
    a = nextAddress;
    nextAddress += 0x40;
    addresses.set(o, a);
  }
  return '0x' + a.toString(16);
}

function debugObject(c: Client, key: string): void {
  const o = c.db.dict.get(key);
  if (o === undefined) {
    c.reply.error('ERR no such key');
    return;
  }
  const now = lruClock();
  const idle = now >= o.lru ? now - o.lru : now + (0xffffff - o.lru);
  const compress = c.server.config.get<boolean | undefined>('rdbcompression') !== false;
  c.reply.simple(
    `Value at:${addressOf(o)} refcount:${isSharedInteger(c, o) ? SHARED_REFCOUNT : 1} encoding:${ENC_NAMES[o.enc]} ` +
      `serializedlength:${serializedLength(o, compress)} lru:${o.lru} lru_seconds_idle:${idle}` +
      (o.enc === Enc.Quicklist ? quicklistExtra(c, o) : ''),
  );
}

/** C atoi(). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  return m === null ? 0 : Number(m[1]) | 0;
}

/** C strtod() on a prefix; 0 when nothing parses. */
function strtodPrefix(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(s);
  if (m !== null) return Number(m[1]);
  const t = s.trim().toLowerCase();
  if (/^[+-]?inf/.test(t)) return t[0] === '-' ? -Infinity : Infinity;
  return 0;
}

/** Redis's memtoull(): digits with an optional b/k/kb/m/mb/g/gb unit; null on error. */
function memToBytes(s: string): number | null {
  if (s[0] === '-') return null;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const unit = s.slice(i).toLowerCase();
  const muls: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1 << 20, g: 1e9, gb: 1 << 30 };
  const mul = muls[unit];
  if (mul === undefined) return null;
  const digits = s.slice(0, i);
  const v = digits === '' ? 0 : Number(digits);
  if (!Number.isFinite(v) || v * mul > 18446744073709551615) return null;
  return v * mul;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the whole event loop, like Redis's nanosleep() in the main thread. */
function blockingSleep(ms: number): void {
  if (ms > 0) Atomics.wait(sleepCell, 0, 0, ms);
}

function debugProtocol(c: Client, name: string): void {
  const r = c.reply;
  switch (name.toLowerCase()) {
    case 'string':
      r.bulk('Hello World');
      return;
    case 'integer':
      r.int(12345);
      return;
    case 'double':
      r.double(3.141);
      return;
    case 'bignum':
      r.bigNumber('1234567999999999999999999999999999999');
      return;
    case 'null':
      r.null();
      return;
    case 'array':
      r.array(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'set':
      r.set(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'map':
      r.map(3);
      for (let j = 0; j < 3; j++) {
        r.int(j);
        r.bool(j === 1);
      }
      return;
    case 'attrib':
      if (r.resp >= 3) {
        r.attribute(1);
        r.bulk('key-popularity');
        r.array(2);
        r.bulk('key:123');
        r.int(90);
      }
      r.bulk('Some real reply following the attribute');
      return;
    case 'push':
      if (r.resp < 3) {
        r.error('ERR RESP2 is not supported by this command');
        return;
      }
      // Redis 7.2 holds a push message for the client running the command
      // until the command's own reply is written (pending_push_messages).
      r.bulk('Some real reply following the push reply');
      r.push(2);
      r.bulk('server-cpu-usage');
      r.int(42);
      return;
    case 'true':
      r.bool(true);
      return;
    case 'false':
      r.bool(false);
      return;
    case 'verbatim':
      r.verbatim('This is a verbatim\nstring', 'txt');
      return;
    default:
      r.error(
        'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
      );
  }
}

const ERR_NOT_POSITIVE = 'ERR value is out of range, must be positive';

function debugPopulate(c: Client, argv: string[]): void {
  // getPositiveLongFromObjectOrReply(): one message for bad and negative numbers.
  const count = parseInt64(argv[2]);
  if (count === null || count < 0) {
    c.reply.error(ERR_NOT_POSITIVE);
    return;
  }
  let valsize = 0;
  if (argv.length === 5) {
    const v = parseInt64(argv[4]);
    if (v === null || v < 0) {
      c.reply.error(ERR_NOT_POSITIVE);
      return;
    }
    valsize = Number(v);
  }
  const prefix = argv.length === 3 ? 'key' : argv[3];
  const n = Number(count);
  const db = c.db;
  for (let j = 0; j < n; j++) {
    const key = `${prefix}:${j}`.slice(0, 127);
    if (db.lookupWrite(key) !== undefined) continue;
    let val = `value:${j}`;
    if (valsize !== 0) val = valsize <= val.length ? val.slice(0, valsize) : val + '\0'.repeat(valsize - val.length);
    db.add(key, new RObj(ObjType.String, val.length <= EMBSTR_LIMIT ? Enc.Embstr : Enc.Raw, val, 0));
    db.modified(key);
  }
  c.reply.ok();
}

function debugListpack(c: Client, key: string): void {
  const o = c.db.peek(key);
  if (o === undefined) {
    c.reply.error('ERR no such key');
    return;
  }
  if (o.enc !== Enc.Listpack) {
    c.reply.error('ERR Not a listpack encoded object.');
    return;
  }
  if (!c.server.log.silent) {
    let out = `{listpack of ${(o.value as { size: number }).size} entries}\n`;
    let i = 0;
    for (const el of o.value as Iterable<unknown>) {
      const parts = Array.isArray(el) ? el : [el];
      for (const p of parts) out += `  [${i++}] ${JSON.stringify(String(p))}\n`;
    }
    process.stdout.write(out);
  }
  c.reply.simple('Listpack structure printed on stdout');
}

/** DEBUG STRINGMATCH-TEST: random patterns and strings through the matcher; it must not crash. */
function stringmatchFuzz(): number {
  let matches = 0;
  const rnd = (n: number): number => Math.floor(Math.random() * n);
  for (let cycle = 0; cycle < 100_000; cycle++) {
    let str = '';
    let pat = '';
    const sl = rnd(32);
    const pl = rnd(32);
    for (let j = 0; j < sl; j++) str += String.fromCharCode(rnd(128));
    for (let j = 0; j < pl; j++) pat += String.fromCharCode(rnd(128));
    if (globMatch(pat, str, false)) matches++;
  }
  return matches;
}

const DEBUG_HELP = [
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
];

/** Strings kept forever by DEBUG LEAK. */
const leaked: string[] = [];

function debugQuicklist(c: Client, key: string, full: boolean): void {
  const o = c.db.peek(key);
  if (o === undefined) {
    c.reply.error('ERR no such key');
    return;
  }
  if (o.enc !== Enc.Quicklist) {
    c.reply.error('ERR Not a quicklist encoded object.');
    return;
  }
  if (!c.server.log.silent) {
    const nodes = quicklistNodes(o) ?? [];
    let out = `{quicklist: ${nodes.length} nodes, ${(o.value as { size: number }).size} entries}\n`;
    const it = (o.value as Iterable<string>)[Symbol.iterator]();
    nodes.forEach((n, i) => {
      out += `  {node ${i}: ${n.plain ? 'plain' : 'packed'}, ${n.count} entries, ${n.bytes} bytes}\n`;
      for (let j = 0; j < n.count; j++) {
        const el = it.next().value as string;
        if (full) out += `    [${j}] ${JSON.stringify(el)}\n`;
      }
    });
    process.stdout.write(out);
  }
  c.reply.simple('Quicklist structure printed on stdout');
}

function debugCommand(c: Client, argv: string[]): void {
  const sub = argv[1].toLowerCase();
  const argc = argv.length;
  const server = c.server;
  if (sub === 'help' && argc === 2) {
    replyHelp(c, 'DEBUG', DEBUG_HELP);
  } else if (sub === 'log' && argc === 3) {
    server.log.warning(`DEBUG LOG: ${argv[2]}`);
    c.reply.ok();
  } else if (sub === 'object' && argc === 3) {
    debugObject(c, argv[2]);
  } else if (sub === 'leak' && argc === 3) {
    leaked.push(argv[2].slice());
    c.reply.ok();
  } else if (sub === 'listpack' && argc === 3) {
    debugListpack(c, argv[2]);
  } else if (sub === 'quicklist' && (argc === 3 || argc === 4)) {
    debugQuicklist(c, argv[2], argc === 4 && atoi(argv[3]) !== 0);
  } else if (sub === 'populate' && argc >= 3 && argc <= 5) {
    debugPopulate(c, argv);
  } else if (sub === 'digest' && argc === 2) {
    c.reply.simple(datasetDigest(server.keyspace.dbs));
  } else if (sub === 'digest-value') {
    c.reply.array(argc - 2);
    for (let j = 2; j < argc; j++) c.reply.simple(valueDigest(c.db, argv[j]));
  } else if (sub === 'protocol' && argc === 3) {
    debugProtocol(c, argv[2]);
  } else if (sub === 'sleep' && argc === 3) {
    const usec = Math.trunc(strtodPrefix(argv[2]) * 1e6);
    blockingSleep(Number.isFinite(usec) ? Math.min(usec / 1000, 2 ** 31 - 1) : 2 ** 31 - 1);
    c.reply.ok();
  } else if (sub === 'pause-cron' && argc === 3) {
    server.cronPaused = atoi(argv[2]) !== 0;
    c.reply.ok();
  } else if (sub === 'set-active-expire' && argc === 3) {
    server.activeExpireEnabled = atoi(argv[2]) !== 0;
    c.reply.ok();
  } else if (sub === 'quicklist-packed-threshold' && argc === 3) {
    const sz = memToBytes(argv[2]);
    if (sz === null || sz > 2 ** 32 - 2 ** 20) {
      c.reply.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    } else {
      server.quicklistPackedThreshold = sz === 0 ? 1 << 30 : sz;
      c.reply.ok();
    }
  } else if (sub === 'error' && argc === 3) {
    // Sent as is: the argument is the whole error line, code included.
    c.reply.raw('-' + argv[2].replace(/[\r\n]/g, ' ') + '\r\n');
  } else if (sub === 'change-repl-id' && argc === 2) {
    server.log.notice('Changing replication IDs after receiving DEBUG change-repl-id');
    server.replId = crypto.randomBytes(20).toString('hex');
    server.replId2 = ZERO_DIGEST;
    c.reply.ok();
  } else if (sub === 'stringmatch-test' && argc === 2) {
    stringmatchFuzz();
    c.reply.simple('Apparently Redis did not crash: test passed');
  } else {
    c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try DEBUG HELP.`);
  }
}

// ---------------------------------------------------------------------------
// LOLWUT

const RAND_MAX = 2147483647;
function crand(): number {
  return Math.floor(Math.random() * (RAND_MAX + 1));
}
const f32 = Math.fround;

/** A canvas of small integer "colors" (Redis's lwCanvas). */
class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    bg: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(bg);
  }
  set(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }
  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width];
  }
  /** Bresenham line. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }
  /** A square centered at x,y, rotated by angle (float math as in C). */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    const px = [0, 0, 0, 0];
    const py = [0, 0, 0, 0];
    size = f32(size / 1.4142135623);
    size = f32(cround(size));
    let k = f32(Math.PI / 4 + angle);
    for (let j = 0; j < 4; j++) {
      px[j] = cround(Math.sin(k) * size + x);
      py[j] = cround(Math.cos(k) * size + y);
      k = f32(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
  }
}

/** C round(): halves away from zero. */
function cround(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** Georg Nees' "Schotter": rows of squares, more disordered lower down. */
function drawSchotter(consoleCols: number, perRow: number, perCol: number): Canvas {
  const width = consoleCols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f32((width - padding * 2) / perRow);
  const height = Math.trunc(f32(f32(side * perCol) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f32(f32(f32(x * side) + f32(side / 2)) + padding));
      let sy = Math.trunc(f32(f32(f32(y * side) + f32(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = f32(f32(f32(f32(crand()) / f32(RAND_MAX)) / perCol) * y);
        let r2 = f32(f32(f32(f32(crand()) / f32(RAND_MAX)) / perCol) * y);
        let r3 = f32(f32(f32(f32(crand()) / f32(RAND_MAX)) / perCol) * y);
        if (crand() % 2) r1 = -r1;
        if (crand() % 2) r2 = -r2;
        if (crand() % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f32(sx + f32(f32(r2 * side) / 3)));
        sy = Math.trunc(f32(sy + f32(f32(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** Renders 2x4 pixel groups as Braille characters (UTF-8 bytes in a latin1 string). */
function renderBraille(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      let byte = 0;
      if (canvas.get(x, y)) byte |= 1 << 0;
      if (canvas.get(x, y + 1)) byte |= 1 << 1;
      if (canvas.get(x, y + 2)) byte |= 1 << 2;
      if (canvas.get(x + 1, y)) byte |= 1 << 3;
      if (canvas.get(x + 1, y + 1)) byte |= 1 << 4;
      if (canvas.get(x + 1, y + 2)) byte |= 1 << 5;
      if (canvas.get(x, y + 3)) byte |= 1 << 6;
      if (canvas.get(x + 1, y + 3)) byte |= 1 << 7;
      const code = 0x2800 + byte;
      text += String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

/** One skyscraper of the LOLWUT 6 skyline, optionally with lit windows. */
function skyscraper(canvas: Canvas, xoff: number, width: number, height: number, color: number, windows: boolean): void {
  const starty = canvas.height - 1;
  const endy = starty - height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = xoff; x < xoff + width; x++) {
      if (y === endy && (x <= xoff + 1 || x >= xoff + width - 2)) continue;
      let c = color;
      if (windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1) {
        const relx = x - (xoff + 1);
        const rely = y - (endy + 1);
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do c = 1 + (crand() % 2);
          while (c === color);
          if (relx % 2) c = canvas.get(x - 1, y);
        }
      }
      canvas.set(x, y, c);
    }
  }
}

function skyline(canvas: Canvas): void {
  const h = canvas.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width; ) {
      offset += crand() % 8;
      const width = 10 + (crand() % 9);
      const height = color === 2 ? Math.trunc(h / 2) + Math.trunc((crand() % h) / 2) : Math.trunc(h / 2) + Math.trunc((crand() % h) / 3);
      skyscraper(canvas, offset, width, height, color, false);
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width; ) {
    offset += crand() % 8;
    let width = 5 + (crand() % 14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((crand() % h) / 2);
    skyscraper(canvas, offset, width, height, 0, true);
    offset += width + 5;
  }
}

const GRAYS = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];
function renderGrays(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${GRAYS[canvas.get(x, y)] ?? GRAYS[0]} \x1b[0m`;
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

/** Parses optional integer arguments in order; replies and returns null on a bad one. */
function longArgs(c: Client, args: string[], defaults: number[]): number[] | null {
  const out = defaults.slice();
  for (let i = 0; i < defaults.length && i < args.length; i++) {
    const v = parseInt64(args[i]);
    if (v === null) {
      c.reply.error(ERR_NOT_INT);
      return null;
    }
    out[i] = Number(v);
  }
  return out;
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

function lolwutCommand(c: Client, argv: string[]): void {
  let version = SPINEL_VERSION;
  let args = argv.slice(1);
  if (argv.length >= 3 && argv[1].toLowerCase() === 'version') {
    const v = parseInt64(argv[2]);
    if (v === null) {
      c.reply.error(ERR_NOT_INT);
      return;
    }
    version = `${BigInt.asUintN(32, BigInt(v))}.0.0`;
    args = argv.slice(3);
  }
  const is = (major: string): boolean => version[0] === major && version[1] === '.';
  let out: string;
  if ((is('5') && version[2] !== '9') || (is('4') && version[2] === '9')) {
    const p = longArgs(c, args, [66, 8, 12]);
    if (p === null) return;
    const canvas = drawSchotter(clamp(p[0], 1, 1000), clamp(p[1], 1, 200), clamp(p[2], 1, 200));
    out = renderBraille(canvas) + '\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ' + SPINEL_VERSION + '\n';
  } else if ((is('6') && version[2] !== '9') || (is('5') && version[2] === '9')) {
    const p = longArgs(c, args, [80, 20]);
    if (p === null) return;
    const canvas = new Canvas(clamp(p[0], 1, 1000), clamp(p[1], 1, 1000), 3);
    skyline(canvas);
    out =
      renderGrays(canvas) +
      '\nDedicated to the 8 bit game developers of past and present.\n' +
      'Original 8 bit image from Plaguemon by hikikomori. Redis ver. ' +
      SPINEL_VERSION +
      '\n';
  } else {
    out = `Redis ver. ${SPINEL_VERSION}\n`;
  }
  c.reply.verbatim(out, 'txt');
}

export const handlers: HandlerMap = {
  debug: debugCommand,
  lolwut: lolwutCommand,
};
