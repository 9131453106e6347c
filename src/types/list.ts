// The list value: a circular deque of latin1 strings (O(1) push/pop at both
// ends and O(1) access by index), plus the bookkeeping that lets OBJECT
// ENCODING report what Redis 7.2 would:
//
// - 'listpack' while the list, encoded as one listpack, stays within
//   list-max-listpack-size (negative: a byte limit of 4/8/16/32/64 KB for
//   -1..-5; positive: an entry count, with an 8 KB safety limit);
// - 'quicklist' past it. The quicklist's node layout is modelled (entry count
//   and listpack bytes of each node, plain nodes for large elements) because
//   it decides when the list converts back: only when a single packed node
//   remains and it is below half the limit (t_list.c listTypeTryConvertQuicklist).
//   Pushes and pops at the ends follow quicklist exactly; middle operations
//   (LINSERT, LSET, LREM, LTRIM) update the node holding the element and drop
//   emptied nodes, without modelling node splits and merges.
//
// Element storage is the same in both encodings: a Ring (src/types/ring.ts),
// one circular array while small, a directory of fixed-size chunks when big
// (no length cap, no whole copy when it grows or shrinks).

import { Enc } from '../db/robj.js';
import { Ring } from './ring.js';

/** Byte limits for negative list-max-listpack-size values -1..-5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
/** Bytes of an empty listpack: 6-byte header + end byte. */
const LP_EMPTY = 7;

/** A quicklist node: entry count and bytes (listpack size, or the element size of a plain node). */
export interface QlNode {
  count: number;
  bytes: number;
  plain: boolean;
}

/**
 * The node list of every list in listpack form: shared, so a small list does
 * not carry an empty array of its own (32 bytes). Node lists are only changed
 * in quicklist form, which always gets its own array; frozen so a mistake
 * throws instead of touching every list.
 */
const NO_NODES: QlNode[] = Object.freeze([]) as unknown as QlNode[];

function sizeLimit(fill: number): number {
  if (fill >= 0) return Infinity;
  let off = -fill - 1;
  if (off >= OPTIMIZATION_LEVEL.length) off = OPTIMIZATION_LEVEL.length - 1;
  return OPTIMIZATION_LEVEL[off];
}

function countLimit(fill: number): number {
  return fill >= 0 ? (fill === 0 ? 1 : fill) : Infinity;
}

/** quicklistNodeExceedsLimit */
function exceedsLimit(fill: number, sz: number, count: number): boolean {
  if (fill < 0) return sz > sizeLimit(fill);
  if (sz > SIZE_SAFETY_LIMIT) return true;
  return count > countLimit(fill);
}

/** isLargeElement: such elements get a plain node of their own. */
function isLarge(sz: number, fill: number): boolean {
  return fill >= 0 ? sz > SIZE_SAFETY_LIMIT : sz > sizeLimit(fill);
}

function allowInsert(node: QlNode | undefined, fill: number, sz: number): boolean {
  if (node === undefined || node.plain || isLarge(sz, fill)) return false;
  return !exceedsLimit(fill, node.bytes + sz + SIZE_ESTIMATE_OVERHEAD, node.count + 1);
}

/** Bytes one element takes in a listpack (encoding + data + backlen). */
export function lpEntrySize(s: string): number {
  const n = s.length;
  let enc = 0;
  if (n > 0 && n <= 20) {
    const c0 = s.charCodeAt(0);
    if ((c0 >= 48 && c0 <= 57) || c0 === 45) {
      const v = lpInt(s);
      if (v !== null) {
        if (v >= 0 && v <= 127) enc = 1;
        else if (v >= -4096 && v <= 4095) enc = 2;
        else if (v >= -32768 && v <= 32767) enc = 3;
        else if (v >= -8388608 && v <= 8388607) enc = 4;
        else if (v >= -2147483648 && v <= 2147483647) enc = 5;
        else enc = 9;
      }
    }
  }
  if (enc === 0) enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  const back = enc <= 127 ? 1 : enc < 16383 ? 2 : enc < 2097151 ? 3 : enc < 268435455 ? 4 : 5;
  return enc + back;
}

