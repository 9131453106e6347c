// The stream value (Redis's t_stream.c data structure): entries grouped in
// nodes, an ordered index of the nodes, consumer groups with their pending
// entries lists.
//
// Entries. Each node is one byte buffer, like a Redis listpack node: it
// starts with the node's "master" field names (those of the first entry
// added to it), and an entry whose field names are the same stores only its
// values (the SAMEFIELDS flag), as Redis does. IDs are stored as deltas from
// the node's first ID. The layout is our own:
//
//   master:  nfields, then (len, bytes) per field name
//   entry:   flags (1 byte: DELETED, SAMEFIELDS), body length,
//            ms - master.ms, seq (seq - master.seq when ms is the master's),
//            [nfields, (len, bytes, len, bytes) per pair]   without SAMEFIELDS
//            [(len, bytes) per value]                        with SAMEFIELDS
//            back length (read backwards, for reverse walks)
//
// Numbers are varints (7 bits per byte, low bits first); the back length is
// written so that it reads from its last byte. Deleting an entry only sets
// its DELETED flag (a tombstone), and a node goes when its last live entry
// does, as in Redis. Entries never move inside a node, so a byte position
// stays valid for the node's life.
//
// Node boundaries follow Redis exactly (stream-node-max-bytes and -entries
// apply to the size the node would have as a Redis listpack, kept in
// `lpBytes`), because they are visible: approximate trimming (MAXLEN ~)
// removes whole nodes only, and XINFO STREAM reports the node count
// (radix-tree-keys) and the node count of Redis's radix tree
// (radix-tree-nodes, modelled in raxNodesDelta below).
//
// The node index is an IdTree keyed by each node's first ID: O(log N)
// seeks. A range read seeks the node, then walks the node's entries.

import { IdTree, IdCursor, cmpId, type U64 } from './idtree.js';
import { lpEntrySize } from './list.js';

export { cmpId, type U64 } from './idtree.js';

// ---------------------------------------------------------------------------
// 64-bit helpers

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const U64_MAX = 18446744073709551615n;
const TWO64 = 18446744073709551616n;

/** A bigint as a U64 (a number when it fits). */
export function big2u64(v: bigint): U64 {
  return v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
}

/** v + 1 (signed or unsigned: numbers and bigints). */
export function add1(v: U64): U64 {
  return typeof v === 'number' && v < MAX_SAFE ? v + 1 : big2u64(BigInt(v) + 1n);
}

/** a - b exactly. */
export function sub(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a - b;
    if (d <= MAX_SAFE && d >= -MAX_SAFE) return d;
  }
  return big2u64(BigInt(a) - BigInt(b));
}

/** a + b exactly. */
export function add(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a + b;
    if (d <= MAX_SAFE && d >= -MAX_SAFE) return d;
  }
  return big2u64(BigInt(a) + BigInt(b));
}

/** (a - b) mod 2^64 read as a signed 64-bit integer (what Redis stores for ID deltas). */
function deltaInt64(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return big2u64(BigInt.asIntN(64, BigInt(a) - BigInt(b)));
}

// ---------------------------------------------------------------------------
// IDs

/** A stream ID, immutable. */
export class StreamId {
  constructor(
    readonly ms: U64,
    readonly seq: U64,
  ) {}
  toString(): string {
    return this.ms + '-' + this.seq;
  }
  cmp(o: StreamId): number {
    return cmpId(this.ms, this.seq, o.ms, o.seq);
  }
  isZero(): boolean {
    return this.ms === 0 && this.seq === 0;
  }
}

export const ZERO_ID = new StreamId(0, 0);
export const MAX_ID = new StreamId(U64_MAX, U64_MAX);

/** The ID right after (streamIncrID); null past the last possible one. */
export function nextId(id: StreamId): StreamId | null {
  if (id.seq === U64_MAX) return id.ms === U64_MAX ? null : new StreamId(add1(id.ms), 0);
  return new StreamId(id.ms, add1(id.seq));
}

/** The ID right before (streamDecrID); null before 0-0. */
export function prevId(id: StreamId): StreamId | null {
  if (id.seq === 0) return id.ms === 0 ? null : new StreamId(sub(id.ms, 1), U64_MAX);
  return new StreamId(id.ms, sub(id.seq, 1));
}

/** IDs are at most this long as arguments (Redis parses them in a 128-byte buffer). */
const ID_ARG_MAX = 127;

/**
 * Parses a stream ID argument like Redis's streamGenericParseIDOrReply:
 * `<ms>-<seq>`, `<ms>` (the sequence is then `missingSeq`), `-` (0-0) and
 * `+` (the maximum ID) unless `strict`, and `<ms>-*` when `seqAuto` is given
 * (its `given` is then set to false). Each part is read as Redis's
 * string2ull reads it: a canonical integer, or else what strtoull accepts
 * (leading spaces, a sign, leading zeros). Returns null when invalid.
 */
export function parseStreamId(s: string, missingSeq: U64, strict: boolean, seqAuto?: { given: boolean }): StreamId | null {
  if (s.length > ID_ARG_MAX) return null;
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  if (seqAuto !== undefined) seqAuto.given = true;
  if (s.length === 1) {
    const c = s.charCodeAt(0);
    if (c === 45 /* - */) return strict ? null : ZERO_ID;
    if (c === 43 /* + */) return strict ? null : MAX_ID;
  }
  const dash = s.indexOf('-');
  const ms = parseU64(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return new StreamId(ms, missingSeq);
  const rest = s.slice(dash + 1);
  if (seqAuto !== undefined && rest === '*') {
    seqAuto.given = false;
    return new StreamId(ms, 0);
  }
  const seq = parseU64(rest);
  return seq === null ? null : new StreamId(ms, seq);
}

/** Redis's string2ull: string2ll (negative values refused), else strtoull base 10 over the whole string. */
function parseU64(s: string): U64 | null {
  const n = s.length;
  if (n === 0) return null;
  // Fast path: plain digits without a leading zero, in the safe range.
  if (n <= 15) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
    }
    if (i === n && (n === 1 || s.charCodeAt(0) !== 48)) return +s;
  }
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) break;
    i++;
  }
  let neg = false;
  if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) {
    neg = s.charCodeAt(i) === 45;
    i++;
  }
  if (i === n) return null;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  // string2ll would have taken a canonical negative number and refused it.
  if (neg && i === 1 && s.charCodeAt(1) !== 48) {
    const v = BigInt(s.slice(i));
    if (v <= 9223372036854775808n) return null;
  }
  let v = BigInt(s.slice(i));
  if (v > U64_MAX) return null;
  if (neg) v = (TWO64 - v) % TWO64;
  return big2u64(v);
}

