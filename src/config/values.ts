// Parsing and formatting of configuration values, with Redis's rules and
// error texts (config.c): yes/no booleans, memory units (memtoull), percent,
// octal, enums and bit-flag enums, and the special multi-argument parameters.

import fs from 'node:fs';
import path from 'node:path';
import type { ConfigParam } from './table.js';
import type { Config } from './config.js';

export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}
export type OutputLimits = Record<'normal' | 'replica' | 'pubsub', OutputLimit>;

const ULLONG_MAX = 18446744073709551615n;
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

type Parsed = { value: unknown } | { error: string };

/** Redis's memtoull(): digits with an optional unit b, k, kb, m, mb, g, gb (case-insensitive). null on error. */
export function memtoull(s: string): bigint | null {
  if (s.startsWith('-')) return null;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const unit = s.slice(i).toLowerCase();
  let mul: bigint;
  switch (unit) {
    case '':
    case 'b':
      mul = 1n;
      break;
    case 'k':
      mul = 1000n;
      break;
    case 'kb':
      mul = 1024n;
      break;
    case 'm':
      mul = 1000000n;
      break;
    case 'mb':
      mul = 1048576n;
      break;
    case 'g':
      mul = 1000000000n;
      break;
    case 'gb':
      mul = 1073741824n;
      break;
    default:
      return null;
  }
  if (i >= 128) return null;
  const digits = s.slice(0, i);
  const val = digits === '' ? 0n : BigInt(digits);
  if (val > ULLONG_MAX) return null;
  if (val > ULLONG_MAX / mul) return null;
  return val * mul;
}

/** Redis's string2ll(): strict signed 64-bit decimal. */
export function string2ll(s: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
  const v = BigInt(s);
  if (v > LLONG_MAX || v < LLONG_MIN) return null;
  return v;
}

/** C strtoll(s, &end, 10) with the requirement that *end == '\0'. null when trailing garbage. */
function strtollFull(s: string): bigint | null {
  if (s === '') return 0n;
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(s);
  if (!m) return null;
  let v = BigInt(m[1]);
  if (v > LLONG_MAX) v = LLONG_MAX;
  if (v < LLONG_MIN) v = LLONG_MIN;
  return v;
}

/** Bytes as CONFIG REWRITE writes them: 1gb, 5mb, 3kb or plain bytes. */
export function formatMemory(bytes: number): string {
  const gb = 1024 * 1024 * 1024;
  const mb = 1024 * 1024;
  const kb = 1024;
  if (bytes && bytes % gb === 0) return `${bytes / gb}gb`;
  if (bytes && bytes % mb === 0) return `${bytes / mb}mb`;
  if (bytes && bytes % kb === 0) return `${bytes / kb}kb`;
  return String(bytes);
}

/** C's "%f" followed by Redis's trimDoubleString (drop trailing zeros and dot). */
export function formatPercentile(v: number): string {
  let s = v.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

// Keyspace notification flags: the Notify bits of src/db/keyspace.ts.
const N_K = 1 << 0;
const N_E = 1 << 1;
const N_g = 1 << 2;
const N_$ = 1 << 3;
const N_l = 1 << 4;
const N_s = 1 << 5;
const N_h = 1 << 6;
const N_z = 1 << 7;
const N_x = 1 << 8;
const N_e = 1 << 9;
const N_t = 1 << 10;
const N_m = 1 << 11;
const N_d = 1 << 13;
const N_n = 1 << 14;
/** 'A': g$lshzxetd */
export const NOTIFY_ALL = N_g | N_$ | N_l | N_s | N_h | N_z | N_x | N_e | N_t | N_d;

/** keyspaceEventsStringToFlags(); -1 on an invalid character. */
export function notifyFlagsFromString(s: string): number {
  let flags = 0;
  for (const ch of s) {
    switch (ch) {
      case 'A': flags |= NOTIFY_ALL; break;
      case 'g': flags |= N_g; break;
      case '$': flags |= N_$; break;
      case 'l': flags |= N_l; break;
      case 's': flags |= N_s; break;
      case 'h': flags |= N_h; break;
      case 'z': flags |= N_z; break;
      case 'x': flags |= N_x; break;
      case 'e': flags |= N_e; break;
      case 'K': flags |= N_K; break;
      case 'E': flags |= N_E; break;
      case 't': flags |= N_t; break;
      case 'm': flags |= N_m; break;
      case 'd': flags |= N_d; break;
      case 'n': flags |= N_n; break;
      default: return -1;
    }
  }
  return flags;
}

/** keyspaceEventsFlagsToString(). */
export function notifyFlagsToString(flags: number): string {
  let r = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) r += 'A';
  else {
    if (flags & N_g) r += 'g';
    if (flags & N_$) r += '$';
    if (flags & N_l) r += 'l';
    if (flags & N_s) r += 's';
    if (flags & N_h) r += 'h';
    if (flags & N_z) r += 'z';
    if (flags & N_x) r += 'x';
    if (flags & N_e) r += 'e';
    if (flags & N_t) r += 't';
    if (flags & N_d) r += 'd';
    if (flags & N_n) r += 'n';
  }
  if (flags & N_K) r += 'K';
  if (flags & N_E) r += 'E';
  if (flags & N_m) r += 'm';
  return r;
}

