// A stored value with its type, encoding and access metadata (Redis's robj).

export const enum ObjType {
  String = 0,
  List = 1,
  Set = 2,
  ZSet = 3,
  Hash = 4,
  Stream = 6,
}

export const TYPE_NAMES: Record<number, string> = {
  [ObjType.String]: 'string',
  [ObjType.List]: 'list',
  [ObjType.Set]: 'set',
  [ObjType.ZSet]: 'zset',
  [ObjType.Hash]: 'hash',
  [ObjType.Stream]: 'stream',
};

/**
 * Encodings as OBJECT ENCODING names them. Strings: a number value is "int";
 * a string value is "embstr" when created short by SET-like commands and "raw"
 * otherwise (APPEND/SETRANGE always make raw, as in Redis).
 */
export const enum Enc {
  Raw = 0,
  Int = 1,
  Embstr = 2,
  // Collections
  Listpack = 3,
  Quicklist = 4,
  Hashtable = 5,
  Intset = 6,
  Skiplist = 7,
  Stream = 8,
}

export const ENC_NAMES: Record<number, string> = {
  [Enc.Raw]: 'raw',
  [Enc.Int]: 'int',
  [Enc.Embstr]: 'embstr',
  [Enc.Listpack]: 'listpack',
  [Enc.Quicklist]: 'quicklist',
  [Enc.Hashtable]: 'hashtable',
  [Enc.Intset]: 'intset',
  [Enc.Skiplist]: 'skiplist',
  [Enc.Stream]: 'stream',
};

/** Longest string kept as "embstr" (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
export const EMBSTR_LIMIT = 44;

/**
 * A stored value. type, encoding and the 24-bit LRU clock share one small
 * integer (`meta`: lru | enc << 24 | type << 28), so an object is a header
 * and two fields (40 bytes) instead of four (56): it is the one object every
 * key has.
 */
export class RObj {
  /**
   * String: a latin1 string, or a number for int-encoded values in the safe
   * range (int64 values beyond 2^53 stay strings with enc Int).
   * Collections: the structure from src/types/.
   */
  value: any;
  private meta: number;

  constructor(type: ObjType, enc: Enc, value: any, lru: number) {
    this.value = value;
    this.meta = (lru & LRU_MASK) | (enc << 24) | (type << 28);
  }

  get type(): ObjType {
    return this.meta >>> 28;
  }

  get enc(): Enc {
    return (this.meta >>> 24) & 15;
  }

  set enc(e: Enc) {
    this.meta = (this.meta & ~ENC_MASK) | (e << 24);
  }

  /** LRU clock (seconds, 24 bits) or, under an LFU policy, the LFU counter and decrement time. */
  get lru(): number {
    return this.meta & LRU_MASK;
  }

  set lru(v: number) {
    this.meta = (this.meta & ~LRU_MASK) | (v & LRU_MASK);
  }
}

/**
 * Int-encoded strings made by COPY are private objects in Redis
 * (dupStringObject), so OBJECT REFCOUNT says 1 for them even for 0..9999.
 * An object that takes another value in place leaves this set.
 */
export const unsharedInts = new WeakSet<RObj>();

const LRU_MASK = 0xffffff;
const ENC_MASK = 0xf000000;
