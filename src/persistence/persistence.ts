// Saving and loading the RDB file: SAVE, SHUTDOWN's final save, FLUSHALL
// with save points, DEBUG RELOAD and the load at start-up (rdbSave and
// rdbLoad in rdb.c).
//
// A save writes `temp-<pid>.rdb` in the working directory (`dir`), fsyncs
// and closes it, renames it over `dbfilename` and fsyncs the directory, so
// the file is replaced atomically and survives a crash. A load reads the
// file into new databases aside (src/persistence/rdb-load.ts) and puts them
// in place only when the whole file was read and its checksum matched.

import { scriptingOf, scriptingIfAny, type LibraryCtx } from '../scripting/scripting.js';
import { joinLibraries } from '../scripting/functions-rdb.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from '../server/server.js';
import { lruClock } from '../db/keyspace.js';
import { strerror } from '../config/parse.js';
import { usedMemory } from '../server/memory.js';
import { SPINEL_VERSION } from '../version.js';
import { RdbWriter, writeRdb, type SaveOptions } from './rdb-save.js';
import { RdbReader, loadRdb, RdbError, type FileLoadOptions, type LoadResult } from './rdb-load.js';

function saveOptions(server: Server): SaveOptions {
  const cfg = server.config;
  const policy = cfg.str('maxmemory-policy');
  const ks = server.keyspace;
  return {
    compress: cfg.bool('rdbcompression'),
    checksum: cfg.bool('rdbchecksum'),
    lruClock: policy.endsWith('-lru') ? lruClock() : null,
    lfuCounter: policy.endsWith('-lfu') ? (lru) => ks.lfuDecrAndReturn(lru) : null,
    aux: [
      ['redis-ver', SPINEL_VERSION],
      ['redis-bits', '64'],
      ['ctime', String(Math.floor(Date.now() / 1000))],
      ['used-mem', String(usedMemory())],
      ['aof-base', '0'],
    ],
    functions: [...(scriptingIfAny(server)?.libraries.values() ?? [])].map((l) => l.code),
  };
}

/** Writes all of b[0, n) at the file's current position. */
function writeAll(fd: number, b: Buffer, n: number): void {
  let off = 0;
  while (off < n) off += fs.writeSync(fd, b, off, n - off);
}

/** fsync of the directory holding `file`, so the rename is durable (fsyncFileDir). */
function fsyncDir(file: string): void {
  const fd = fs.openSync(path.dirname(path.resolve(file)), 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * rdbSave: writes the whole dataset to `dbfilename` (in the working
 * directory) through a temp file. Returns false on failure, with Redis's
 * log lines; the old file is then left as it was.
 */
export function rdbSave(server: Server, filename = server.config.str('dbfilename')): boolean {
  const log = server.log;
  const tmp = `temp-${process.pid}.rdb`;
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'w');
  } catch (e) {
    log.warning(`Failed opening the temp RDB file ${tmp} (in server root dir ${process.cwd()}) for saving: ${strerror(e)}`);
    return false;
  }
  let op = 'rdbSaveRio';
  try {
    const opts = saveOptions(server);
    const w = new RdbWriter(opts.compress, (b, n) => writeAll(fd, b, n), opts.checksum);
    writeRdb(w, server.keyspace.dbs, opts);
    op = 'fsync';
    fs.fsyncSync(fd);
    op = 'fclose';
    const f = fd;
    fd = -1;
    fs.closeSync(f);
  } catch (e) {
    log.warning(`Write error while saving DB to the disk(${op}): ${e instanceof Error && 'code' in e ? strerror(e) : String(e)}`);
    if (fd >= 0) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    unlinkQuiet(tmp);
    return false;
  }
  try {
    fs.renameSync(tmp, filename);
  } catch (e) {
    log.warning(`Error moving temp DB file ${tmp} on the final destination ${filename} (in server root dir ${process.cwd()}): ${strerror(e)}`);
    unlinkQuiet(tmp);
    return false;
  }
  try {
    fsyncDir(filename);
  } catch (e) {
    log.warning(`Failed to fsync directory while saving DB: ${strerror(e)}`);
    return false;
  }
  log.notice('DB saved on disk');
  server.dirty = 0;
  server.lastSave = Math.floor(Date.now() / 1000);
  server.persistence.lastSaveOk = true;
  return true;
}

function unlinkQuiet(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    /* not there */
  }
}

function loadOptions(server: Server): FileLoadOptions {
  const ks = server.keyspace;
  const minutes = Math.floor(ks.now / 60000) & 65535;
  const p = server.persistence;
  return {
    limits: server.encoding,
    // sanitize-dump-payload yes sanitizes files too; "clients" skips them (server.loading).
    onSanitize: server.config.str('sanitize-dump-payload') === 'yes' ? () => p.dumpPayloadSanitizations++ : null,
    databases: ks.dbs.length,
    now: ks.now,
    lruClock: lruClock(),
    lfuField: ks.lfu ? (counter) => (minutes << 8) | counter : null,
    freshLru: ks.freshLru(),
    verifyChecksum: server.config.bool('rdbchecksum') && !server.persistence.skipChecksumValidation,
    notice: (msg) => server.log.notice(msg),
  };
}