// ---------------------------------------------------------------------------
// Byte encoding helpers (varints, back lengths) and Redis listpack sizes

/** Bytes of a varint of a non-negative number. */
function varLen(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function u64Len(v: U64): number {
  if (typeof v === 'number') return varLen(v);
  let n = 1;
  while (v >= 128n) {
    v >>= 7n;
    n++;
  }
  return n;
}

function putVar(b: Buffer, p: number, v: number): number {
  while (v >= 128) {
    b[p++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  b[p++] = v;
  return p;
}

function putU64(b: Buffer, p: number, v: U64): number {
  if (typeof v === 'number') return putVar(b, p, v);
  while (v >= 128n) {
    b[p++] = Number(v & 127n) | 128;
    v >>= 7n;
  }
  b[p++] = Number(v);
  return p;
}

/** The value read by getVar / getU64 / getBack. */
let rdNum = 0;
let rdU64: U64 = 0;

function getVar(b: Buffer, p: number): number {
  let c = b[p++];
  if (c < 128) {
    rdNum = c;
    return p;
  }
  let v = c & 127;
  let mul = 128;
  for (;;) {
    c = b[p++];
    if (c < 128) {
      rdNum = v + c * mul;
      return p;
    }
    v += (c & 127) * mul;
    mul *= 128;
  }
}

function getU64(b: Buffer, p: number): number {
  const start = p;
  let c = b[p++];
  if (c < 128) {
    rdU64 = c;
    return p;
  }
  while (b[p++] >= 128);
  if (p - start <= 7) {
    getVar(b, start);
    rdU64 = rdNum;
    return p;
  }
  let v = 0n;
  let shift = 0n;
  for (let q = start; q < p; q++) {
    v |= BigInt(b[q] & 127) << shift;
    shift += 7n;
  }
  rdU64 = big2u64(v);
  return p;
}

/** Writes a back length: its groups high to low, every byte but the first flagged, so it reads from the end. */
function putBack(b: Buffer, p: number, v: number): number {
  const n = varLen(v);
  for (let k = n - 1; k >= 0; k--) {
    const g = Math.floor(v / 128 ** k) % 128;
    b[p++] = k === n - 1 ? g : g | 128;
  }
  return p;
}

/** Reads the back length ending at `end`; returns where it starts. */
function getBack(b: Buffer, end: number): number {
  let p = end - 1;
  let c = b[p];
  let v = c & 127;
  let mul = 128;
  while (c >= 128) {
    c = b[--p];
    v += (c & 127) * mul;
    mul *= 128;
  }
  rdNum = v;
  return p;
}

/** What readHeader decoded: the entry's ID, its body's start and length. */
let hdrMs: U64 = 0;
let hdrSeq: U64 = 0;
let hdrBodyStart = 0;
let hdrBody = 0;

/**
 * Reads the header of the entry at `pos` (its flags byte) of a node: the ID
 * into hdrMs/hdrSeq, the body into hdrBodyStart/hdrBody. Returns where the
 * fields start.
 */
function readHeader(node: StreamNode, pos: number): number {
  const b = node.buf;
  let p = getVar(b, pos + 1);
  hdrBody = rdNum;
  hdrBodyStart = p;
  p = getU64(b, p);
  const msd = rdU64;
  p = getU64(b, p);
  if (msd === 0) {
    hdrMs = node.ms;
    hdrSeq = rdU64 === 0 ? node.seq : add(node.seq, rdU64);
  } else {
    hdrMs = add(node.ms, msd);
    hdrSeq = rdU64;
  }
  return p;
}

/** Where the entry whose header readHeader just read (starting at `pos`) ends. */
function headerEntryEnd(pos: number): number {
  return hdrBodyStart + hdrBody + varLen(hdrBodyStart - pos + hdrBody);
}

/** The start of the entry that ends at `end` (before its back length). */
function entryStartBefore(b: Buffer, end: number): number {
  return getBack(b, end) - rdNum;
}

/** Bytes of an integer element in a Redis listpack (encoding + back length). */
function lpIntBytes(v: U64): number {
  if (typeof v === 'bigint') return 10;
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** An empty Redis listpack: 6-byte header + end byte. */
const LP_EMPTY = 7;
/** STREAM_LISTPACK_MAX_SIZE: no node grows past 1 GB, whatever stream-node-max-bytes says. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;

// ---------------------------------------------------------------------------
// Nodes

const F_DELETED = 1;
const F_SAMEFIELDS = 2;

/** A node: entries from its first ID on, in one buffer (see the layout at the top). */
export class StreamNode {
  buf: Buffer;
  /** Bytes in use. */
  used: number;
  /** Where the entries start (after the master field names). */
  readonly entriesStart: number;
  /** Number of master field names. */
  readonly nfields: number;
  /** Live entries. */
  live = 0;
  /** Entries flagged deleted. */
  deleted = 0;
  /** The size this node would have as a Redis listpack. */
  lpBytes: number;

  constructor(
    readonly ms: U64,
    readonly seq: U64,
    argv: readonly string[],
    at: number,
    nf: number,
    entryBytes: number,
  ) {
    let need = varLen(nf);
    let lp = LP_EMPTY + lpIntBytes(0) /* count, set by the first append */ + lpIntBytes(0) + lpIntBytes(nf) + lpIntBytes(0);
    for (let i = 0; i < nf; i++) {
      const f = argv[at + 2 * i];
      need += varLen(f.length) + f.length;
      lp += lpEntrySize(f);
    }
    // Room for this entry only: a stream of one entry stays small; the second one grows it to the expected node size.
    this.buf = Buffer.allocUnsafeSlow(need + entryBytes);
    let p = putVar(this.buf, 0, nf);
    for (let i = 0; i < nf; i++) p = putString(this.buf, p, argv[at + 2 * i]);
    this.used = this.entriesStart = p;
    this.nfields = nf;
    this.lpBytes = lp;
  }

  /** Makes room for n more bytes (at least `hint` in all, when given). */
  ensure(n: number, hint = 0): void {
    const b = this.buf;
    if (this.used + n <= b.length) return;
    let cap = Math.max(b.length * 2, hint);
    while (cap < this.used + n) cap *= 2;
    const nb = Buffer.allocUnsafeSlow(cap);
    b.copy(nb, 0, 0, this.used);
    this.buf = nb;
  }

  /** Frees the spare room of a node that will not grow any more (unless it is small). */
  shrink(): void {
    if (this.buf.length - this.used <= Math.max(32, this.used >> 4)) return;
    const nb = Buffer.allocUnsafeSlow(this.used);
    this.buf.copy(nb, 0, 0, this.used);
    this.buf = nb;
  }

  /** True if the entry's field names are the master ones. */
  sameFields(argv: readonly string[], at: number, nf: number): boolean {
    if (nf !== this.nfields) return false;
    const b = this.buf;
    let p = getVar(b, 0);
    for (let i = 0; i < nf; i++) {
      p = getVar(b, p);
      const len = rdNum;
      const f = argv[at + 2 * i];
      if (f.length !== len) return false;
      for (let k = 0; k < len; k++) if (b[p + k] !== f.charCodeAt(k)) return false;
      p += len;
    }
    return true;
  }

  /** The ID of the last entry (deleted or not). */
  lastEntryId(): StreamId {
    readHeader(this, entryStartBefore(this.buf, this.used));
    return new StreamId(hdrMs, hdrSeq);
  }

  copy(): StreamNode {
    const n = Object.create(StreamNode.prototype) as StreamNode;
    const buf = Buffer.allocUnsafeSlow(this.used);
    this.buf.copy(buf, 0, 0, this.used);
    Object.assign(n, this);
    n.buf = buf;
    return n;
  }
}

/** One entry of a node rebuilt from its Redis listpack (RDB load, RESTORE). */
export interface LoadedEntry {
  deleted: boolean;
  ms: U64;
  seq: U64;
  /** The entry's own field names, or null when they are the master ones (SAMEFIELDS). */
  fields: string[] | null;
  values: string[];
}

/**
 * A node rebuilt from the contents of a Redis listpack node: its master ID
 * and field names and its entries, tombstones included, in ID order, each ID
 * at or above the master ID (the caller checks both).
 */
export function buildNode(ms: U64, seq: U64, masterFields: readonly string[], entries: readonly LoadedEntry[]): StreamNode {
  const nf = masterFields.length;
  let need = varLen(nf);
  for (const f of masterFields) need += varLen(f.length) + f.length;
  const entriesStart = need;
  // Sizes first: our bytes, and the listpack bytes Redis would hold.
  let live = 0;
  let deleted = 0;
  let lp = LP_EMPTY + lpIntBytes(nf) + lpIntBytes(0);
  for (const f of masterFields) lp += lpEntrySize(f);
  const bodies: number[] = [];
  for (const e of entries) {
    if (e.deleted) deleted++;
    else live++;
    const msd = sub(e.ms, ms);
    const seqPart = msd === 0 ? sub(e.seq, seq) : e.seq;
    const same = e.fields === null;
    const n = e.values.length;
    let body = u64Len(msd) + u64Len(seqPart);
    if (!same) body += varLen(n);
    for (let i = 0; i < n; i++) {
      body += varLen(e.values[i].length) + e.values[i].length;
      if (!same) body += varLen(e.fields![i].length) + e.fields![i].length;
    }
    const total = 1 + varLen(body) + body;
    need += total + varLen(total);
    bodies.push(body);
    lp += lpIntBytes((e.deleted ? F_DELETED : 0) | (same ? F_SAMEFIELDS : 0)) + lpIntBytes(deltaInt64(e.ms, ms)) + lpIntBytes(deltaInt64(e.seq, seq));
    if (!same) {
      lp += lpIntBytes(n);
      for (const f of e.fields!) lp += lpEntrySize(f);
    }
    for (const v of e.values) lp += lpEntrySize(v);
    lp += lpIntBytes(n + 3 + (same ? 0 : n + 1));
  }
  lp += lpIntBytes(live) + lpIntBytes(deleted);
  const b = Buffer.allocUnsafeSlow(need);
  let p = putVar(b, 0, nf);
  for (const f of masterFields) p = putString(b, p, f);
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k];
    const same = e.fields === null;
    const msd = sub(e.ms, ms);
    const start = p;
    b[p++] = (e.deleted ? F_DELETED : 0) | (same ? F_SAMEFIELDS : 0);
    p = putVar(b, p, bodies[k]);
    p = putU64(b, p, msd);
    p = putU64(b, p, msd === 0 ? sub(e.seq, seq) : e.seq);
    if (!same) p = putVar(b, p, e.values.length);
    for (let i = 0; i < e.values.length; i++) {
      if (!same) p = putString(b, p, e.fields![i]);
      p = putString(b, p, e.values[i]);
    }
    p = putBack(b, p, p - start);
  }
  const node = Object.create(StreamNode.prototype) as StreamNode;
  Object.assign(node, { buf: b, used: p, entriesStart, nfields: nf, live, deleted, lpBytes: lp, ms, seq });
  return node;
}

/**
 * The items of the listpack Redis would hold for this node, as strings (for
 * the RDB size DEBUG OBJECT reports): count, deleted, the master fields and
 * their terminator, then per entry flags, ID deltas, the fields (unless
 * SAMEFIELDS) and values, and the entry's item count.
 */
export function redisListpackItems(node: StreamNode): string[] {
  const b = node.buf;
  const out: string[] = [String(node.live), String(node.deleted), String(node.nfields)];
  let p = getVar(b, 0);
  for (let i = 0; i < node.nfields; i++) {
    p = getVar(b, p);
    out.push(b.latin1Slice(p, p + rdNum));
    p += rdNum;
  }
  out.push('0');
  p = node.entriesStart;
  while (p < node.used) {
    const flags = b[p];
    let q = readHeader(node, p);
    const next = headerEntryEnd(p);
    out.push(String(flags), String(deltaInt64(hdrMs, node.ms)), String(deltaInt64(hdrSeq, node.seq)));
    const same = (flags & F_SAMEFIELDS) !== 0;
    let nf = node.nfields;
    if (!same) {
      q = getVar(b, q);
      nf = rdNum;
      out.push(String(nf));
    }
    for (let i = 0; i < (same ? nf : 2 * nf); i++) {
      q = getVar(b, q);
      out.push(b.latin1Slice(q, q + rdNum));
      q += rdNum;
    }
    out.push(String(nf + 3 + (same ? 0 : nf + 1)));
    p = next;
  }
  return out;
}

function putString(b: Buffer, p: number, s: string): number {
  const n = s.length;
  p = putVar(b, p, n);
  if (n < 48) {
    for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
  } else {
    b.latin1Write(s, p, n);
  }
  return p + n;
}

// ---------------------------------------------------------------------------
// Consumer groups

/** entries_read of a group whose reads counter is not known (SCG_INVALID_ENTRIES_READ). */
export const INVALID_ENTRIES_READ = -1;

/** A pending entry (Redis's streamNACK), shared by the group's and its consumer's lists. */
export class Nack {
  constructor(
    /** Last delivery, unix ms. */
    public deliveryTime: number,
    /** Deliveries so far (unsigned 64-bit in Redis). */
    public deliveryCount: U64,
    /** The owner; null only inside XCLAIM FORCE before it is assigned. */
    public consumer: Consumer | null,
  ) {}
}

export class Consumer {
  readonly pel = new IdTree<Nack>();
  constructor(
    readonly name: string,
    /** Last attempted interaction (7.2's seen-time), unix ms. */
    public seenTime: number,
    /** Last successful interaction (7.2's active-time), unix ms, -1 if none. */
    public activeTime: number,
  ) {}
}

export class ConsumerGroup {
  readonly pel = new IdTree<Nack>();
  /** Consumers by name: add and remove them with addConsumer/deleteConsumer. */
  readonly consumers = new Map<string, Consumer>();
  /** The consumers in name order, kept until a consumer is added or removed. */
  private sorted: Consumer[] | null = null;

  constructor(
    public lastId: StreamId,
    /** Logical reads counter, or INVALID_ENTRIES_READ. */
    public entriesRead: U64,
  ) {}

  addConsumer(c: Consumer): void {
    this.consumers.set(c.name, c);
    this.sorted = null;
  }

  deleteConsumer(name: string): void {
    this.consumers.delete(name);
    this.sorted = null;
  }

  /** Consumers in name order (Redis keeps them in a radix tree); sorted again only after a change. */
  sortedConsumers(): readonly Consumer[] {
    if (this.sorted === null) this.sorted = [...this.consumers.values()].sort((a, b) => byName(a.name, b.name));
    return this.sorted;
  }
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// The stream

export const enum Trim {
  None = 0,
  MaxLen = 1,
  MinId = 2,
}

export class Stream {
  /** Nodes by first ID. */
  readonly nodes = new IdTree<StreamNode>();
  /** Live entries. */
  length = 0;
  lastId: StreamId = ZERO_ID;
  /** First live entry (0-0 when empty). */
  firstId: StreamId = ZERO_ID;
  maxDeletedId: StreamId = ZERO_ID;
  /** Entries ever added. */
  entriesAdded: U64 = 0;
  /** Consumer groups by name; null until the first one. */
  groups: Map<string, ConsumerGroup> | null = null;
  /** Nodes of Redis's radix tree of the node keys (XINFO radix-tree-nodes). */
  raxNodes = 1;

  /**
   * Where the last forward read stopped: the entry after (hintMs, hintSeq) in
   * hintNode starts at hintPos. A read starting after that ID in the same
   * node resumes there (consumer groups reading on), not at the node start.
   */
  hintNode: StreamNode | null = null;
  hintPos = 0;
  hintMs: U64 = 0;
  hintSeq: U64 = 0;

  get size(): number {
    return this.length;
  }

  /**
   * Appends an entry (streamAppendItem) whose ID is already known to be
   * greater than lastId: argv[at], argv[at+1], ... are nf field/value pairs.
   * A new node starts when the tail one reached the byte or entry limit.
   */
  append(id: StreamId, argv: readonly string[], at: number, nf: number, maxBytes: number, maxEntries: number): void {
    let totelelen = 0;
    for (let i = 0; i < 2 * nf; i++) totelelen += argv[at + i].length;
    const tail = this.nodes.lastValue();
    let node = tail;
    if (node !== undefined) {
      const nodeMax = maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE ? STREAM_LISTPACK_MAX_SIZE : maxBytes;
      if (node.lpBytes + totelelen >= nodeMax || (maxEntries !== 0 && node.live + node.deleted >= maxEntries)) {
        node.shrink();
        node = undefined;
      }
    }
    const ms = id.ms;
    const seq = id.seq;
    let same: boolean;
    let msd: U64;
    let seqPart: U64;
    if (node === undefined) {
      same = true;
      msd = 0;
      seqPart = 0;
    } else {
      same = node.sameFields(argv, at, nf);
      msd = sub(ms, node.ms);
      seqPart = msd === 0 ? sub(seq, node.seq) : seq;
    }
    // Our bytes.
    let body = u64Len(msd) + u64Len(seqPart);
    if (!same) body += varLen(nf);
    for (let i = 0; i < nf; i++) {
      const v = argv[at + 2 * i + 1];
      body += varLen(v.length) + v.length;
      if (!same) {
        const f = argv[at + 2 * i];
        body += varLen(f.length) + f.length;
      }
    }
    const total = 1 + varLen(body) + body;
    const bytes = total + varLen(total);
    if (node === undefined) {
      node = new StreamNode(ms, seq, argv, at, nf, bytes);
      this.insertNode(node);
    } else if (node.used + bytes > node.buf.length) {
      // The node will likely fill up with entries of this size: grow to that at once.
      const full = maxEntries !== 0 ? node.entriesStart + bytes * maxEntries : 0;
      node.ensure(bytes, full > 4096 ? 4096 : full);
    }
    // Redis's listpack bytes of the entry (and of the count field that grows).
    let lp = lpIntBytes(same ? F_SAMEFIELDS : 0) + lpIntBytes(deltaInt64(ms, node.ms)) + lpIntBytes(deltaInt64(seq, node.seq));
    if (!same) lp += lpIntBytes(nf);
    for (let i = 0; i < nf; i++) {
      lp += lpEntrySize(argv[at + 2 * i + 1]);
      if (!same) lp += lpEntrySize(argv[at + 2 * i]);
    }
    lp += lpIntBytes(nf + 3 + (same ? 0 : nf + 1));
    lp += lpIntBytes(node.live + 1) - lpIntBytes(node.live);
    node.lpBytes += lp;
    node.live++;
    // Write.
    const b = node.buf;
    let p = node.used;
    b[p++] = same ? F_SAMEFIELDS : 0;
    p = putVar(b, p, body);
    p = putU64(b, p, msd);
    p = putU64(b, p, seqPart);
    if (!same) p = putVar(b, p, nf);
    for (let i = 0; i < nf; i++) {
      if (!same) p = putString(b, p, argv[at + 2 * i]);
      p = putString(b, p, argv[at + 2 * i + 1]);
    }
    p = putBack(b, p, total);
    node.used = p;
    this.length++;
    this.entriesAdded = add1(this.entriesAdded);
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Adds a node rebuilt by buildNode (RDB load): the caller sets the counters and IDs. */
  addLoadedNode(node: StreamNode): void {
    this.insertNode(node);
  }

  /** A new node enters the index (and Redis's radix tree). */
  private insertNode(node: StreamNode): void {
    this.raxNodes += this.raxInsertDelta(node.ms, node.seq);
    this.nodes.set(node.ms, node.seq, node);
  }

  /** A node leaves the index. */
  private removeNode(node: StreamNode): void {
    this.raxNodes += this.raxRemoveDelta(node.ms, node.seq);
    this.nodes.delete(node.ms, node.seq);
    if (this.hintNode === node) this.hintNode = null;
  }

  /** Iterates entries from start to end (null: the stream's ends), forward or reverse, tombstones skipped unless asked. */
  iter(start: StreamId | null, end: StreamId | null, rev: boolean, skipTombstones = true): StreamIter {
    return new StreamIter(this, start ?? ZERO_ID, end ?? MAX_ID, rev, skipTombstones);
  }

  /** True if a live entry has this ID. */
  has(id: StreamId): boolean {
    return this.iter(id, id, false).next();
  }

  /** Deletes one entry (XDEL); false if there is no live entry with that ID. */
  deleteEntry(id: StreamId): boolean {
    const it = this.iter(id, id, false);
    if (!it.next()) return false;
    it.remove();
    return true;
  }

  /** Flags the entry at `pos` of `node` deleted (streamIteratorRemoveEntry): the node goes with its last live entry. */
  removeEntryAt(node: StreamNode, pos: number): void {
    node.buf[pos] |= F_DELETED;
    if (node.live === 1) {
      this.removeNode(node);
    } else {
      node.lpBytes += lpIntBytes(node.live - 1) - lpIntBytes(node.live) + lpIntBytes(node.deleted + 1) - lpIntBytes(node.deleted);
      node.live--;
      node.deleted++;
    }
    this.length--;
  }

  /** The first or last entry's ID (streamGetEdgeID): MAX_ID / ZERO_ID when there is none. */
  edgeId(first: boolean, skipTombstones: boolean): StreamId {
    const it = this.iter(null, null, !first, skipTombstones);
    if (it.next()) return new StreamId(it.ms, it.seq);
    return first ? MAX_ID : ZERO_ID;
  }

  /** The last live entry's ID (streamLastValidID); 0-0 when empty. */
  lastValidId(): StreamId {
    return this.edgeId(false, true);
  }

  /** True if a live entry's ID is greater than `id` (the last one's, without walking when it is live). */
  hasLiveAfter(id: StreamId): boolean {
    if (this.length === 0) return false;
    const node = this.nodes.lastValue()!;
    const start = entryStartBefore(node.buf, node.used);
    if ((node.buf[start] & F_DELETED) === 0) {
      readHeader(node, start);
      return cmpId(hdrMs, hdrSeq, id.ms, id.seq) > 0;
    }
    return this.lastValidId().cmp(id) > 0;
  }

  /**
   * streamTrim: removes entries from the head, by MAXLEN (leave `maxlen`
   * entries) or MINID (entries below `minid`). Approximate trimming removes
   * whole nodes only; `limit` (0: none) caps the entries removed. Returns
   * how many were removed.
   */
  trim(strategy: Trim, maxlen: U64, minid: StreamId, approx: boolean, limit: U64): U64 {
    if (strategy === Trim.None) return 0;
    let deleted = 0;
    const cur = this.nodes.first();
    while (cur.valid) {
      if (strategy === Trim.MaxLen && this.length <= maxlen) break;
      const node = cur.value;
      const entries = node.live;
      if (limit !== 0 && deleted + entries > limit) break;
      const removeWhole = strategy === Trim.MaxLen ? this.length - entries >= maxlen : node.lastEntryId().cmp(minid) < 0;
      if (removeWhole) {
        this.removeNode(node);
        this.length -= entries;
        deleted += entries;
        this.nodes.first(cur);
        continue;
      }
      if (approx) break;
      // Flag entries of this node deleted until the target is reached.
      const b = node.buf;
      let p = node.entriesStart;
      let fromNode = 0;
      while (p < node.used) {
        const flags = b[p];
        readHeader(node, p);
        if (strategy === Trim.MaxLen ? this.length <= maxlen : cmpId(hdrMs, hdrSeq, minid.ms, minid.seq) >= 0) break;
        if ((flags & F_DELETED) === 0) {
          b[p] = flags | F_DELETED;
          fromNode++;
          this.length--;
        }
        p = headerEntryEnd(p);
      }
      deleted += fromNode;
      node.lpBytes += lpIntBytes(node.live - fromNode) - lpIntBytes(node.live) + lpIntBytes(node.deleted + fromNode) - lpIntBytes(node.deleted);
      node.live -= fromNode;
      node.deleted += fromNode;
      break;
    }
    if (this.length === 0) this.firstId = ZERO_ID;
    else if (deleted !== 0) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  // --- consumer group accounting (lag, entries-read) ------------------------

  /** True if a tombstone may lie within [start, end] (streamRangeHasTombstones). */
  rangeHasTombstones(start: StreamId | null, end: StreamId | null): boolean {
    const md = this.maxDeletedId;
    if (this.length === 0 || md.isZero()) return false;
    if (this.firstId.cmp(md) > 0) return false;
    const s = start ?? ZERO_ID;
    const e = end ?? MAX_ID;
    return s.cmp(md) <= 0 && md.cmp(e) <= 0;
  }

  /** streamEstimateDistanceFromFirstEverEntry: the logical read counter of an ID, or INVALID_ENTRIES_READ. */
  estimateDistance(id: StreamId): U64 {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0 && id.cmp(this.lastId) < 1) return this.entriesAdded;
    const cmpLast = id.cmp(this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = id.cmp(this.firstId);
    if (this.maxDeletedId.isZero() || this.maxDeletedId.cmp(this.firstId) < 0) {
      if (cmpFirst < 0) return sub(this.entriesAdded, this.length);
      if (cmpFirst === 0) return add1(sub(this.entriesAdded, this.length));
    }
    return INVALID_ENTRIES_READ;
  }

  /** A group's lag (streamReplyWithCGLag), or null when it cannot be known. */
  groupLag(g: ConsumerGroup): U64 | null {
    if (this.entriesAdded === 0) return 0;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastId, null)) return sub(this.entriesAdded, g.entriesRead);
    const read = this.estimateDistance(g.lastId);
    return read === INVALID_ENTRIES_READ ? null : sub(this.entriesAdded, read);
  }

  /** Adds a group (the name must be new). */
  addGroup(name: string, g: ConsumerGroup): void {
    if (this.groups === null) this.groups = new Map();
    this.groups.set(name, g);
    this.sortedGroupList = null;
  }

  deleteGroup(name: string): void {
    this.groups?.delete(name);
    this.sortedGroupList = null;
  }

  private sortedGroupList: [string, ConsumerGroup][] | null = null;

  /** Groups in name order; sorted again only after a change. */
  sortedGroups(): readonly [string, ConsumerGroup][] {
    if (this.groups === null) return [];
    if (this.sortedGroupList === null) this.sortedGroupList = [...this.groups.entries()].sort((a, b) => byName(a[0], b[0]));
    return this.sortedGroupList;
  }

  // --- copies and iteration -------------------------------------------------

  /** An independent deep copy (COPY): entries, IDs, counters, groups, consumers and pending lists. */
  clone(): Stream {
    const s = new Stream();
    for (const [ms, seq, node] of this.nodes.entries()) s.nodes.set(ms, seq, node.copy());
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    s.raxNodes = this.raxNodes;
    if (this.groups !== null) {
      for (const [name, g] of this.groups) {
        const ng = new ConsumerGroup(g.lastId, g.entriesRead);
        const copies = new Map<Nack, Nack>();
        for (const [ms, seq, nack] of g.pel.entries()) {
          const nn = new Nack(nack.deliveryTime, nack.deliveryCount, null);
          copies.set(nack, nn);
          ng.pel.set(ms, seq, nn);
        }
        for (const [cname, c] of g.consumers) {
          const nc = new Consumer(cname, c.seenTime, c.activeTime);
          for (const [ms, seq, nack] of c.pel.entries()) {
            const nn = copies.get(nack)!;
            nn.consumer = nc;
            nc.pel.set(ms, seq, nn);
          }
          ng.addConsumer(nc);
        }
        s.addGroup(name, ng);
      }
    }
    return s;
  }

  /** Live entries in order: [ID, field, value, field, value, ...]. */
  *[Symbol.iterator](): IterableIterator<[StreamId, string[]]> {
    const it = this.iter(null, null, false);
    while (it.next()) {
      const pairs: string[] = [];
      for (let k = 0; k < it.nf; k++) {
        it.readPair();
        pairs.push(it.field(), it.value());
      }
      yield [new StreamId(it.ms, it.seq), pairs];
    }
  }

  // --- Redis's radix tree node count ------------------------------------------
  //
  // Redis keeps the nodes in a radix tree (rax) keyed by the 16 big-endian
  // bytes of each node's first ID, and XINFO STREAM reports its node count.
  // With keys of one length, rax keeps the tree fully compressed after every
  // insert and delete, so the count is a function of the key set: a rax node
  // starts at the root, at each child of a branching point (a prefix with
  // two or more distinct next bytes), and at each branching point or leaf
  // whose parent does not branch. Adding or removing a key changes it by a
  // few units around the point where the key leaves the tree, which the
  // node index answers with a few seeks.

  private raxInsertDelta(ms: U64, seq: U64): number {
    if (this.nodes.size === 0) return 1;
    return this.raxKeyDelta(idBytes(ms, seq), null);
  }

  private raxRemoveDelta(ms: U64, seq: U64): number {
    if (this.nodes.size === 1) return -1;
    return -this.raxKeyDelta(idBytes(ms, seq), new StreamId(ms, seq));
  }

  /** The node count change of adding key x to the index without `exclude` (x itself when removing). */
  private raxKeyDelta(x: number[], exclude: StreamId | null): number {
    const [xms, xseq] = bytesId(x);
    const cur = new IdCursor<StreamNode>();
    let best: number[] | null = null;
    let L = 0;
    this.nodes.seekLE(xms, xseq, cur);
    if (cur.valid && exclude !== null && cur.ms === xms && cur.seq === xseq) cur.prev();
    if (cur.valid) {
      const a = idBytes(cur.ms, cur.seq);
      const l = lcp(a, x);
      if (best === null || l > L) {
        best = a;
        L = l;
      }
    }
    this.nodes.seekGE(xms, xseq, cur);
    if (cur.valid && exclude !== null && cur.ms === xms && cur.seq === xseq) cur.next();
    if (cur.valid) {
      const b = idBytes(cur.ms, cur.seq);
      const l = lcp(x, b);
      if (best === null || l > L) {
        best = b;
        L = l;
      }
    }
    const leafExtra = L + 1 < 16 ? 1 : 0;
    if (this.branching(x, L, exclude)) return 1 + leafExtra;
    const du = L === 0 || this.branching(x, L - 1, exclude) ? 0 : 1;
    const eCounted = L + 1 === 16 || this.branching(best!, L + 1, exclude);
    return du + (eCounted ? 0 : 1) + 1 + leafExtra;
  }

  /** True if the keys starting with k[0..d) (without `exclude`) have two or more distinct bytes at d. */
  private branching(k: number[], d: number, exclude: StreamId | null): boolean {
    const lo = k.slice(0, d);
    const hi = k.slice(0, d);
    for (let i = d; i < 16; i++) {
      lo.push(0);
      hi.push(255);
    }
    const [loMs, loSeq] = bytesId(lo);
    const [hiMs, hiSeq] = bytesId(hi);
    const cur = this.nodes.seekGE(loMs, loSeq);
    if (cur.valid && exclude !== null && cur.ms === exclude.ms && cur.seq === exclude.seq) cur.next();
    if (!cur.valid) return false;
    const first = idBytes(cur.ms, cur.seq);
    this.nodes.seekLE(hiMs, hiSeq, cur);
    if (cur.valid && exclude !== null && cur.ms === exclude.ms && cur.seq === exclude.seq) cur.prev();
    if (!cur.valid) return false;
    const last = idBytes(cur.ms, cur.seq);
    if (lcp(first, lo) < d || lcp(last, lo) < d) return false;
    return first[d] !== last[d];
  }
}

/** The 16 big-endian bytes of an ID (Redis's streamEncodeID). */
function idBytes(ms: U64, seq: U64): number[] {
  const out = new Array<number>(16);
  putBE64(out, 0, ms);
  putBE64(out, 8, seq);
  return out;
}

function putBE64(out: number[], at: number, v: U64): void {
  if (typeof v === 'number') {
    let lo = v % 4294967296;
    let hi = (v - lo) / 4294967296;
    for (let i = 7; i >= 4; i--) {
      out[at + i] = lo & 255;
      lo >>>= 8;
    }
    for (let i = 3; i >= 0; i--) {
      out[at + i] = hi & 255;
      hi >>>= 8;
    }
    return;
  }
  for (let i = 7; i >= 0; i--) {
    out[at + i] = Number(v & 255n);
    v >>= 8n;
  }
}

function bytesId(b: number[]): [U64, U64] {
  return [getBE64(b, 0), getBE64(b, 8)];
}

function getBE64(b: number[], at: number): U64 {
  const hi = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  const lo = ((b[at + 4] << 24) | (b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7]) >>> 0;
  if (hi < 2097152) return hi * 4294967296 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function lcp(a: number[], b: number[]): number {
  let i = 0;
  while (i < 16 && a[i] === b[i]) i++;
  return i;
}

// ---------------------------------------------------------------------------
// Iteration

/**
 * A walk over a range of entries (streamIterator). After next() returns
 * true, (ms, seq) is the entry's ID, nf its number of fields, and each
 * readPair() call moves to its next field/value pair: bytes
 * buf[fOff, fOff+fLen) and buf[vOff, vOff+vLen).
 */
export class StreamIter {
  ms: U64 = 0;
  seq: U64 = 0;
  flags = 0;
  nf = 0;
  buf: Buffer = EMPTY_BUF;
  fOff = 0;
  fLen = 0;
  vOff = 0;
  vLen = 0;

  private node: StreamNode | null = null;
  private pos = 0;
  private entryPos = 0;
  private epos = 0;
  private mpos = 0;
  private started = false;
  private done = false;
  private readonly cur = new IdCursor<StreamNode>();
  private readonly sMs: U64;
  private readonly sSeq: U64;
  private readonly eMs: U64;
  private readonly eSeq: U64;

  constructor(
    private readonly s: Stream,
    start: StreamId,
    end: StreamId,
    private readonly rev: boolean,
    private readonly skipTombstones: boolean,
  ) {
    this.sMs = start.ms;
    this.sSeq = start.seq;
    this.eMs = end.ms;
    this.eSeq = end.seq;
  }

  /** Moves to the next entry in range; false when there is none. */
  next(): boolean {
    if (this.done) return false;
    return this.rev ? this.nextRev() : this.nextFwd();
  }

  private nextFwd(): boolean {
    const s = this.s;
    let node = this.node;
    let pos = this.pos;
    for (;;) {
      if (node === null) {
        const cur = this.cur;
        if (!this.started) {
          this.started = true;
          if (this.sMs !== 0 || this.sSeq !== 0) {
            s.nodes.seekLE(this.sMs, this.sSeq, cur);
            if (!cur.valid) s.nodes.first(cur);
          } else {
            s.nodes.first(cur);
          }
          if (!cur.valid) return this.finish();
          node = cur.value;
          pos = node.entriesStart;
          if (s.hintNode === node && cmpId(this.sMs, this.sSeq, s.hintMs, s.hintSeq) > 0) pos = s.hintPos;
        } else {
          if (!cur.next()) return this.finish();
          node = cur.value;
          pos = node.entriesStart;
        }
        this.node = node;
      }
      if (pos >= node.used) {
        node = this.node = null;
        continue;
      }
      const flags = node.buf[pos];
      const p = readHeader(node, pos);
      const ms = hdrMs;
      const seq = hdrSeq;
      const next = headerEntryEnd(pos);
      if (cmpId(ms, seq, this.sMs, this.sSeq) >= 0) {
        if (cmpId(ms, seq, this.eMs, this.eSeq) > 0) return this.finish();
        if (!this.skipTombstones || (flags & F_DELETED) === 0) {
          this.pos = next;
          s.hintNode = node;
          s.hintPos = next;
          s.hintMs = ms;
          s.hintSeq = seq;
          return this.emit(node, pos, p, flags, ms, seq);
        }
      }
      pos = next;
    }
  }

  private nextRev(): boolean {
    const s = this.s;
    let node = this.node;
    let pos = this.pos;
    for (;;) {
      if (node === null) {
        const cur = this.cur;
        if (!this.started) {
          this.started = true;
          if (this.eMs === U64_MAX && this.eSeq === U64_MAX) s.nodes.last(cur);
          else s.nodes.seekLE(this.eMs, this.eSeq, cur);
          if (!cur.valid) return this.finish();
        } else if (!cur.prev()) {
          return this.finish();
        }
        node = this.node = cur.value;
        pos = node.used;
      }
      if (pos <= node.entriesStart) {
        node = this.node = null;
        continue;
      }
      const start = entryStartBefore(node.buf, pos);
      const flags = node.buf[start];
      const p = readHeader(node, start);
      const ms = hdrMs;
      const seq = hdrSeq;
      if (cmpId(ms, seq, this.eMs, this.eSeq) <= 0) {
        if (cmpId(ms, seq, this.sMs, this.sSeq) < 0) return this.finish();
        if (!this.skipTombstones || (flags & F_DELETED) === 0) {
          this.pos = start;
          return this.emit(node, start, p, flags, ms, seq);
        }
      }
      pos = start;
    }
  }

  private emit(node: StreamNode, entryPos: number, fieldsPos: number, flags: number, ms: U64, seq: U64): boolean {
    this.entryPos = entryPos;
    this.flags = flags;
    this.ms = ms;
    this.seq = seq;
    const b = (this.buf = node.buf);
    if ((flags & F_SAMEFIELDS) !== 0) {
      this.nf = node.nfields;
      this.mpos = getVar(b, 0);
      this.epos = fieldsPos;
    } else {
      this.epos = getVar(b, fieldsPos);
      this.nf = rdNum;
    }
    return true;
  }

  private finish(): boolean {
    this.done = true;
    this.node = null;
    return false;
  }

  /** The current entry is a tombstone (only seen when tombstones are not skipped). */
  get deleted(): boolean {
    return (this.flags & F_DELETED) !== 0;
  }

  /** Moves to the next field/value pair of the current entry. */
  readPair(): void {
    const b = this.buf;
    if ((this.flags & F_SAMEFIELDS) !== 0) {
      const p = getVar(b, this.mpos);
      this.fOff = p;
      this.fLen = rdNum;
      this.mpos = p + rdNum;
    } else {
      const p = getVar(b, this.epos);
      this.fOff = p;
      this.fLen = rdNum;
      this.epos = p + rdNum;
    }
    const p = getVar(b, this.epos);
    this.vOff = p;
    this.vLen = rdNum;
    this.epos = p + rdNum;
  }

  /** The current field as a string (after readPair). */
  field(): string {
    return this.buf.latin1Slice(this.fOff, this.fOff + this.fLen);
  }

  /** The current value as a string (after readPair). */
  value(): string {
    return this.buf.latin1Slice(this.vOff, this.vOff + this.vLen);
  }

  /** The current entry's ID. */
  id(): StreamId {
    return new StreamId(this.ms, this.seq);
  }

  /** Deletes the current entry; the walk ends. */
  remove(): void {
    const node = this.node;
    if (node === null) throw new Error('StreamIter.remove: no current entry');
    this.s.removeEntryAt(node, this.entryPos);
    this.finish();
  }
}

const EMPTY_BUF = Buffer.alloc(0);