/** lpStringToInt64: a canonical int64 ("0", "-5", no leading zeros or '+'); its value (approximate past 2^53) or null. */
function lpInt(s: string): number | null {
  const n = s.length;
  if (n === 1) {
    const c = s.charCodeAt(0);
    return c >= 48 && c <= 57 ? c - 48 : null;
  }
  let i = 0;
  if (s.charCodeAt(0) === 45) i = 1;
  const f = s.charCodeAt(i);
  if (f < 49 || f > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i >= 19) {
    const b = BigInt(s);
    if (b > 9223372036854775807n || b < -9223372036854775808n) return null;
  }
  return +s;
}

export class ListValue {
  /** The elements, head to tail (src/types/ring.ts: chunked when big, no length cap). */
  private readonly ring: Ring<string>;
  /** Enc.Listpack or Enc.Quicklist. */
  enc: Enc = Enc.Listpack;
  /** Listpack bytes while enc is Listpack. */
  lpBytes = LP_EMPTY;
  /** Quicklist nodes, head to tail, while enc is Quicklist. */
  private nodes: QlNode[] = NO_NODES;

  constructor(capacity = 4) {
    this.ring = new Ring<string>(capacity);
  }

  private get len(): number {
    return this.ring.len;
  }

  get size(): number {
    return this.len;
  }

  get length(): number {
    return this.len;
  }

  // --- encoding bookkeeping ------------------------------------------------

  /**
   * Before adding elements whose raw lengths sum to `addBytes`: a listpack that
   * would pass the limit becomes a quicklist (listTypeTryConvertListpack).
   */
  growCheck(fill: number, addBytes: number, addCount: number): void {
    if (this.enc !== Enc.Listpack) return;
    if (exceedsLimit(fill, this.lpBytes + addBytes, this.len + addCount)) {
      this.enc = Enc.Quicklist;
      this.nodes = this.len > 0 ? [{ count: this.len, bytes: this.lpBytes, plain: false }] : [];
    }
  }

  /** After removing elements: a quicklist of one small packed node becomes a listpack again. */
  shrinkCheck(fill: number): void {
    if (this.enc !== Enc.Quicklist) return;
    const nodes = this.nodes;
    if (nodes.length !== 1) return;
    const n = nodes[0];
    if (n.plain) return;
    const szl = fill >= 0 ? Infinity : Math.floor(sizeLimit(fill) / 2);
    const cl = fill >= 0 ? Math.floor(countLimit(fill) / 2) : Infinity;
    if (n.bytes > szl || n.count > cl) return;
    this.enc = Enc.Listpack;
    this.lpBytes = n.bytes;
    this.nodes = NO_NODES;
  }

  /** The quicklist node layout, head to tail (empty while enc is Listpack): RDB writes one node per entry here. */
  get quicklistNodes(): readonly QlNode[] {
    return this.nodes;
  }

  /**
   * listTypeTryConvertQuicklist(shrinking = 0), as RDB loading applies it: a
   * quicklist of one packed node within the size (or count) limit becomes a
   * listpack.
   */
  private tryConvertLoaded(fill: number): void {
    const nodes = this.nodes;
    if (nodes.length !== 1 || nodes[0].plain) return;
    const n = nodes[0];
    if (fill < 0 ? n.bytes > sizeLimit(fill) : n.count > countLimit(fill)) return;
    this.enc = Enc.Listpack;
    this.lpBytes = n.bytes;
    this.nodes = NO_NODES;
  }

  private accountPush(s: string, head: boolean, fill: number): void {
    if (this.enc === Enc.Listpack) {
      this.lpBytes += lpEntrySize(s);
      return;
    }
    const nodes = this.nodes;
    const sz = s.length;
    if (isLarge(sz, fill)) {
      const node = { count: 1, bytes: sz, plain: true };
      if (head) nodes.unshift(node);
      else nodes.push(node);
      return;
    }
    const end = head ? nodes[0] : nodes[nodes.length - 1];
    if (allowInsert(end, fill, sz)) {
      end!.count++;
      end!.bytes += lpEntrySize(s);
    } else {
      const node = { count: 1, bytes: LP_EMPTY + lpEntrySize(s), plain: false };
      if (head) nodes.unshift(node);
      else nodes.push(node);
    }
  }

