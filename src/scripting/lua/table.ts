// The Lua 5.1 table, laid out exactly as ltable.c lays it out, so that what a
// script can observe about the layout — the order `next`/`pairs` visit keys
// in, and which border `#t` picks in a table with holes — is the same as in
// Redis's embedded Lua.
//
// A table has an array part (`arr`, keys 1..sizearray) and a node part: a
// power-of-two vector of nodes (`nk` keys, `nv` values, `nn` next links) in
// which each key has a main position given by its hash; collisions are
// chained through free nodes taken from the top (`lastfree`), with Brent's
// variation (a node not in its main position is moved out when the owner of
// that position arrives). Inserting into a full node part rehashes: the new
// array size is the largest n such that more than n/2 of the slots 1..n
// would be used, and the node part is sized for the rest. All of this
// follows the C code step by step, including its quirks (assigning nil to an
// absent key still creates the key; a key whose value became nil keeps its
// node until the next rehash).
//
// Lookups walk the chain from the key's main position, as in C. Each node
// keeps its key's hash, so rehashing does not hash strings again, and string
// hashes are cached across tables (C Lua keeps the hash in the string).
// Node parts of up to 8 nodes are searched linearly instead.
//
// Keys hash as in Lua 5.1: strings with luaS_hash (Redis hashes every byte,
// stock Lua 5.1 samples at most 32: `setStringHashAllBytes`), numbers by
// their two 32-bit halves, booleans as 0/1, objects by an address (here a
// per-object serial number standing in for the pointer).

import type { LuaValue } from './value.js';
import { addressOf, newAddress } from './value.js';

const MAXBITS = 26;
const MAXASIZE = 1 << MAXBITS;

const EMPTY: LuaValue[] = [];
/** Node parts up to this many nodes are searched linearly. */
const SCAN_LIMIT = 8;
/** Slots per node: key, value, next node (-1 for none), the key's hash. */
const NS = 4;

let hashAllBytes = true;
/**
 * Redis's Lua hashes every byte of a string (a hash-flooding fix); stock
 * Lua 5.1 hashes at most 32 bytes. The order `pairs` visits long string keys
 * in depends on it. Default: Redis's.
 */
export function setStringHashAllBytes(all: boolean): void {
  if (all !== hashAllBytes) hashCache.clear();
  hashAllBytes = all;
}

/** luaS_hash of a latin1 string. */
function computeStringHash(s: string): number {
  const l = s.length;
  let h = l >>> 0;
  const step = hashAllBytes ? 1 : (l >> 5) + 1;
  for (let l1 = l; l1 >= step; l1 -= step) h = (h ^ ((h << 5) + (h >>> 2) + s.charCodeAt(l1 - 1))) >>> 0;
  return h;
}

/** Hashes of recently used strings (C Lua computes a string's hash once, when it creates it). */
const hashCache = new Map<string, number>();
const HASH_CACHE_LIMIT = 1 << 18;

export function stringHash(s: string): number {
  if (s.length < 4) return computeStringHash(s);
  let h = hashCache.get(s);
  if (h === undefined) {
    h = computeStringHash(s);
    if (hashCache.size >= HASH_CACHE_LIMIT) hashCache.clear();
    hashCache.set(s, h);
  }
  return h;
}

