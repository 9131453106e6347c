// DEBUG (the subcommands tools and tests use, RELOAD included) and LOLWUT.
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
// DEBUG OBJECT's serializedlength is the size of the value as the RDB writer
// writes it (src/persistence/rdb-save.ts), as Redis's rdbSavedObjectLen.
// "Value at" is a stable per-value pseudo address.

import { scriptingOf } from '../scripting/scripting.js';
import crypto from 'node:crypto';
import type { Client } from '../server/client.js';
import type { Db } from '../db/keyspace.js';
import { lruClock } from '../db/keyspace.js';
import { RObj, ObjType, Enc, ENC_NAMES, EMBSTR_LIMIT } from '../db/robj.js';
import type { ListValue } from '../types/list.js';
import { serializedLength } from '../persistence/rdb-save.js';
import { rdbSave, rdbLoadFile } from '../persistence/persistence.js';
import type { HandlerMap } from './types.js';
import { ERR_NOT_INT, replyHelp } from './util.js';
import { isSharedInteger, SHARED_REFCOUNT } from './keys.js';
import { parseInt64, fpconvDtoa } from '../protocol/format.js';
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
// Quicklist layout (DEBUG OBJECT, DEBUG QUICKLIST)

interface QlNodeView {
  count: number;
  bytes: number;
  plain: boolean;
}

/** Quicklist nodes as the list module models them (entry counts and bytes). */
function quicklistNodes(o: RObj): readonly QlNodeView[] {
  return (o.value as ListValue).quicklistNodes;
}

/** DEBUG OBJECT's quicklist details (nodes, average fill, fill setting, compression, bytes). */
function quicklistExtra(c: Client, o: RObj): string {
  const nodes = quicklistNodes(o);
  if (nodes.length === 0) return '';
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
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
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

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty the dataset, load the
 * file back. A file that does not load leaves the dataset as it was (Redis
 * would have flushed it, then exited).
 */
function debugReload(c: Client, argv: string[]): void {
  let flush = true;
  let save = true;
  let merge = false;
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'merge') merge = true;
    else if (opt === 'noflush') flush = false;
    else if (opt === 'nosave') save = false;
    else {
      c.reply.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      return;
    }
  }
  const server = c.server;
  if (save && !rdbSave(server)) {
    c.reply.error('ERR');
    return;
  }
  if (rdbLoadFile(server, server.config.str('dbfilename'), { flush, merge }) !== 'ok') {
    c.reply.error('ERR Error trying to load the RDB dump, check server logs.');
    return;
  }
  server.log.notice('DB reloaded by DEBUG RELOAD');
  c.reply.ok();
}

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
    const nodes = quicklistNodes(o);
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
  } else if (sub === 'set-disable-deny-scripts' && argc === 3) {
    scriptingOf(server).disableDenyScripts = atoi(argv[2]) !== 0;
    c.reply.ok();
  } else if (sub === 'pause-cron' && argc === 3) {
    server.cronPaused = atoi(argv[2]) !== 0;
    c.reply.ok();
  } else if (sub === 'reload') {
    debugReload(c, argv);
  } else if (sub === 'set-skip-checksum-validation' && argc === 3) {
    server.persistence.skipChecksumValidation = atoi(argv[2]) !== 0;
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
