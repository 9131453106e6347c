// The COMMAND family (COMMAND, COUNT, INFO, DOCS, LIST, GETKEYS,
// GETKEYSANDFLAGS, HELP) and key extraction from key specs.
//
// Everything is read from the one command table (server.commands), so only
// implemented commands and subcommands are listed. Interface facts come from
// Command.meta (meta.generated.ts + the 7.2 patches in meta.ts); the prose of
// COMMAND DOCS (summaries, complexity, history notes) is ours (docs-text.ts).
//
// Key extraction follows Redis's getKeysFromCommandWithSpecs(): key specs
// first (begin_search index/keyword, find_keys range/keynum); when a spec
// cannot answer (unknown or incomplete spec, out-of-range positions, a bad
// key count) or the flags depend on the arguments (variable_flags), the
// command's own key finder runs (KEY_PROCS below, Redis's getkeys_proc).

import type { Client } from '../server/client.js';
import type { Command, HandlerMap, GetKeys } from './types.js';
import type { MetaArg, MetaEntry, MetaKeySpec } from './meta.js';
import { Reply } from '../protocol/reply.js';
import { DOCS_TEXT } from './docs-text.js';
import { globMatch } from '../util/glob.js';
import { ERR_SYNTAX, replyHelp } from './util.js';

// ---------------------------------------------------------------------------
// Key extraction

/** A key position in argv with the key spec flags that apply to it. */
export interface KeyRef {
  pos: number;
  flags: readonly string[];
}

const enum Bs {
  Index,
  Keyword,
  Unknown,
}
const enum Fk {
  Range,
  Keynum,
  Unknown,
}

/** A key spec compiled for fast evaluation. */
interface Spec {
  flags: readonly string[];
  notKey: boolean;
  incomplete: boolean;
  bs: Bs;
  index: number;
  keyword: string;
  startfrom: number;
  fk: Fk;
  lastkey: number;
  keystep: number;
  limit: number;
  keynumidx: number;
  firstkey: number;
}

interface KeyInfo {
  specs: Spec[];
  /** At least one spec that is not marked not_key. */
  hasKeySpec: boolean;
  /** A spec's flags depend on the arguments: the key finder decides. */
  hasVarFlags: boolean;
}

const keyInfoCache = new WeakMap<MetaEntry, KeyInfo>();

function compileSpec(k: MetaKeySpec): Spec {
  const bs = k.beginSearch.spec;
  const fk = k.findKeys.spec;
  return {
    flags: k.flags,
    notKey: k.flags.includes('not_key'),
    incomplete: k.flags.includes('incomplete'),
    bs: k.beginSearch.type === 'index' ? Bs.Index : k.beginSearch.type === 'keyword' ? Bs.Keyword : Bs.Unknown,
    index: Number(bs.index ?? 0),
    keyword: String(bs.keyword ?? '').toLowerCase(),
    startfrom: Number(bs.startfrom ?? 0),
    fk: k.findKeys.type === 'range' ? Fk.Range : k.findKeys.type === 'keynum' ? Fk.Keynum : Fk.Unknown,
    lastkey: Number(fk.lastkey ?? 0),
    keystep: Number(fk.keystep ?? 1),
    limit: Number(fk.limit ?? 0),
    keynumidx: Number(fk.keynumidx ?? 0),
    firstkey: Number(fk.firstkey ?? 0),
  };
}

function keyInfo(meta: MetaEntry): KeyInfo {
  let ki = keyInfoCache.get(meta);
  if (ki === undefined) {
    const specs = (meta.keySpecs ?? []).map(compileSpec);
    ki = {
      specs,
      hasKeySpec: specs.some((s) => !s.notKey),
      hasVarFlags: specs.some((s) => s.flags.includes('variable_flags')),
    };
    keyInfoCache.set(meta, ki);
  }
  return ki;
}

/** Redis's string2ll(): a strict signed 64-bit decimal. Returns null when invalid. */
function strictInt(s: string): number | null {
  if (s.length === 0 || s.length > 20) return null;
  if (!/^(-?[1-9][0-9]*|0)$/.test(s)) return null;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    const b = BigInt(s);
    if (b > 9223372036854775807n || b < -9223372036854775808n) return null;
  }
  return n;
}