/** The raw hash of a key (before it is reduced to a node position). */
function keyHash(k: LuaValue): number {
  switch (typeof k) {
    case 'number': {
      if (k === 0) return 0;
      f64[0] = k;
      return (u32[0] + u32[1]) >>> 0;
    }
    case 'string':
      return stringHash(k);
    case 'boolean':
      return k ? 1 : 0;
    default:
      return addressOf(k as object);
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** ceil(log2(x)) for x >= 1. */
function ceilLog2(x: number): number {
  if (x <= 2147483648) return x <= 1 ? 0 : 32 - Math.clz32(x - 1);
  let l = 0;
  x -= 1;
  while (x > 0) {
    x = Math.floor(x / 2);
    l++;
  }
  return l;
}

/** The array index a key would have (1-based), or 0 when it is not an integer in 1..2^26. */
function arrayIndex(k: LuaValue): number {
  if (typeof k === 'number' && k >= 1 && k <= MAXASIZE && Math.floor(k) === k) return k;
  return 0;
}

export class LuaTable {
  /** Array part: arr[i] holds key i+1; its length is sizearray. */
  arr: LuaValue[] = EMPTY;
  /**
   * Node part, NS slots per node: key, value, next node (-1 for none), hash.
   * Empty for Lua's dummynode. A nil key marks a free node; a key with a nil
   * value is a dead key, which keeps its node until the next rehash.
   */
  node: LuaValue[] = EMPTY;
  /** Number of nodes (a power of two, or 0). */
  nsize = 0;
  lastfree = 0;
  metatable: LuaTable | null = null;
  /** Redis's read-only tables (lua_enablereadonlytable). */
  readonly = false;
  readonly addr: number;

  constructor(narray = 0, nhash = 0) {
    this.addr = newAddress();
    if (narray > 0) {
      const a: LuaValue[] = [];
      for (let i = 0; i < narray; i++) a.push(undefined);
      this.arr = a;
    }
    if (nhash > 0) this.setNodeVector(nhash);
  }

  /** A table whose node part is a copy of a template's (a constructor with constant keys). */
  static fromTemplate(narray: number, tpl: TableTemplate): LuaTable {
    const t = new LuaTable(narray, 0);
    t.node = tpl.node.slice();
    t.nsize = tpl.nsize;
    t.lastfree = tpl.lastfree;
    return t;
  }

  /** The node holding key k, or -1 (the table has a node part). */
  private find(k: LuaValue): number {
    const node = this.node;
    if (this.nsize <= SCAN_LIMIT) {
      for (let i = 0; i < node.length; i += NS) if (node[i] === k) return i / NS;
      return -1;
    }
    let n = this.position(k, keyHash(k));
    do {
      if (node[n * NS] === k) return n;
      n = node[n * NS + 2] as number;
    } while (n >= 0);
    return -1;
  }

  // ---- lookups ----

  get(k: LuaValue): LuaValue {
    if (typeof k === 'number') {
      const i = k - 1;
      if (i >= 0 && i < this.arr.length && (i | 0) === i) return this.arr[i];
    }
    if (this.nsize === 0) return undefined;
    const n = this.find(k);
    return n < 0 ? undefined : this.node[n * NS + 1];
  }

  /** Raw get of a string key. */
  getStr(k: string): LuaValue {
    const node = this.node;
    if (this.nsize <= SCAN_LIMIT) {
      for (let i = 0; i < node.length; i += NS) if (node[i] === k) return node[i + 1];
      return undefined;
    }
    let n = stringHash(k) & (this.nsize - 1);
    do {
      if (node[n * NS] === k) return node[n * NS + 1];
      n = node[n * NS + 2] as number;
    } while (n >= 0);
    return undefined;
  }

  /** Raw get of a string key whose hash is known (a constant in compiled code). */
  getStrH(k: string, h: number): LuaValue {
    const size = this.nsize;
    if (size === 0) return undefined;
    const node = this.node;
    let n = h & (size - 1);
    do {
      if (node[n * NS] === k) return node[n * NS + 1];
      n = node[n * NS + 2] as number;
    } while (n >= 0);
    return undefined;
  }

  /** Raw get of an integer key. */
  getInt(k: number): LuaValue {
    const i = k - 1;
    if (i >= 0 && i < this.arr.length) return this.arr[i];
    if (this.nsize === 0) return undefined;
    const n = this.find(k);
    return n < 0 ? undefined : this.node[n * NS + 1];
  }

  // ---- assignment ----

  /**
   * Raw set (luaH_set followed by the store). The caller has checked that
   * the key is neither nil nor NaN.
   */
  set(k: LuaValue, v: LuaValue): void {
    for (;;) {
      if (typeof k === 'number') {
        const i = k - 1;
        if (i >= 0 && i < this.arr.length && (i | 0) === i) {
          this.arr[i] = v;
          return;
        }
      }
      let n = this.nsize === 0 ? -1 : this.find(k);
      if (n < 0) n = this.newKey(k, keyHash(k));
      if (n >= 0) {
        this.node[n * NS + 1] = v;
        return;
      }
      // rehashed: the key may now belong to the array part; try again
    }
  }

  setInt(k: number, v: LuaValue): void {
    const i = k - 1;
    if (i >= 0 && i < this.arr.length) {
      this.arr[i] = v;
      return;
    }
    this.set(k, v);
  }

  setStr(k: string, v: LuaValue): void {
    if (this.nsize !== 0) {
      const n = this.find(k);
      if (n >= 0) {
        this.node[n * NS + 1] = v;
        return;
      }
    }
    this.set(k, v);
  }

  // ---- length and traversal ----

  /** luaH_getn: a border of the table, found the way Lua 5.1 finds it. */
  length(): number {
    const arr = this.arr;
    let j = arr.length;
    if (j > 0 && arr[j - 1] === undefined) {
      let i = 0;
      while (j - i > 1) {
        const m = Math.floor((i + j) / 2);
        if (arr[m - 1] === undefined) j = m;
        else i = m;
      }
      return i;
    }
    if (this.nsize === 0) return j;
    return this.unboundSearch(j);
  }

  private unboundSearch(j: number): number {
    let i = j;
    j++;
    while (this.getInt(j) !== undefined) {
      i = j;
      j *= 2;
      if (j > 0x7fffffff) {
        i = 1;
        while (this.getInt(i) !== undefined) i++;
        return i - 1;
      }
    }
    while (j - i > 1) {
      const m = Math.floor((i + j) / 2);
      if (this.getInt(m) === undefined) j = m;
      else i = m;
    }
    return i;
  }

  /**
   * luaH_next: the traversal position after `key` (nil = start). Returns the
   * position (array slots first, then nodes) of the next non-nil entry, -1 at
   * the end, or -2 when `key` is not in the table ("invalid key to 'next'").
   */
  nextIndex(key: LuaValue): number {
    let i: number;
    const arr = this.arr;
    if (key === undefined) i = -1;
    else {
      const a = arrayIndex(key);
      if (a > 0 && a <= arr.length) i = a - 1;
      else {
        const n = this.nsize === 0 ? -1 : this.find(key);
        if (n < 0) return -2;
        i = n + arr.length;
      }
    }
    for (i++; i < arr.length; i++) if (arr[i] !== undefined) return i;
    const node = this.node;
    for (i -= arr.length; i < this.nsize; i++) if (node[i * NS + 1] !== undefined) return i + arr.length;
    return -1;
  }

  /** The traversal position after position `pos` (-1: the first), or -1 at the end. */
  nextPos(pos: number): number {
    const arr = this.arr;
    let i = pos + 1;
    for (; i < arr.length; i++) if (arr[i] !== undefined) return i;
    const node = this.node;
    for (i -= arr.length; i < this.nsize; i++) if (node[i * NS + 1] !== undefined) return i + arr.length;
    return -1;
  }

  /** Key at a traversal position from nextIndex. */
  keyAt(pos: number): LuaValue {
    return pos < this.arr.length ? pos + 1 : this.node[(pos - this.arr.length) * NS];
  }

  /** Value at a traversal position from nextIndex. */
  valueAt(pos: number): LuaValue {
    return pos < this.arr.length ? this.arr[pos] : this.node[(pos - this.arr.length) * NS + 1];
  }

  /** Calls fn for every entry with a non-nil value, in `next` order. */
  forEach(fn: (k: LuaValue, v: LuaValue) => void): void {
    const arr = this.arr;
    for (let i = 0; i < arr.length; i++) if (arr[i] !== undefined) fn(i + 1, arr[i]);
    const node = this.node;
    for (let i = 0; i < node.length; i += NS) if (node[i + 1] !== undefined) fn(node[i], node[i + 1]);
  }

  /** luaH_resizearray (used by SETLIST of a constructor). */
  resizeArray(nasize: number): void {
    this.resize(nasize, this.nsize);
  }

  /** Rough size in bytes, for memory accounting. */
  byteSize(): number {
    return 64 + this.arr.length * 8 + this.nsize * 32;
  }

  // ---- the C code's internals ----

  /** The main position of a key with hash h (mainposition). */
  private position(k: LuaValue, h: number): number {
    const size = this.nsize;
    switch (typeof k) {
      case 'string':
      case 'boolean':
        return h & (size - 1);
      default:
        return h % ((size - 1) | 1);
    }
  }

  private getFreePos(): number {
    const node = this.node;
    while (this.lastfree-- > 0) {
      if (node[this.lastfree * NS] === undefined) return this.lastfree;
    }
    return -1;
  }

  /** newkey: places a new key, returning its node, or -1 after a rehash. */
  private newKey(k: LuaValue, h: number): number {
    if (this.nsize === 0) {
      this.rehash(k);
      return -1;
    }
    const node = this.node;
    let mp = this.position(k, h);
    if (node[mp * NS + 1] !== undefined) {
      const n = this.getFreePos();
      if (n < 0) {
        this.rehash(k);
        return -1;
      }
      let othern = this.position(node[mp * NS], node[mp * NS + 3] as number);
      if (othern !== mp) {
        // the colliding node is out of its main position: move it to the free node
        while (node[othern * NS + 2] !== mp) othern = node[othern * NS + 2] as number;
        node[othern * NS + 2] = n;
        node[n * NS] = node[mp * NS];
        node[n * NS + 1] = node[mp * NS + 1];
        node[n * NS + 2] = node[mp * NS + 2];
        node[n * NS + 3] = node[mp * NS + 3];
        node[mp * NS + 1] = undefined;
        node[mp * NS + 2] = -1;
      } else {
        // the colliding node is in its main position: the new key takes the free node
        node[n * NS + 2] = node[mp * NS + 2];
        node[mp * NS + 2] = n;
        mp = n;
      }
    }
    node[mp * NS] = k;
    node[mp * NS + 3] = h;
    return mp;
  }

  private setNodeVector(size: number): void {
    if (size === 0) {
      this.node = EMPTY;
      this.nsize = 0;
      this.lastfree = 0;
      return;
    }
    const lsize = ceilLog2(size);
    if (lsize > MAXBITS) throw new TableOverflow();
    size = 2 ** lsize;
    const node = new Array<LuaValue>(size * NS);
    for (let i = 0; i < node.length; i += NS) {
      node[i] = undefined;
      node[i + 1] = undefined;
      node[i + 2] = -1;
      node[i + 3] = 0;
    }
    this.node = node;
    this.nsize = size;
    this.lastfree = size;
  }

  private resize(nasize: number, nhsize: number): void {
    const oldArr = this.arr;
    const oldasize = oldArr.length;
    const oldNode = this.node;
    if (nasize > oldasize) {
      const a = oldArr === EMPTY ? [] : oldArr; // grows in place
      for (let i = oldasize; i < nasize; i++) a.push(undefined);
      this.arr = a;
    }
    this.setNodeVector(nhsize);
    if (nasize < oldasize) {
      const vanishing = oldArr.slice(nasize);
      oldArr.length = nasize;
      for (let i = 0; i < vanishing.length; i++) if (vanishing[i] !== undefined) this.set(nasize + i + 1, vanishing[i]);
    }
    for (let i = oldNode.length - NS; i >= 0; i -= NS) {
      const v = oldNode[i + 1];
      if (v === undefined) continue;
      const k = oldNode[i];
      const a = arrayIndex(k);
      if (a > 0 && a <= this.arr.length) this.arr[a - 1] = v;
      else {
        // a rehash never collides with itself: the new node part fits every key
        const n = this.newKey(k, oldNode[i + 3] as number);
        this.node[n * NS + 1] = v;
      }
    }
  }

  private rehash(extraKey: LuaValue): void {
    const nums = NUMS.fill(0);
    let nasize = this.numUseArray(nums);
    let totaluse = nasize;
    // numusehash
    let ause = 0;
    const node = this.node;
    for (let i = node.length - NS; i >= 0; i -= NS) {
      if (node[i + 1] !== undefined) {
        ause += countInt(node[i], nums);
        totaluse++;
      }
    }
    nasize += ause;
    nasize += countInt(extraKey, nums);
    totaluse++;
    // computesizes
    let a = 0;
    let na = 0;
    let n = 0;
    for (let i = 0, twotoi = 1; twotoi / 2 < nasize; i++, twotoi *= 2) {
      if (nums[i] > 0) {
        a += nums[i];
        if (a > twotoi / 2) {
          n = twotoi;
          na = a;
        }
      }
      if (a === nasize) break;
    }
    this.resize(n, totaluse - na);
  }

  private numUseArray(nums: number[]): number {
    const arr = this.arr;
    let ause = 0;
    let i = 1;
    for (let lg = 0, ttlg = 1; lg <= MAXBITS; lg++, ttlg *= 2) {
      let lc = 0;
      let lim = ttlg;
      if (lim > arr.length) {
        lim = arr.length;
        if (i > lim) break;
      }
      for (; i <= lim; i++) if (arr[i - 1] !== undefined) lc++;
      nums[lg] += lc;
      ause += lc;
    }
    return ause;
  }
}

/** The node part a constructor with constant keys always produces (filled in by value). */
export interface TableTemplate {
  node: LuaValue[];
  nsize: number;
  lastfree: number;
}

/** Builds the template of a constructor's node part: keys placed, values nil. Null if unsuitable. */
export function makeTemplate(nhash: number, keys: LuaValue[]): { tpl: TableTemplate; slots: number[] } | null {
  const t = new LuaTable(0, nhash);
  const size = t.nsize;
  for (const k of keys) {
    if (k === undefined || (typeof k === 'number' && (k !== k || arrayIndex(k) > 0))) return null;
    t.set(k, true); // a placeholder: a constructor whose values are all non-nil places keys the same way
  }
  if (t.nsize !== size) return null;
  const slots: number[] = [];
  for (const k of keys) {
    let n = -1;
    for (let i = 0; i < t.node.length; i += NS) if (t.node[i] === k) n = i / NS;
    if (n < 0) return null;
    slots.push(n * NS + 1);
  }
  const node = t.node.slice();
  for (let i = 1; i < node.length; i += NS) node[i] = undefined;
  return { tpl: { node, nsize: t.nsize, lastfree: t.lastfree }, slots };
}

/** rehash's counts of integer keys by power of two (reused: rehash does not nest). */
const NUMS = new Array<number>(MAXBITS + 1).fill(0);

function countInt(k: LuaValue, nums: number[]): number {
  const a = arrayIndex(k);
  if (a === 0) return 0;
  nums[ceilLog2(a)]++;
  return 1;
}

/** Thrown when a node part would exceed 2^26 nodes (Lua's "table overflow"). */
export class TableOverflow {
  readonly message = 'table overflow';
}
