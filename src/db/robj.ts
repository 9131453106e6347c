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

export class RObj {
  constructor(
    public type: ObjType,
    public enc: Enc,
    /**
     * String: a latin1 string, or a number for int-encoded values in the safe
     * range (int64 values beyond 2^53 stay strings with enc Int).
     * Collections: the structure from src/types/.
     */
    public value: any,
    /** LRU clock (seconds) or, under an LFU policy, the LFU counter and decrement time. */
    public lru: number,
  ) {}
}