function enumError(p: ConfigParam): string {
  return `argument(s) must be one of the following: ${p.enumValues!.join(', ')}`;
}

/** Bit value of a flag enum name ('default' is 0). */
function flagBit(p: ConfigParam, name: string): number {
  return name === 'default' ? 0 : 1 << p.enumValues!.indexOf(name);
}

function parseEnum(p: ConfigParam, args: string[]): Parsed {
  const vals = p.enumValues!;
  if (p.multi) {
    let bits = 0;
    if (args.length === 0) return { error: enumError(p) };
    for (const a of args) {
      const n = a.toLowerCase();
      if (!vals.includes(n)) return { error: enumError(p) };
      bits |= flagBit(p, n);
    }
    if (bits === 0) return { value: 'default' };
    return { value: vals.filter((v) => v !== 'default' && (bits & flagBit(p, v)) !== 0).join(' ') };
  }
  if (args.length !== 1) return { error: enumError(p) };
  const n = args[0].toLowerCase();
  if (!vals.includes(n)) return { error: enumError(p) };
  return { value: p.enumAliases?.[n] ?? n };
}

function parseNumber(p: ConfigParam, s: string): Parsed {
  let v: bigint | null = null;
  const isMem = p.type === 'memory';
  if (isMem) v = memtoull(s);
  if (v === null && p.percent && s.length > 1 && s.endsWith('%')) {
    const pv = string2ll(s.slice(0, -1));
    if (pv !== null && pv >= 0n) v = -pv;
  }
  if (v === null && p.octal) {
    const m = /^[ \t\n\v\f\r]*([+-]?[0-7]+)$/.exec(s);
    if (m) v = BigInt('0o' + m[1].replace(/^[+-]/, '')) * (m[1].startsWith('-') ? -1n : 1n);
  }
  if (v === null && !isMem && !p.percent && !p.octal) v = string2ll(s);
  if (v === null) {
    if (isMem && p.percent) return { error: 'argument must be a memory or percent value' };
    if (isMem) return { error: 'argument must be a memory value' };
    return { error: "argument couldn't be parsed into an integer" };
  }
  const [lo, hi] = p.bounds ?? [BigInt(p.min ?? Number.MIN_SAFE_INTEGER), BigInt(p.max ?? Number.MAX_SAFE_INTEGER)];
  if (p.percent && v < 0n) {
    if (v < lo) return { error: `percentage argument must be less or equal to ${-lo}` };
  } else if (v > hi || v < lo) {
    if (p.octal) return { error: `argument must be between ${lo.toString(8)} and ${hi.toString(8)} inclusive` };
    return { error: `argument must be between ${lo} and ${hi} inclusive` };
  }
  return { value: Number(v) };
}