/** C atoi(): optional spaces and sign, then digits; stops at the first other byte. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  if (m === null) return 0;
  const n = Number(m[1]);
  // atoi() truncates to a C int.
  return n | 0;
}

/**
 * Keys from the key specs (Redis's getKeysUsingKeySpecs). Returns null when
 * a spec cannot locate its keys, so the caller falls back to the key finder.
 */
function keysFromSpecs(ki: KeyInfo, arity: number, argv: string[]): KeyRef[] | null {
  const argc = argv.length;
  const out: KeyRef[] = [];
  for (const spec of ki.specs) {
    if (spec.notKey) continue;
    let first = 0;
    if (spec.bs === Bs.Index) {
      first = spec.index;
    } else if (spec.bs === Bs.Keyword) {
      const start = spec.startfrom > 0 ? spec.startfrom : argc + spec.startfrom;
      const end = spec.startfrom > 0 ? argc - 1 : 0;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i].toLowerCase() === spec.keyword) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue; // keyword not found
    } else {
      return null;
    }
    // An incomplete spec cannot be trusted once it matched: the finder decides.
    if (spec.incomplete) return null;
    let last: number;
    let step: number;
    if (spec.fk === Fk.Range) {
      step = spec.keystep;
      if (spec.lastkey >= 0) last = first + spec.lastkey;
      else if (spec.limit === 0) last = argc + spec.lastkey;
      else last = first + (Math.trunc((argc - first) / spec.limit) + spec.lastkey);
    } else if (spec.fk === Fk.Keynum) {
      step = spec.keystep;
      if (spec.keynumidx >= argc || first + spec.keynumidx >= argc) return null;
      const numkeys = strictInt(argv[first + spec.keynumidx]);
      if (numkeys === null || numkeys < 0) return null;
      first += spec.firstkey;
      last = first + numkeys - 1;
    } else {
      return null;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < first) {
        if (arity < 0) continue;
        return null;
      }
      out.push({ pos: i, flags: spec.flags });
    }
  }
  return out;
}

const F_RO_ACCESS = ['RO', 'access'] as const;
const F_OW_UPDATE = ['OW', 'update'] as const;
const F_RW_ACCESS_UPDATE = ['RW', 'access', 'update'] as const;
const F_RW_ACCESS_DELETE = ['RW', 'access', 'delete'] as const;
const F_NONE: readonly string[] = [];

type KeyProc = (argv: string[]) => KeyRef[];

/** Redis's genericGetKeys(): a key count, then keys; optionally a destination key, listed last. */
function countedKeys(storeOfs: number, countOfs: number, firstOfs: number): KeyProc {
  return (argv) => {
    if (countOfs >= argv.length) return [];
    const num = atoi(argv[countOfs]);
    if (num < 1 || num > argv.length - firstOfs) return [];
    const out: KeyRef[] = [];
    for (let i = 0; i < num; i++) out.push({ pos: firstOfs + i, flags: F_NONE });
    if (storeOfs) out.push({ pos: storeOfs, flags: F_NONE });
    return out;
  };
}

function eqi(a: string, lower: string): boolean {
  return a.length === lower.length && a.toLowerCase() === lower;
}

function sortKeys(argv: string[]): KeyRef[] {
  const out: KeyRef[] = [{ pos: 1, flags: F_RO_ACCESS }];
  let store = -1;
  const skip: [string, number][] = [['limit', 2], ['get', 1], ['by', 1]];
  for (let i = 2; i < argv.length; i++) {
    for (const [name, n] of skip) {
      if (eqi(argv[i], name)) {
        i += n;
        break;
      } else if (eqi(argv[i], 'store') && i + 1 < argv.length) {
        // The last STORE wins, as in SORT itself.
        store = i + 1;
        break;
      }
    }
  }
  if (store >= 0) out.push({ pos: store, flags: F_OW_UPDATE });
  return out;
}

