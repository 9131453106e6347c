// Functions in RDB form: FUNCTION DUMP/RESTORE payloads and the
// RDB_OPCODE_FUNCTION2 records of RDB files (each library as its code).

import { RdbWriter } from '../persistence/rdb-save.js';
import { RdbReader, RdbError } from '../persistence/rdb-load.js';
import * as R from '../persistence/rdb.js';
import { crc64 } from '../persistence/crc64.js';
import { verifyDumpPayload } from '../commands/dump.js';
import { linkLibrary, unlinkLibrary, type LibraryCtx, type Scripting } from './scripting.js';

/** Writes every library as an OP_FUNCTION2 record (rdbSaveFunctions). */
export function writeFunctions(w: RdbWriter, s: Scripting): void {
  for (const lib of s.libraries.values()) {
    w.u8(R.OP_FUNCTION2);
    w.string(lib.code);
  }
}

/** FUNCTION DUMP: the records, the RDB version and a CRC-64, as a DUMP payload. */
export function dumpFunctions(s: Scripting, compress: boolean): Buffer {
  const w = new RdbWriter(compress);
  writeFunctions(w, s);
  w.u8(R.RDB_VERSION & 255);
  w.u8(R.RDB_VERSION >>> 8);
  const body = w.result();
  const out = Buffer.allocUnsafe(body.length + 8);
  body.copy(out, 0);
  crc64(out, 0, body.length).writeLE(out, body.length);
  return out;
}

/** FUNCTION RESTORE: null, or the error text (without its ERR code). */
export function restoreFunctions(s: Scripting, payload: Buffer, policy: 'append' | 'replace' | 'flush'): string | null {
  if (!verifyDumpPayload(payload, s.server.persistence.skipChecksumValidation)) return 'DUMP payload version or checksum are wrong';
  const ctx: LibraryCtx = { libraries: new Map(), functions: new Map() };
  const r = RdbReader.ofBuffer(payload, 0, payload.length - 10);
  try {
    while (!r.atEnd()) {
      const type = r.u8();
      if (type === R.OP_FUNCTION_PRE_GA) return 'Pre-GA function format not supported';
      if (type !== R.OP_FUNCTION2) return 'given type is not a function';
      const code = r.string();
      const res = s.loadLibrary(code, false, 0, ctx);
      if (typeof res !== 'string') return res.error;
    }
  } catch (e) {
    if (e instanceof RdbError) return 'failed loading the given functions payload';
    throw e;
  }
  if (policy === 'flush') {
    s.flushFunctions();
    for (const lib of ctx.libraries.values()) linkLibrary(s.lib, lib);
    return null;
  }
  return joinLibraries(s.lib, ctx, policy === 'replace');
}

/** libraryJoin: adds the libraries of `src` to `dst`; on a collision nothing changes. */
export function joinLibraries(dst: LibraryCtx, src: LibraryCtx, replace: boolean): string | null {
  const replaced = [];
  for (const lib of src.libraries.values()) {
    const old = dst.libraries.get(lib.name);
    if (old === undefined) continue;
    if (!replace) {
      for (const o of replaced) linkLibrary(dst, o);
      return `Library ${lib.name} already exists`;
    }
    unlinkLibrary(dst, old);
    replaced.push(old);
  }
  for (const [key, f] of src.functions) {
    if (dst.functions.has(key)) {
      for (const o of replaced) linkLibrary(dst, o);
      return `Function ${f.name} already exists`;
    }
  }
  for (const lib of src.libraries.values()) linkLibrary(dst, lib);
  return null;
}
