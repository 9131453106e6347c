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
// Lookups do not walk the chains: `index` maps each key present in the node
// vector to its node, so a lookup is one Map probe. The chains are kept only
// to place new keys where C Lua would.
//
// Keys hash as in Lua 5.1: strings with luaS_hash (Redis hashes every byte,
// stock Lua 5.1 samples at most 32: `setStringHashAllBytes`), numbers by
// their two 32-bit halves, booleans as 0/1, objects by an address (here a
// per-object serial number standing in for the pointer).

import type { LuaValue } from './value.js';
import { addressOf } from './value.js';

const MAXBITS = 26;
const MAXASIZE = 1 << MAXBITS;

const EMPTY_KEYS: LuaValue[] = [];
const EMPTY_LINKS = new Int32Array(0);

let hashAllBytes = true;
/**
 * Redis's Lua hashes every byte of a string (a hash-flooding fix); stock
 * Lua 5.1 hashes at most 32 bytes. The order `pairs` visits long string keys
 * in depends on it. Default: Redis's.
 */
export function setStringHashAllBytes(all: boolean): void {
  hashAllBytes = all;
}

/** luaS_hash of a latin1 string. */
export function stringHash(s: string): number {
  const l = s.length;
  let h = l >>> 0;
  const step = hashAllBytes ? 1 : (l >> 5) + 1;
  for (let l1 = l; l1 >= step; l1 -= step) h = (h ^ ((h << 5) + (h >>> 2) + s.charCodeAt(l1 - 1))) >>> 0;
  return h;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** ceil(log2(x)) for x >= 1. */
function ceilLog2(x: number): number {
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
  arr: LuaValue[] = [];
  /** Node part (length 0 = Lua's dummynode). */
  nk: LuaValue[] = EMPTY_KEYS;
  nv: LuaValue[] = EMPTY_KEYS;
  nn: Int32Array = EMPTY_LINKS;
  lastfree = 0;
  /** Key -> node, for every key held by a node (live or dead). */
  index: Map<LuaValue, number> | null = null;
  metatable: LuaTable | null = null;
  /** Redis's read-only tables (lua_enablereadonlytable). */
  readonly = false;
  readonly addr: number;

  constructor(narray = 0, nhash = 0) {
    this.addr = addressOf(this);
    if (narray > 0) for (let i = 0; i < narray; i++) this.arr.push(undefined);
    if (nhash > 0) this.setNodeVector(nhash);
  }

  // ---- lookups ----

  get(k: LuaValue): LuaValue {
    if (typeof k === 'number') {
      const i = k - 1;
      if (i >= 0 && i < this.arr.length && (i | 0) === i) return this.arr[i];
    }
    const index = this.index;
    if (index === null) return undefined;
    const n = index.get(k);
    return n === undefined ? undefined : this.nv[n];
  }

  /** Raw get of a string key. */
  getStr(k: string): LuaValue {
    const index = this.index;
    if (index === null) return undefined;
    const n = index.get(k);
    return n === undefined ? undefined : this.nv[n];
  }

  /** Raw get of an integer key. */
  getInt(k: number): LuaValue {
    const i = k - 1;
    if (i >= 0 && i < this.arr.length) return this.arr[i];
    const index = this.index;
    if (index === null) return undefined;
    const n = index.get(k);
    return n === undefined ? undefined : this.nv[n];
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
      const index = this.index;
      if (index !== null) {
        const n = index.get(k);
        if (n !== undefined) {
          this.nv[n] = v;
          return;
        }
      }
      const n = this.newKey(k);
      if (n >= 0) {
        this.nv[n] = v;
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
    const index = this.index;
    if (index !== null) {
      const n = index.get(k);
      if (n !== undefined) {
        this.nv[n] = v;
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
    if (this.nk.length === 0) return j;
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
    if (key === undefined) i = -1;
    else {
      const a = arrayIndex(key);
      if (a > 0 && a <= this.arr.length) i = a - 1;
      else {
        const n = this.index === null ? undefined : this.index.get(key);
        if (n === undefined) return -2;
        i = n + this.arr.length;
      }
    }
    const arr = this.arr;
    for (i++; i < arr.length; i++) if (arr[i] !== undefined) return i;
    const nv = this.nv;
    for (i -= arr.length; i < nv.length; i++) if (nv[i] !== undefined) return i + arr.length;
    return -1;
  }

  /** Key at a traversal position from nextIndex. */
  keyAt(pos: number): LuaValue {
    return pos < this.arr.length ? pos + 1 : this.nk[pos - this.arr.length];
  }

  /** Value at a traversal position from nextIndex. */
  valueAt(pos: number): LuaValue {
    return pos < this.arr.length ? this.arr[pos] : this.nv[pos - this.arr.length];
  }

  /** Calls fn for every entry with a non-nil value, in `next` order. */
  forEach(fn: (k: LuaValue, v: LuaValue) => void): void {
    const arr = this.arr;
    for (let i = 0; i < arr.length; i++) if (arr[i] !== undefined) fn(i + 1, arr[i]);
    const nk = this.nk;
    const nv = this.nv;
    for (let i = 0; i < nv.length; i++) if (nv[i] !== undefined) fn(nk[i], nv[i]);
  }

  /** luaH_resizearray (used by SETLIST of a constructor). */
  resizeArray(nasize: number): void {
    this.resize(nasize, this.nk.length);
  }

  /** Rough size in bytes, for memory accounting. */
  byteSize(): number {
    return 56 + this.arr.length * 16 + this.nk.length * 40;
  }

  // ---- the C code's internals ----

  private mainPosition(k: LuaValue): number {
    const size = this.nk.length;
    switch (typeof k) {
      case 'number': {
        if (k === 0) return 0;
        f64[0] = k;
        return ((u32[0] + u32[1]) >>> 0) % ((size - 1) | 1);
      }
      case 'string':
        return stringHash(k) & (size - 1);
      case 'boolean':
        return (k ? 1 : 0) & (size - 1);
      default:
        return addressOf(k as object) % ((size - 1) | 1);
    }
  }

  private getFreePos(): number {
    while (this.lastfree-- > 0) {
      if (this.nk[this.lastfree] === undefined) return this.lastfree;
    }
    return -1;
  }

  /** newkey: places a new key, returning its node, or -1 after a rehash. */
  private newKey(k: LuaValue): number {
    if (this.nk.length === 0) {
      this.rehash(k);
      return -1;
    }
    const nk = this.nk;
    const nn = this.nn;
    const index = this.index!;
    let mp = this.mainPosition(k);
    if (this.nv[mp] !== undefined) {
      const n = this.getFreePos();
      if (n < 0) {
        this.rehash(k);
        return -1;
      }
      let othern = this.mainPosition(nk[mp]);
      if (othern !== mp) {
        // the colliding node is out of its main position: move it to the free node
        while (nn[othern] !== mp) othern = nn[othern];
        nn[othern] = n;
        nk[n] = nk[mp];
        this.nv[n] = this.nv[mp];
        nn[n] = nn[mp];
        index.set(nk[n], n);
        nn[mp] = -1;
        this.nv[mp] = undefined;
        nk[mp] = undefined;
      } else {
        // the colliding node is in its main position: the new key takes the free node
        nn[n] = nn[mp];
        nn[mp] = n;
        mp = n;
      }
    }
    const old = nk[mp];
    if (old !== undefined && index.get(old) === mp) index.delete(old); // a dead key gives way
    nk[mp] = k;
    index.set(k, mp);
    return mp;
  }

  private setNodeVector(size: number): void {
    if (size === 0) {
      this.nk = EMPTY_KEYS;
      this.nv = EMPTY_KEYS;
      this.nn = EMPTY_LINKS;
      this.index = null;
      this.lastfree = 0;
      return;
    }
    const lsize = ceilLog2(size);
    if (lsize > MAXBITS) throw new TableOverflow();
    size = 2 ** lsize;
    const nk: LuaValue[] = [];
    const nv: LuaValue[] = [];
    for (let i = 0; i < size; i++) {
      nk.push(undefined);
      nv.push(undefined);
    }
    this.nk = nk;
    this.nv = nv;
    this.nn = new Int32Array(size).fill(-1);
    this.index = new Map();
    this.lastfree = size;
  }

  private resize(nasize: number, nhsize: number): void {
    const oldArr = this.arr;
    const oldasize = oldArr.length;
    const oldK = this.nk;
    const oldV = this.nv;
    if (nasize > oldasize) for (let i = oldasize; i < nasize; i++) oldArr.push(undefined);
    this.setNodeVector(nhsize);
    if (nasize < oldasize) {
      const vanishing = oldArr.slice(nasize);
      oldArr.length = nasize;
      for (let i = 0; i < vanishing.length; i++) if (vanishing[i] !== undefined) this.set(nasize + i + 1, vanishing[i]);
    }
    for (let i = oldK.length - 1; i >= 0; i--) if (oldV[i] !== undefined) this.set(oldK[i], oldV[i]);
  }

  private rehash(extraKey: LuaValue): void {
    const nums = new Array<number>(MAXBITS + 1).fill(0);
    let nasize = this.numUseArray(nums);
    let totaluse = nasize;
    // numusehash
    let ause = 0;
    const nk = this.nk;
    const nv = this.nv;
    for (let i = nv.length - 1; i >= 0; i--) {
      if (nv[i] !== undefined) {
        ause += countInt(nk[i], nums);
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