function migrateKeys(argv: string[]): KeyRef[] {
  let first = 3;
  let num = 1;
  const skip: [string, number][] = [['copy', 0], ['replace', 0], ['auth', 1], ['auth2', 2]];
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      if (eqi(argv[i], 'keys')) {
        if (argv[3].length > 0) return [];
        first = i + 1;
        num = argv.length - first;
        break;
      }
      for (const [name, n] of skip) {
        if (eqi(argv[i], name)) {
          i += n;
          break;
        }
      }
    }
  }
  const out: KeyRef[] = [];
  for (let i = 0; i < num; i++) out.push({ pos: first + i, flags: F_RW_ACCESS_DELETE });
  return out;
}

function georadiusKeys(argv: string[]): KeyRef[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    if ((eqi(argv[i], 'store') || eqi(argv[i], 'storedist')) && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  const out: KeyRef[] = [{ pos: 1, flags: F_RO_ACCESS }];
  if (stored >= 0) out.push({ pos: stored, flags: F_OW_UPDATE });
  return out;
}

function xreadKeys(argv: string[]): KeyRef[] {
  let streams = -1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'block' || a === 'count') i++;
    else if (a === 'group') i += 2;
    else if (a === 'noack') continue;
    else if (a === 'streams') {
      streams = i;
      break;
    } else break;
  }
  let num = argv.length - streams - 1;
  if (streams === -1 || num === 0 || num % 2 !== 0) return [];
  num /= 2;
  const out: KeyRef[] = [];
  for (let i = streams + 1; i < argv.length - num; i++) out.push({ pos: i, flags: F_NONE });
  return out;
}

function setKeys(argv: string[]): KeyRef[] {
  for (let i = 3; i < argv.length; i++) {
    if (eqi(argv[i], 'get')) return [{ pos: 1, flags: F_RW_ACCESS_UPDATE }];
  }
  return [{ pos: 1, flags: F_OW_UPDATE }];
}

function bitfieldKeys(argv: string[]): KeyRef[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const rem = argv.length - i - 1;
    const a = argv[i].toLowerCase();
    if (a === 'get' && rem >= 2) i += 2;
    else if ((a === 'set' || a === 'incrby') && rem >= 3) {
      readonly = false;
      break;
    } else if (a === 'overflow' && rem >= 1) i += 1;
    else {
      readonly = false; // a syntax error: assume the worst
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? F_RO_ACCESS : F_RW_ACCESS_UPDATE }];
}

/** Key finders for commands whose key specs cannot always locate their keys (Redis's getkeys_proc). */
const KEY_PROCS: Record<string, KeyProc> = {
  zunion: countedKeys(0, 1, 2),
  zinter: countedKeys(0, 1, 2),
  zdiff: countedKeys(0, 1, 2),
  zintercard: countedKeys(0, 1, 2),
  sintercard: countedKeys(0, 1, 2),
  lmpop: countedKeys(0, 1, 2),
  zmpop: countedKeys(0, 1, 2),
  blmpop: countedKeys(0, 2, 3),
  bzmpop: countedKeys(0, 2, 3),
  zunionstore: countedKeys(1, 2, 3),
  zinterstore: countedKeys(1, 2, 3),
  zdiffstore: countedKeys(1, 2, 3),
  eval: countedKeys(0, 2, 3),
  eval_ro: countedKeys(0, 2, 3),
  evalsha: countedKeys(0, 2, 3),
  evalsha_ro: countedKeys(0, 2, 3),
  fcall: countedKeys(0, 2, 3),
  fcall_ro: countedKeys(0, 2, 3),
  sort: sortKeys,
  sort_ro: () => [{ pos: 1, flags: F_RO_ACCESS }],
  migrate: migrateKeys,
  georadius: georadiusKeys,
  georadiusbymember: georadiusKeys,
  xread: xreadKeys,
  xreadgroup: xreadKeys,
  set: setKeys,
  bitfield: bitfieldKeys,
};

/** Positions-only form of the key finders, for the command table (Command.getKeys). */
export const getKeysOverrides: Record<string, GetKeys> = {};
for (const [name, proc] of Object.entries(KEY_PROCS)) {
  getKeysOverrides[name] = (argv) => proc(argv).map((k) => k.pos);
}

/** True if the command can have key arguments (Redis's doesCommandHaveKeys). */
export function commandHasKeys(cmd: Command): boolean {
  return KEY_PROCS[cmd.fullName] !== undefined || keyInfo(cmd.meta).hasKeySpec;
}