function parseSpecial(cfg: Config, p: ConfigParam, args: string[]): Parsed {
  switch (p.name) {
    case 'save': {
      let a = args;
      if (a.length === 1 && a[0] === '') a = [];
      if (a.length & 1) return { error: 'Invalid save parameters' };
      const vals: number[] = [];
      for (let j = 0; j < a.length; j++) {
        const v = strtollFull(a[j]);
        if (v === null || ((j & 1) === 0 && v < 1n) || ((j & 1) === 1 && v < 0n)) return { error: 'Invalid save parameters' };
        vals.push(Number(v));
      }
      let base: [number, number][] = [];
      if (cfg.loading) {
        if (cfg.saveLoaded && a.length > 0) base = cfg.get<[number, number][]>('save').map((x) => [x[0], x[1]]);
        cfg.saveLoaded = true;
      }
      for (let j = 0; j < vals.length; j += 2) base.push([vals[j], vals[j + 1]]);
      return { value: base };
    }
    case 'bind': {
      if (args.length > 16) return { error: 'Too many bind addresses specified.' };
      if (args.length === 1 && args[0] === '') return { value: [] };
      return { value: [...args] };
    }
    case 'replicaof': {
      if (args.length !== 2) return { error: 'wrong number of arguments' };
      if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return { value: [] };
      const port = strtollFull(args[1]);
      if (port === null || args[1] === '' || port < 0n || port > 65535n) return { error: 'Invalid master port' };
      return { value: [args[0], String(port)] };
    }
    case 'client-output-buffer-limit': {
      if (args.length % 4) return { error: 'Wrong number of arguments in buffer limit configuration.' };
      const cur = JSON.parse(JSON.stringify(cfg.get<OutputLimits>(p.name))) as OutputLimits;
      for (let j = 0; j < args.length; j += 4) {
        const cls = args[j].toLowerCase();
        const key = cls === 'normal' ? 'normal' : cls === 'slave' || cls === 'replica' ? 'replica' : cls === 'pubsub' ? 'pubsub' : null;
        if (key === null) return { error: 'Invalid client class specified in buffer limit configuration.' };
        const hard = memtoull(args[j + 1]);
        const soft = memtoull(args[j + 2]);
        const secs = strtollFull(args[j + 3]);
        if (hard === null || soft === null || secs === null || secs < 0n) {
          return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
        }
        cur[key] = { hard: Number(hard), soft: Number(soft), softSeconds: Number(secs) };
      }
      return { value: cur };
    }
    case 'oom-score-adj-values': {
      if (args.length !== 3) return { error: 'wrong number of arguments' };
      const out: number[] = [];
      for (const a of args) {
        const v = strtollFull(a);
        if (v === null || v < -2000n || v > 2000n) {
          return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
        }
        out.push(Number(v));
      }
      return { value: out };
    }
    case 'notify-keyspace-events': {
      if (args.length !== 1) return { error: 'wrong number of arguments' };
      const f = notifyFlagsFromString(args[0]);
      if (f === -1) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
      return { value: f };
    }
    case 'latency-tracking-info-percentiles': {
      if (args.length === 1 && args[0] === '') return { value: [] };
      const out: number[] = [];
      for (const a of args) {
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
        const v = Number(a);
        if (v > 100 || v < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
        out.push(v);
      }
      return { value: out };
    }
    case 'dir': {
      if (args.length !== 1) return { error: 'wrong number of arguments' };
      const d = path.resolve(args[0]);
      try {
        if (!fs.statSync(d).isDirectory()) return { error: 'Not a directory' };
        fs.accessSync(d, fs.constants.X_OK);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { error: code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : String(code) };
      }
      return { value: d };
    }
  }
  return { error: 'wrong number of arguments' };
}

/** Parses a value from its arguments (already split for multi-argument parameters). */
export function parseValue(cfg: Config, p: ConfigParam, args: string[]): Parsed {
  switch (p.type) {
    case 'bool': {
      if (args.length !== 1) return { error: 'wrong number of arguments' };
      const v = args[0].toLowerCase();
      if (v === 'yes') return { value: true };
      if (v === 'no') return { value: false };
      return { error: "argument must be 'yes' or 'no'" };
    }
    case 'string': {
      if (args.length !== 1) return { error: 'wrong number of arguments' };
      const err = p.validate?.(args[0]) ?? null;
      if (err) return { error: err };
      return { value: args[0] };
    }
    case 'enum':
      return parseEnum(p, args);
    case 'int':
    case 'memory': {
      if (args.length !== 1) return { error: 'wrong number of arguments' };
      const r = parseNumber(p, args[0]);
      if (p.cap !== undefined && 'value' in r) return { value: Math.min(Math.max(r.value as number, p.cap[0]), p.cap[1]) };
      return r;
    }
    case 'special':
      return parseSpecial(cfg, p, args);
  }
}

/** The value as CONFIG GET prints it. */
export function formatValue(p: ConfigParam, v: unknown): string {
  switch (p.type) {
    case 'bool':
      return v ? 'yes' : 'no';
    case 'string':
    case 'enum':
      return String(v);
    case 'int':
    case 'memory':
      if (p.percent && (v as number) < 0) return `${-(v as number)}%`;
      if (p.octal) return (v as number).toString(8);
      return String(v);
    case 'special':
      switch (p.name) {
        case 'save':
          return (v as [number, number][]).map((x) => `${x[0]} ${x[1]}`).join(' ');
        case 'bind':
        case 'replicaof':
        case 'oom-score-adj-values':
          return (v as (string | number)[]).join(' ');
        case 'client-output-buffer-limit': {
          const l = v as OutputLimits;
          const f = (x: OutputLimit) => `${x.hard} ${x.soft} ${x.softSeconds}`;
          return `normal ${f(l.normal)} slave ${f(l.replica)} pubsub ${f(l.pubsub)}`;
        }
        case 'notify-keyspace-events':
          return notifyFlagsToString(v as number);
        case 'latency-tracking-info-percentiles':
          return (v as number[]).map(formatPercentile).join(' ');
        case 'dir':
          return process.cwd();
      }
  }
  return String(v);
}