  private accountPop(s: string, head: boolean): void {
    if (this.enc === Enc.Listpack) {
      this.lpBytes -= lpEntrySize(s);
      return;
    }
    const nodes = this.nodes;
    const node = head ? nodes[0] : nodes[nodes.length - 1];
    if (--node.count === 0) {
      if (head) nodes.shift();
      else nodes.pop();
    } else if (!node.plain) {
      node.bytes -= lpEntrySize(s);
    }
  }

  /** The node holding element `index` and the number of elements before that node. */
  private nodeOf(index: number): [QlNode, number, number] {
    const nodes = this.nodes;
    let before = 0;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (index < before + n.count) return [n, i, before];
      before += n.count;
    }
    const last = nodes.length - 1;
    return [nodes[last], last, before - nodes[last].count];
  }

  // --- element access ----------------------------------------------------

  pushHead(s: string, fill: number): void {
    this.accountPush(s, true, fill);
    this.ring.pushHead(s);
  }

  pushTail(s: string, fill: number): void {
    this.accountPush(s, false, fill);
    this.ring.pushTail(s);
  }

  popHead(): string | undefined {
    const s = this.ring.popHead();
    if (s !== undefined) this.accountPop(s, true);
    return s;
  }

  popTail(): string | undefined {
    const s = this.ring.popTail();
    if (s !== undefined) this.accountPop(s, false);
    return s;
  }

  /** Element at a 0-based index (no bounds check beyond undefined). */
  get(i: number): string {
    return this.ring.get(i);
  }

  /** Replaces element i. */
  set(i: number, s: string, fill: number): void {
    const old = this.ring.set(i, s);
    if (this.enc === Enc.Listpack) {
      this.lpBytes += lpEntrySize(s) - lpEntrySize(old);
      return;
    }
    const [node] = this.nodeOf(i);
    if (node.plain) {
      if (!isLarge(s.length, fill)) {
        node.plain = false;
        node.bytes = LP_EMPTY + lpEntrySize(s);
      } else node.bytes = s.length;
    } else node.bytes += lpEntrySize(s) - lpEntrySize(old);
  }

  /** Inserts s before or after the element at index `pivot` (LINSERT). */
  insert(pivot: number, after: boolean, s: string, fill: number): void {
    if (this.enc === Enc.Listpack) this.lpBytes += lpEntrySize(s);
    else this.qlInsert(pivot, after, s, fill);
    this.insertStorage(after ? pivot + 1 : pivot, s);
  }

  /** Inserts s so that it becomes element i (0 <= i <= size). */
  insertAt(i: number, s: string, fill: number): void {
    if (i === this.len) {
      if (i === 0) this.pushTail(s, fill);
      else this.insert(i - 1, true, s, fill);
    } else this.insert(i, false, s, fill);
  }

  private insertStorage(i: number, s: string): void {
    this.ring.insert(i, s);
  }

  /** Listpack bytes of elements [from, from + n). */
  private rangeBytes(from: number, n: number): number {
    let b = LP_EMPTY;
    for (let k = from; k < from + n; k++) b += lpEntrySize(this.get(k));
    return b;
  }

  /** The node layout change of quicklist's _quicklistInsert (before the element is stored). */
  private qlInsert(pivot: number, after: boolean, s: string, fill: number): void {
    const nodes = this.nodes;
    const [node, ni, before] = this.nodeOf(pivot);
    const offset = pivot - before;
    const sz = s.length;
    const es = lpEntrySize(s);
    const full = !allowInsert(node, fill, sz);
    const atTail = after && offset === node.count - 1;
    const atHead = !after && offset === 0;
    const next = nodes[ni + 1];
    const prev = ni > 0 ? nodes[ni - 1] : undefined;
    // Split parts: positions [before, before+offset] / the rest (after), or [before, before+offset) / the rest (before).
    const leftN = after ? offset + 1 : offset;
    const splitParts = (): [QlNode, QlNode] => {
      const left: QlNode = { count: leftN, bytes: this.rangeBytes(before, leftN), plain: false };
      const right: QlNode = { count: node.count - leftN, bytes: this.rangeBytes(before + leftN, node.count - leftN), plain: false };
      return [left, right];
    };
    if (isLarge(sz, fill)) {
      const plainNode: QlNode = { count: 1, bytes: sz, plain: true };
      if (node.plain || atTail || atHead) nodes.splice(after ? ni + 1 : ni, 0, plainNode);
      else {
        const [left, right] = splitParts();
        nodes.splice(ni, 1, left, plainNode, right);
      }
      return;
    }
    if (!full) {
      node.count++;
      node.bytes += es;
    } else if (atTail && allowInsert(next, fill, sz)) {
      next!.count++;
      next!.bytes += es;
    } else if (atHead && allowInsert(prev, fill, sz)) {
      prev!.count++;
      prev!.bytes += es;
    } else if (atTail || atHead) {
      nodes.splice(after ? ni + 1 : ni, 0, { count: 1, bytes: LP_EMPTY + es, plain: false });
    } else {
      const [left, right] = splitParts();
      // The new element joins the split-off part; the original node is the merge centre.
      if (after) {
        right.count++;
        right.bytes += es;
      } else {
        left.count++;
        left.bytes += es;
      }
      nodes.splice(ni, 1, left, right);
      this.mergeAround(after ? ni : ni + 1, fill);
    }
  }

  /** quicklist's _quicklistMergeNodes around nodes[ci]. */
  private mergeAround(ci: number, fill: number): void {
    const nodes = this.nodes;
    const can = (a: QlNode | undefined, b: QlNode | undefined): boolean =>
      a !== undefined && b !== undefined && !a.plain && !b.plain && !exceedsLimit(fill, a.bytes + b.bytes - LP_EMPTY, a.count + b.count);
    const merge = (i: number): void => {
      const a = nodes[i];
      const b = nodes[i + 1];
      a.bytes += b.bytes - LP_EMPTY;
      a.count += b.count;
      nodes.splice(i + 1, 1);
    };
    if (ci >= 2 && can(nodes[ci - 1], nodes[ci - 2])) {
      merge(ci - 2);
      ci--;
    }
    if (can(nodes[ci + 1], nodes[ci + 2])) merge(ci + 1);
    let ti = ci;
    if (ci >= 1 && can(nodes[ci], nodes[ci - 1])) {
      merge(ci - 1);
      ti = ci - 1;
    }
    if (can(nodes[ti], nodes[ti + 1])) merge(ti);
  }

  /**
   * Removes the elements at the given ascending indexes (LREM), in one pass.
   */
  removeIndexes(idx: number[]): void {
    if (idx.length === 0) return;
    if (this.enc === Enc.Listpack) {
      for (const i of idx) this.lpBytes -= lpEntrySize(this.get(i));
    } else {
      const nodes = this.nodes;
      const removed = new Array<number>(nodes.length).fill(0);
      let ni = 0;
      let before = 0;
      for (const i of idx) {
        while (i >= before + nodes[ni].count) before += nodes[ni++].count;
        const n = nodes[ni];
        if (!n.plain) n.bytes -= lpEntrySize(this.get(i));
        removed[ni]++;
      }
      const kept: QlNode[] = [];
      for (let k = 0; k < nodes.length; k++) {
        const n = nodes[k];
        n.count -= removed[k];
        if (n.count > 0) kept.push(n);
      }
      this.nodes = kept;
    }
    const out: string[] = [];
    let j = 0;
    for (let i = 0; i < this.len; i++) {
      if (j < idx.length && idx[j] === i) {
        j++;
        continue;
      }
      out.push(this.get(i));
    }
    this.replaceAll(out);
  }

  private replaceAll(items: string[]): void {
    this.ring.replaceAll(items);
  }

  /** Keeps elements [start, end] (valid, inclusive) by dropping both ends (LTRIM). */
  trim(start: number, end: number): void {
    const dropTail = this.len - 1 - end;
    for (let k = 0; k < start; k++) this.popHead();
    for (let k = 0; k < dropTail; k++) this.popTail();
  }

  /** Index of the first element equal to s at or after `from`, or -1. */
  indexOf(s: string, from = 0): number {
    for (let i = from; i < this.len; i++) if (this.ring.get(i) === s) return i;
    return -1;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.len; i++) yield this.ring.get(i);
  }

  /** Elements head to tail as an array. */
  toArray(): string[] {
    const out = new Array<string>(this.len);
    for (let i = 0; i < this.len; i++) out[i] = this.ring.get(i);
    return out;
  }

  /** Consistency check of the encoding bookkeeping (tests, DEBUG): null when fine, else what is wrong. */
  validate(): string | null {
    if (this.enc === Enc.Listpack) {
      const b = this.rangeBytes(0, this.len);
      return b === this.lpBytes ? null : `listpack bytes ${this.lpBytes} != ${b}`;
    }
    let at = 0;
    for (const n of this.nodes) {
      if (n.count <= 0) return 'empty node';
      if (n.plain && n.count !== 1) return 'plain node with several entries';
      if (!n.plain) {
        const b = this.rangeBytes(at, n.count);
        if (b !== n.bytes) return `node at ${at}: bytes ${n.bytes} != ${b}`;
      }
      at += n.count;
    }
    return at === this.len ? null : `nodes hold ${at} entries, list has ${this.len}`;
  }

  clone(): ListValue {
    const l = new ListValue(this.len);
    for (let i = 0; i < this.len; i++) l.ring.pushTail(this.get(i));
    l.enc = this.enc;
    l.lpBytes = this.lpBytes;
    l.nodes = this.enc === Enc.Quicklist ? this.nodes.map((n) => ({ count: n.count, bytes: n.bytes, plain: n.plain })) : NO_NODES;
    return l;
  }

  /**
   * A list loaded from an RDB list of elements (the old linked-list and
   * ziplist types): Redis pushes them into a quicklist one by one, then
   * (`convert`: the linked-list type only) makes it a listpack if it ended
   * up as one small node.
   */
  static fromPushes(items: Iterable<string>, fill: number, convert: boolean): ListValue {
    const l = new ListValue();
    l.enc = Enc.Quicklist;
    l.nodes = [];
    for (const s of items) l.pushTail(s, fill);
    if (convert) l.tryConvertLoaded(fill);
    return l;
  }

  /**
   * A list loaded from an RDB quicklist: its nodes as they were saved (packed
   * nodes' elements, or one element of a plain node), then the listpack
   * conversion of RDB loading. Empty packed nodes are skipped, as Redis does.
   */
  static fromNodes(nodes: Iterable<{ items: string[]; plain: boolean }>, fill: number): ListValue {
    const l = new ListValue();
    l.enc = Enc.Quicklist;
    l.nodes = [];
    for (const n of nodes) {
      if (n.items.length === 0) continue;
      const start = l.len;
      for (const s of n.items) l.ring.pushTail(s);
      l.nodes.push(n.plain ? { count: 1, bytes: n.items[0].length, plain: true } : { count: n.items.length, bytes: l.rangeBytes(start, n.items.length), plain: false });
    }
    l.tryConvertLoaded(fill);
    return l;
  }

  /** Builds a list from elements (RDB load, RESTORE, SORT STORE) with the encoding Redis would give it. */
  static from(items: Iterable<string>, fill: number): ListValue {
    const l = new ListValue();
    for (const s of items) {
      l.growCheck(fill, s.length, 1);
      l.pushTail(s, fill);
    }
    return l;
  }
}