/**
 * The keys of a command call, with their flags (Redis's
 * getKeysFromCommandWithSpecs). An empty list means no keys or arguments the
 * command will reject.
 */
export function getKeysWithFlags(cmd: Command, argv: string[]): KeyRef[] {
  const ki = keyInfo(cmd.meta);
  if (ki.hasKeySpec && !ki.hasVarFlags) {
    const r = keysFromSpecs(ki, cmd.arity, argv);
    if (r !== null) return r;
  }
  const proc = KEY_PROCS[cmd.fullName];
  return proc !== undefined ? proc(argv) : [];
}

/** Argument positions of the keys of a command call (for ACL, cluster slots, WATCH-like checks). */
export function getKeys(cmd: Command, argv: string[]): number[] {
  const keys = getKeysWithFlags(cmd, argv);
  const out = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = keys[i].pos;
  return out;
}

// ---------------------------------------------------------------------------
// Replies

/** Implemented subcommands of a container, in the reference's order. */
function subcommandsOf(cmd: Command): Command[] {
  const subs = cmd.subcommands;
  if (subs === null) return [];
  const out: Command[] = [];
  const seen = new Set<string>();
  for (const full of Object.keys(cmd.meta.subcommands ?? {})) {
    const sub = subs.get(full.slice(full.indexOf('|') + 1));
    if (sub !== undefined) {
      out.push(sub);
      seen.add(sub.name);
    }
  }
  for (const sub of subs.values()) if (!seen.has(sub.name)) out.push(sub);
  return out;
}

/** Writes a JSON-ish spec map: strings as bulk strings, numbers as integers. */
function writeSpecMap(r: Reply, spec: Record<string, number | string>): void {
  const keys = Object.keys(spec);
  r.map(keys.length);
  for (const k of keys) {
    r.bulk(k);
    const v = spec[k];
    if (typeof v === 'number') r.int(v);
    else r.bulk(v);
  }
}

function writeStatusSet(r: Reply, items: readonly string[], prefix = ''): void {
  r.set(items.length);
  for (const s of items) r.simple(prefix + s);
}

function writeInfo(r: Reply, cmd: Command): void {
  const m = cmd.meta;
  r.array(10);
  r.bulk(cmd.fullName);
  r.int(m.arity);
  writeStatusSet(r, m.flags);
  r.int(m.first);
  r.int(m.last);
  r.int(m.step);
  writeStatusSet(r, m.acl, '@');
  const tips = m.tips ?? [];
  if (tips.length === 0) r.set(0);
  else {
    r.set(tips.length);
    for (const t of tips) r.bulk(t);
  }
  const specs = m.keySpecs ?? [];
  r.set(specs.length);
  for (const k of specs) {
    r.map(k.notes !== undefined ? 4 : 3);
    if (k.notes !== undefined) {
      r.bulk('notes');
      r.bulk(k.notes);
    }
    r.bulk('flags');
    writeStatusSet(r, k.flags);
    r.bulk('begin_search');
    r.map(2);
    r.bulk('type');
    r.bulk(k.beginSearch.type);
    r.bulk('spec');
    writeSpecMap(r, k.beginSearch.spec);
    r.bulk('find_keys');
    r.map(2);
    r.bulk('type');
    r.bulk(k.findKeys.type);
    r.bulk('spec');
    writeSpecMap(r, k.findKeys.spec);
  }
  // Redis answers an empty set without subcommands, an array with them.
  const subs = subcommandsOf(cmd);
  if (cmd.subcommands === null) r.set(0);
  else r.array(subs.length);
  for (const s of subs) writeInfo(r, s);
}

