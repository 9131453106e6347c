// RDB format constants (Redis's rdb.h) shared by the writer and the reader.

/** The format version Spinel writes (Redis 7.2's). Files and payloads of versions 1..11 load. */
export const RDB_VERSION = 11;

// Value types (the byte before each key).
export const T_STRING = 0;
export const T_LIST = 1;
export const T_SET = 2;
export const T_ZSET = 3;
export const T_HASH = 4;
export const T_ZSET_2 = 5;
export const T_MODULE_PRE_GA = 6;
export const T_MODULE_2 = 7;
export const T_HASH_ZIPMAP = 9;
export const T_LIST_ZIPLIST = 10;
export const T_SET_INTSET = 11;
export const T_ZSET_ZIPLIST = 12;
export const T_HASH_ZIPLIST = 13;
export const T_LIST_QUICKLIST = 14;
export const T_STREAM_LISTPACKS = 15;
export const T_HASH_LISTPACK = 16;
export const T_ZSET_LISTPACK = 17;
export const T_LIST_QUICKLIST_2 = 18;
export const T_STREAM_LISTPACKS_2 = 19;
export const T_SET_LISTPACK = 20;
export const T_STREAM_LISTPACKS_3 = 21;

/** rdbIsObjectType: the value types Redis 7.2 knows. */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 21);
}

// Opcodes.
export const OP_FUNCTION2 = 245;
export const OP_FUNCTION_PRE_GA = 246;
export const OP_MODULE_AUX = 247;
export const OP_IDLE = 248;
export const OP_FREQ = 249;
export const OP_AUX = 250;
export const OP_RESIZEDB = 251;
export const OP_EXPIRETIME_MS = 252;
export const OP_EXPIRETIME = 253;
export const OP_SELECTDB = 254;
export const OP_EOF = 255;

// Length encodings: the top two bits of the first byte.
export const LEN_6BIT = 0;
export const LEN_14BIT = 1;
export const LEN_32BIT = 0x80;
export const LEN_64BIT = 0x81;
export const LEN_ENCVAL = 3;
// Special string encodings (after LEN_ENCVAL).
export const ENC_INT8 = 0;
export const ENC_INT16 = 1;
export const ENC_INT32 = 2;
export const ENC_LZF = 3;

// Quicklist node containers.
export const QL_PLAIN = 1;
export const QL_PACKED = 2;

// Stream entry flags in listpack nodes.
export const STREAM_ITEM_DELETED = 1;
export const STREAM_ITEM_SAMEFIELDS = 2;

/** A load failure: `corrupt` for bad contents, false for a short read. */
export class RdbError extends Error {
  constructor(
    message: string,
    readonly corrupt = true,
  ) {
    super(message);
  }
}

/** A collection saved empty: an RDB file skips the key, RESTORE refuses it (RDB_LOAD_ERR_EMPTY_KEY). */
export class EmptyKeyError extends RdbError {
  constructor() {
    super('empty key', true);
  }
}