/** How DEBUG RELOAD's options change a load: FLUSH empties the dbs first, MERGE lets loaded keys replace existing ones. */
export interface LoadMode {
  flush: boolean;
  merge: boolean;
}

/** 'failed': the file could not be opened; 'corrupt': its contents could not be loaded. */
export type LoadOutcome = 'ok' | 'missing' | 'failed' | 'corrupt';

/**
 * rdbLoad: reads `filename` and, when all of it loaded, puts its keys in the
 * keyspace. 'missing' when there is no such file; 'failed' when it cannot be
 * opened, 'corrupt' when it cannot be loaded (both logged), and then the
 * keyspace is unchanged.
 */
export function rdbLoadFile(server: Server, filename: string, mode: LoadMode): LoadOutcome {
  const log = server.log;
  let fd: number;
  try {
    fd = fs.openSync(filename, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    log.warning(`Fatal error: can't open the RDB file ${filename} for reading: ${strerror(e)}`);
    return 'failed';
  }
  let reader: RdbReader | null = null;
  try {
    reader = RdbReader.ofFile(fd, fs.fstatSync(fd).size, true);
    const res = loadRdb(reader, loadOptions(server));
    const dup = applyLoaded(server, res, mode);
    if (dup !== null) {
      log.warning(dup);
      return 'corrupt';
    }
    const p = server.persistence;
    p.lastLoadKeysLoaded = res.keysLoaded;
    p.lastLoadKeysExpired = res.keysExpired;
    log.notice(
      `Done loading RDB, keys loaded: ${res.keysLoaded}, keys expired: ${res.keysExpired}` +
        (res.emptyKeysSkipped ? `, empty keys skipped: ${res.emptyKeysSkipped}.` : '.'),
    );
    return 'ok';
  } catch (e) {
    reportLoadError(server, e, reader?.offset ?? 0);
    return 'corrupt';
  } finally {
    fs.closeSync(fd);
  }
}

/** Logs a failed load the way rdbReportError does. */
function reportLoadError(server: Server, e: unknown, offset: number): void {
  const log = server.log;
  if (!(e instanceof RdbError)) {
    server.internalError('RDB loading', e, null, null);
    return;
  }
  const lines = e.message.split('\n');
  if (!e.corrupt) log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
  for (let i = 0; i < lines.length - 1; i++) log.warning(lines[i]);
  log.warning(`Internal error in RDB reading offset ${offset}, function at rdb-load.ts -> ${lines[lines.length - 1]}`);
}

/**
 * Puts loaded databases in place: with `flush`, every db is emptied first
 * (emptyData); a key already present is replaced with `merge`, and fails the
 * load otherwise (before anything changes). Returns that failure's message.
 */
function applyLoaded(server: Server, res: LoadResult, mode: LoadMode): string | null {
  const dbs = server.keyspace.dbs;
  if (!mode.flush && !mode.merge) {
    for (const [id, d] of res.dbs) {
      const live = dbs[id].dict;
      if (live.size === 0) continue;
      for (const k of d.dict.keys()) if (live.has(k)) return `RDB has duplicated key '${k}' in DB ${id}`;
    }
  }
  // Function libraries: all or nothing, like the keys (a flush empties them first, as emptyData does;
  // without MERGE a library that exists already fails the load).
  if (res.functions.length !== 0 || mode.flush) {
    const err = loadFunctions(server, res.functions, mode);
    if (err !== null) return err;
  }
  if (mode.flush) {
    for (const db of dbs) {
      server.keyspace.hooks.flushed?.(db, null);
      db.flush();
    }
  }
  for (const [id, d] of res.dbs) {
    const db = dbs[id];
    if (db.dict.size === 0) {
      db.dict = d.dict;
      db.expires = d.expires;
      continue;
    }
    for (const [k, o] of d.dict) {
      db.remove(k);
      db.dict.set(k, o);
    }
    for (const [k, when] of d.expires) db.expires.set(k, when);
  }
  return null;
}

function loadFunctions(server: Server, codes: string[], mode: LoadMode): string | null {
  const s = codes.length !== 0 ? scriptingOf(server) : scriptingIfAny(server);
  if (s === undefined) return null;
  const ctx: LibraryCtx = { libraries: new Map(), functions: new Map() };
  for (const code of codes) {
    const r = s.loadLibrary(code, false, 0, ctx);
    if (typeof r !== 'string') return `Failed loading library: ${r.error}`;
  }
  if (mode.flush) s.flushFunctions();
  const err = joinLibraries(s.lib, ctx, mode.merge);
  return err === null ? null : `Failed loading library: ${err}`;
}

/**
 * loadDataFromDisk at start-up: the RDB file if there is one. Returns false
 * when it exists but could not be loaded (the server must not start).
 */
export function loadAtStartup(server: Server): boolean {
  const t0 = process.hrtime.bigint();
  const file = server.config.str('dbfilename');
  const r = rdbLoadFile(server, file, { flush: true, merge: false });
  if (r === 'corrupt') {
    server.log.warning('Terminating server after rdb file reading failure.');
    return false;
  }
  if (r === 'failed') {
    server.log.warning('Fatal error loading the DB, check server logs. Exiting.');
    return false;
  }
  if (r === 'ok') server.log.notice(`DB loaded from disk: ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3)} seconds`);
  return true;
}