function writeArgs(r: Reply, args: MetaArg[]): void {
  r.array(args.length);
  for (const a of args) {
    let n = 2;
    if (a.displayText !== undefined) n++;
    if (a.keySpecIndex !== undefined) n++;
    if (a.token !== undefined) n++;
    if (a.since !== undefined) n++;
    if (a.deprecatedSince !== undefined) n++;
    if (a.flags !== undefined) n++;
    if (a.arguments !== undefined) n++;
    r.map(n);
    r.bulk('name');
    r.bulk(a.name);
    r.bulk('type');
    r.bulk(a.type);
    if (a.displayText !== undefined) {
      r.bulk('display_text');
      r.bulk(a.displayText);
    }
    if (a.keySpecIndex !== undefined) {
      r.bulk('key_spec_index');
      r.int(a.keySpecIndex);
    }
    if (a.token !== undefined) {
      r.bulk('token');
      r.bulk(a.token);
    }
    if (a.since !== undefined) {
      r.bulk('since');
      r.bulk(a.since);
    }
    if (a.deprecatedSince !== undefined) {
      r.bulk('deprecated_since');
      r.bulk(a.deprecatedSince);
    }
    if (a.flags !== undefined) {
      r.bulk('flags');
      writeStatusSet(r, a.flags);
    }
    if (a.arguments !== undefined) {
      r.bulk('arguments');
      writeArgs(r, a.arguments);
    }
  }
}

function writeDocs(r: Reply, cmd: Command): void {
  const d = cmd.meta.docs ?? { since: '', group: 'server' };
  const text = DOCS_TEXT[cmd.fullName];
  const subs = subcommandsOf(cmd);
  const history = d.historyVersions ?? [];
  let n = 1;
  if (text !== undefined) n++;
  if (text?.complexity !== undefined) n++;
  if (d.since) n++;
  if (d.docFlags !== undefined) n++;
  if (d.deprecatedSince !== undefined) n++;
  if (d.replacedBy !== undefined) n++;
  if (history.length > 0) n++;
  if (d.arguments !== undefined) n++;
  if (cmd.subcommands !== null) n++;
  r.map(n);
  if (text !== undefined) {
    r.bulk('summary');
    r.bulk(text.summary);
  }
  if (d.since) {
    r.bulk('since');
    r.bulk(d.since);
  }
  r.bulk('group');
  r.bulk(d.group);
  if (text?.complexity !== undefined) {
    r.bulk('complexity');
    r.bulk(text.complexity);
  }
  if (d.docFlags !== undefined) {
    r.bulk('doc_flags');
    writeStatusSet(r, d.docFlags);
  }
  if (d.deprecatedSince !== undefined) {
    r.bulk('deprecated_since');
    r.bulk(d.deprecatedSince);
  }
  if (d.replacedBy !== undefined) {
    r.bulk('replaced_by');
    r.bulk(d.replacedBy);
  }
  if (history.length > 0) {
    r.bulk('history');
    r.set(history.length);
    const notes = text?.history ?? [];
    for (let i = 0; i < history.length; i++) {
      r.array(2);
      r.bulk(history[i]);
      r.bulk(notes[i]?.[1] ?? '');
    }
  }
  if (d.arguments !== undefined) {
    r.bulk('arguments');
    writeArgs(r, d.arguments);
  }
  if (cmd.subcommands !== null) {
    r.bulk('subcommands');
    r.map(subs.length);
    for (const s of subs) {
      r.bulk(s.fullName);
      writeDocs(r, s);
    }
  }
}

/** Encoded replies are cached per command and protocol (the table does not change at run time). */
const infoCache = [new Map<Command, string>(), new Map<Command, string>()];
const docsCache = [new Map<Command, string>(), new Map<Command, string>()];
const scratch = new Reply();

function encoded(cache: Map<Command, string>[], resp: 2 | 3, cmd: Command, write: (r: Reply, c: Command) => void): string {
  const m = cache[resp - 2];
  let s = m.get(cmd);
  if (s === undefined) {
    scratch.resp = resp;
    write(scratch, cmd);
    s = Buffer.concat(scratch.drain()).toString('latin1');
    m.set(cmd, s);
  }
  return s;
}

function replyInfo(c: Client, cmd: Command): void {
  c.reply.raw(encoded(infoCache, c.reply.resp, cmd, writeInfo));
}

function replyDocs(c: Client, cmd: Command): void {
  c.reply.raw(encoded(docsCache, c.reply.resp, cmd, writeDocs));
}

/** Looks up 'name' or 'container|sub' as COMMAND INFO/DOCS accept them (any case). */
function lookupByName(c: Client, name: string): Command | undefined {
  const lower = name.toLowerCase();
  const bar = lower.indexOf('|');
  if (bar < 0) return c.server.commands.byName.get(lower);
  if (lower.indexOf('|', bar + 1) >= 0) return undefined;
  return c.server.commands.lookupFull(lower);
}

function commandCommand(c: Client, argv: string[]): void {
  if (argv.length === 1) {
    const all = [...c.server.commands.byName.values()];
    c.reply.array(all.length);
    for (const cmd of all) replyInfo(c, cmd);
  }
}

function commandCount(c: Client): void {
  c.reply.int(c.server.commands.byName.size);
}

function commandInfo(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    commandCommand(c, ['command']);
    return;
  }
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const cmd = lookupByName(c, argv[i]);
    if (cmd === undefined) c.reply.null();
    else replyInfo(c, cmd);
  }
}

function commandDocs(c: Client, argv: string[]): void {
  const found: Command[] = [];
  if (argv.length === 2) {
    for (const cmd of c.server.commands.byName.values()) found.push(cmd);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const cmd = lookupByName(c, argv[i]);
      if (cmd !== undefined) found.push(cmd);
    }
  }
  c.reply.map(found.length);
  for (const cmd of found) {
    c.reply.bulk(cmd.fullName);
    replyDocs(c, cmd);
  }
}

const ACL_CATEGORIES = new Set([
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
]);

function commandList(c: Client, argv: string[]): void {
  let filter: 'module' | 'aclcat' | 'pattern' | null = null;
  let arg = '';
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (argv[i].toLowerCase() === 'filterby' && more === 2) {
      const t = argv[i + 1].toLowerCase();
      if (t !== 'module' && t !== 'aclcat' && t !== 'pattern') {
        c.reply.error(ERR_SYNTAX);
        return;
      }
      filter = t;
      arg = argv[i + 2];
      i += 2;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const names: string[] = [];
  const cat = filter === 'aclcat' ? arg.toLowerCase() : '';
  const keep = (cmd: Command): boolean => {
    if (filter === null) return true;
    if (filter === 'module') return false; // no modules
    if (filter === 'aclcat') return ACL_CATEGORIES.has(cat) && cmd.meta.acl.includes(cat);
    return globMatch(arg, cmd.fullName, true);
  };
  for (const cmd of c.server.commands.byName.values()) {
    if (keep(cmd)) names.push(cmd.fullName);
    for (const sub of subcommandsOf(cmd)) if (keep(sub)) names.push(sub.fullName);
  }
  c.reply.bulks(names);
}

function getKeysCommand(c: Client, argv: string[], withFlags: boolean): void {
  const table = c.server.commands;
  let cmd = table.lookup(argv[2]);
  if (cmd !== undefined && cmd.subcommands !== null && argv.length > 3) {
    cmd = cmd.subcommands.get(argv[3].toLowerCase());
  }
  if (cmd === undefined) {
    c.reply.error('ERR Invalid command specified');
    return;
  }
  if (!commandHasKeys(cmd)) {
    c.reply.error('ERR The command has no key arguments');
    return;
  }
  const n = argv.length - 2;
  if ((cmd.arity > 0 && cmd.arity !== n) || n < -cmd.arity) {
    c.reply.error('ERR Invalid number of arguments specified for command');
    return;
  }
  const cmdArgv = argv.slice(2);
  const keys = getKeysWithFlags(cmd, cmdArgv);
  if (keys.length === 0) {
    if (cmd.meta.flags.includes('no_mandatory_keys')) c.reply.array(0);
    else c.reply.error('ERR Invalid arguments specified for command');
    return;
  }
  c.reply.array(keys.length);
  for (const k of keys) {
    if (!withFlags) {
      c.reply.bulk(cmdArgv[k.pos]);
    } else {
      c.reply.array(2);
      c.reply.bulk(cmdArgv[k.pos]);
      writeStatusSet(c.reply, k.flags);
    }
  }
}

const HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

export const handlers: HandlerMap = {
  command: commandCommand,
  'command|count': commandCount,
  'command|info': commandInfo,
  'command|docs': commandDocs,
  'command|list': commandList,
  'command|getkeys': (c, argv) => getKeysCommand(c, argv, false),
  'command|getkeysandflags': (c, argv) => getKeysCommand(c, argv, true),
  'command|help': (c) => replyHelp(c, 'COMMAND', HELP),
};
