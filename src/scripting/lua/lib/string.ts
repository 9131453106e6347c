// The string library (lstrlib.c), Lua 5.1: byte strings (latin1 JS
// strings), Lua patterns with the C implementation's semantics (including
// that a pattern ends at its first "\0", as C strings do), and
// string.format with glibc printf's conversions.

import { LuaTable } from '../table.js';
import { NONE, type HostFunction, type LuaValue } from '../value.js';
import { LuaState, MAX_C_STACK, isFunction, typeName } from '../vm.js';
import { formatFloat, formatInt, numberToString, toInt32Cast } from '../numbers.js';

const L_ESC = 37; // '%'
const NON_ASCII = /[^\x00-\x7f]/;
const SPECIALS = '^$*+?.([%-';
const MAXCAPTURES = 32;
const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;
/** Longest string this engine builds (V8's limit is a little above 2^29 chars). */
export const MAX_STRING = 2 ** 29 - 24;

// C-locale character classes for bytes
const CT_ALPHA = 1;
const CT_DIGIT = 2;
const CT_SPACE = 4;
const CT_UPPER = 8;
const CT_LOWER = 16;
const CT_PUNCT = 32;
const CT_CNTRL = 64;
const CT_XDIGIT = 128;
const ctype = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  let f = 0;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) f |= CT_ALPHA;
  if (c >= 48 && c <= 57) f |= CT_DIGIT;
  if (c === 32 || (c >= 9 && c <= 13)) f |= CT_SPACE;
  if (c >= 65 && c <= 90) f |= CT_UPPER;
  if (c >= 97 && c <= 122) f |= CT_LOWER;
  if (c < 32 || c === 127) f |= CT_CNTRL;
  if (c >= 33 && c <= 126 && !(f & (CT_ALPHA | CT_DIGIT))) f |= CT_PUNCT;
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)) f |= CT_XDIGIT;
  ctype[c] = f;
}

class MatchState {
  level = 0;
  readonly capInit: number[] = [];
  readonly capLen: number[] = [];
  depth = 0;
  /** End of the pattern: its length, or its first NUL. */
  readonly pend: number;
  /** The pattern's bytes, followed by zeros (C's terminator, and room to read past it). */
  private readonly pc: Uint8Array;
  constructor(
    readonly L: LuaState,
    readonly src: string,
    readonly pat: string,
  ) {
    const z = pat.indexOf('\0');
    this.pend = z < 0 ? pat.length : z;
    const pc = new Uint8Array(this.pend + 4);
    for (let i = 0; i < this.pend; i++) pc[i] = pat.charCodeAt(i);
    this.pc = pc;
  }

  /** Pattern char at i (0 past the end, like the C string's terminator). */
  p(i: number): number {
    return i < this.pend ? this.pc[i] : 0;
  }

  /**
   * What the first pattern item (from pattern position p0) needs: a literal
   * char (code >= 0), a class or set (-2: test with singleMatch), or nothing
   * known (-1: the item may match empty, or is not a single char class).
   */
  private firstKind = -1;
  private firstEnd = 0;
  private firstStart = 0;

  /** Prepares candidate skipping for matches starting at pattern position p0. */
  prepare(p0: number): void {
    this.firstKind = -1;
    this.firstStart = p0;
    const c = this.p(p0);
    if (p0 >= this.pend || c === 40 || c === 41 || c === 36) return; // ( ) $ or empty pattern
    if (c === L_ESC) {
      const n = this.p(p0 + 1);
      if (n === 98 || n === 102 || (n >= 48 && n <= 57) || p0 + 1 >= this.pend) return; // %b %f %1 or malformed
    }
    const ep = c === 91 ? classEndSafe(this, p0) : c === L_ESC ? p0 + 2 : p0 + 1;
    if (ep < 0) return;
    const suffix = this.p(ep);
    if (suffix === 63 || suffix === 42 || suffix === 45) return; // ? * - may match empty
    this.firstEnd = ep;
    this.firstKind = c !== L_ESC && c !== 91 && c !== 46 ? c : -2;
  }

  /** The first position >= s where a match could start (src.length + 1: none). */
  candidate(s: number): number {
    const k = this.firstKind;
    if (k === -1) return s;
    const src = this.src;
    if (k >= 0) {
      const i = src.indexOf(String.fromCharCode(k), s);
      return i < 0 ? src.length + 1 : i;
    }
    for (; s < src.length; s++) if (singleMatch(this, src.charCodeAt(s), this.firstStart, this.firstEnd)) return s;
    return src.length + 1;
  }

  /** Starts a match attempt. */
  reset(): void {
    this.level = 0;
    this.depth = 0;
  }

  /** Subject char at i (0 at the end, like the C string's terminator). */
  s(i: number): number {
    return i < this.src.length ? this.src.charCodeAt(i) : 0;
  }
}

function classEnd(ms: MatchState, p: number): number {
  const c = ms.p(p++);
  if (c === L_ESC) {
    if (p >= ms.pend) ms.L.error("malformed pattern (ends with '%')");
    return p + 1;
  }
  if (c === 91) {
    // '['
    if (ms.p(p) === 94) p++;
    do {
      if (p >= ms.pend) ms.L.error("malformed pattern (missing ']')");
      const cc = ms.p(p++);
      if (cc === L_ESC && p < ms.pend) p++;
    } while (ms.p(p) !== 93);
    return p + 1;
  }
  return p;
}

/** classEnd without errors: -1 for a malformed set. */
function classEndSafe(ms: MatchState, p: number): number {
  p++;
  if (ms.p(p) === 94) p++;
  do {
    if (p >= ms.pend) return -1;
    const cc = ms.p(p++);
    if (cc === L_ESC && p < ms.pend) p++;
  } while (ms.p(p) !== 93);
  return p + 1;
}

function matchClass(c: number, cl: number): boolean {
  let res: boolean;
  const lower = cl >= 65 && cl <= 90 ? cl + 32 : cl;
  const f = ctype[c];
  switch (lower) {
    case 97: // a
      res = (f & CT_ALPHA) !== 0;
      break;
    case 99: // c
      res = (f & CT_CNTRL) !== 0;
      break;
    case 100: // d
      res = (f & CT_DIGIT) !== 0;
      break;
    case 108: // l
      res = (f & CT_LOWER) !== 0;
      break;
    case 112: // p
      res = (f & CT_PUNCT) !== 0;
      break;
    case 115: // s
      res = (f & CT_SPACE) !== 0;
      break;
    case 117: // u
      res = (f & CT_UPPER) !== 0;
      break;
    case 119: // w
      res = (f & (CT_ALPHA | CT_DIGIT)) !== 0;
      break;
    case 120: // x
      res = (f & CT_XDIGIT) !== 0;
      break;
    case 122: // z
      res = c === 0;
      break;
    default:
      return cl === c;
  }
  return ctype[cl] & CT_LOWER ? res : !res;
}

/** p points at '[', ec at its closing ']'. */
function matchBracketClass(ms: MatchState, c: number, p: number, ec: number): boolean {
  let sig = true;
  if (ms.p(p + 1) === 94) {
    sig = false;
    p++;
  }
  while (++p < ec) {
    const pc = ms.p(p);
    if (pc === L_ESC) {
      p++;
      if (matchClass(c, ms.p(p))) return sig;
    } else if (ms.p(p + 1) === 45 && p + 2 < ec) {
      p += 2;
      if (ms.p(p - 2) <= c && c <= ms.p(p)) return sig;
    } else if (pc === c) return sig;
  }
  return !sig;
}

function singleMatch(ms: MatchState, c: number, p: number, ep: number): boolean {
  switch (ms.p(p)) {
    case 46: // '.'
      return true;
    case L_ESC:
      return matchClass(c, ms.p(p + 1));
    case 91:
      return matchBracketClass(ms, c, p, ep - 1);
    default:
      return ms.p(p) === c;
  }
}

function matchBalance(ms: MatchState, s: number, p: number): number {
  if (p >= ms.pend || p + 1 >= ms.pend) ms.L.error('unbalanced pattern');
  if (ms.s(s) !== ms.p(p)) return -1;
  const b = ms.p(p);
  const e = ms.p(p + 1);
  let cont = 1;
  const end = ms.src.length;
  while (++s < end) {
    const c = ms.src.charCodeAt(s);
    if (c === e) {
      if (--cont === 0) return s + 1;
    } else if (c === b) cont++;
  }
  return -1;
}

function maxExpand(ms: MatchState, s: number, p: number, ep: number): number {
  let i = 0;
  const end = ms.src.length;
  while (s + i < end && singleMatch(ms, ms.src.charCodeAt(s + i), p, ep)) i++;
  while (i >= 0) {
    const res = doMatch(ms, s + i, ep + 1);
    if (res !== -1) return res;
    i--;
  }
  return -1;
}

function minExpand(ms: MatchState, s: number, p: number, ep: number): number {
  const end = ms.src.length;
  for (;;) {
    const res = doMatch(ms, s, ep + 1);
    if (res !== -1) return res;
    if (s < end && singleMatch(ms, ms.src.charCodeAt(s), p, ep)) s++;
    else return -1;
  }
}

function startCapture(ms: MatchState, s: number, p: number, what: number): number {
  const level = ms.level;
  if (level >= MAXCAPTURES) ms.L.error('too many captures');
  ms.capInit[level] = s;
  ms.capLen[level] = what;
  ms.level = level + 1;
  const res = doMatch(ms, s, p);
  if (res === -1) ms.level--;
  return res;
}

function endCapture(ms: MatchState, s: number, p: number): number {
  let l = ms.level - 1;
  for (; l >= 0; l--) if (ms.capLen[l] === CAP_UNFINISHED) break;
  if (l < 0) ms.L.error('invalid pattern capture');
  ms.capLen[l] = s - ms.capInit[l];
  const res = doMatch(ms, s, p);
  if (res === -1) ms.capLen[l] = CAP_UNFINISHED;
  return res;
}

function checkCapture(ms: MatchState, l: number): number {
  l -= 49; // '1'
  if (l < 0 || l >= ms.level || ms.capLen[l] === CAP_UNFINISHED) ms.L.error('invalid capture index');
  return l;
}

function matchCapture(ms: MatchState, s: number, l: number): number {
  l = checkCapture(ms, l);
  const len = ms.capLen[l];
  const init = ms.capInit[l];
  if (ms.src.length - s >= len && ms.src.substr(init, len) === ms.src.substr(s, len)) return s + len;
  return -1;
}

/** Lua's match(): the end of the match of pattern[p..] at subject[s..], or -1. */
function doMatch(ms: MatchState, s: number, p: number): number {
  if (++ms.depth > 2000) ms.L.error('pattern too complex');
  const r = matchLoop(ms, s, p);
  ms.depth--;
  return r;
}

function matchLoop(ms: MatchState, s: number, p: number): number {
  {
    for (;;) {
      const pc = ms.p(p);
      switch (pc) {
        case 40: // '('
          if (ms.p(p + 1) === 41) return startCapture(ms, s, p + 2, CAP_POSITION);
          return startCapture(ms, s, p + 1, CAP_UNFINISHED);
        case 41: // ')'
          return endCapture(ms, s, p + 1);
        case 0:
          if (p >= ms.pend) return s;
          break;
        case 36: // '$'
          if (p + 1 >= ms.pend) return s === ms.src.length ? s : -1;
          break;
        case L_ESC: {
          const n = ms.p(p + 1);
          if (n === 98) {
            // %b
            s = matchBalance(ms, s, p + 2);
            if (s === -1) return -1;
            p += 4;
            continue;
          }
          if (n === 102) {
            // %f
            p += 2;
            if (ms.p(p) !== 91) ms.L.error("missing '[' after '%f' in pattern");
            const ep = classEnd(ms, p);
            const previous = s === 0 ? 0 : ms.src.charCodeAt(s - 1);
            if (matchBracketClass(ms, previous, p, ep - 1) || !matchBracketClass(ms, ms.s(s), p, ep - 1)) return -1;
            p = ep;
            continue;
          }
          if (n >= 48 && n <= 57) {
            s = matchCapture(ms, s, n);
            if (s === -1) return -1;
            p += 2;
            continue;
          }
          break;
        }
        default:
          break;
      }
      // a single-char class with an optional repetition suffix
      const ep = classEnd(ms, p);
      const m = s < ms.src.length && singleMatch(ms, ms.src.charCodeAt(s), p, ep);
      switch (ms.p(ep)) {
        case 63: {
          // '?'
          if (m) {
            const res = doMatch(ms, s + 1, ep + 1);
            if (res !== -1) return res;
          }
          p = ep + 1;
          continue;
        }
        case 42: // '*'
          return maxExpand(ms, s, p, ep);
        case 43: // '+'
          return m ? maxExpand(ms, s + 1, p, ep) : -1;
        case 45: // '-'
          return minExpand(ms, s, p, ep);
        default:
          if (!m) return -1;
          s++;
          p = ep;
      }
    }
  }
}

function oneCapture(ms: MatchState, i: number, s: number, e: number): LuaValue {
  if (i >= ms.level) {
    if (i === 0) return ms.src.slice(s, e);
    ms.L.error('invalid capture index');
  }
  const l = ms.capLen[i];
  if (l === CAP_UNFINISHED) ms.L.error('unfinished capture');
  if (l === CAP_POSITION) return ms.capInit[i] + 1;
  return ms.src.substr(ms.capInit[i], l);
}

/** push_captures: with s === -1, only explicit captures. */
function captures(ms: MatchState, s: number, e: number): LuaValue[] {
  const n = ms.level === 0 && s !== -1 ? 1 : ms.level;
  const out = new Array<LuaValue>(n);
  for (let i = 0; i < n; i++) out[i] = oneCapture(ms, i, s, e);
  return out;
}

/** posrelat: negative positions count from the end. */
function posrelat(pos: number, len: number): number {
  if (pos < 0) pos += len + 1;
  return pos >= 0 ? pos : 0;
}

/** The C string (up to the first NUL) of s. */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

function findAux(L: LuaState, args: LuaValue[], find: boolean): LuaValue | LuaValue[] {
  const s = L.checkString(args, 1);
  const p = L.checkString(args, 2);
  let init = posrelat(L.optInteger(args, 3, 1), s.length) - 1;
  if (init < 0) init = 0;
  else if (init > s.length) init = s.length;
  const plain = args[3] !== undefined && args[3] !== false;
  if (find && (plain || !hasSpecials(p))) {
    const i = s.indexOf(p, init);
    if (i >= 0) return [i + 1, i + p.length];
  } else {
    const ms = new MatchState(L, s, p);
    let pi = 0;
    const anchor = ms.p(0) === 94;
    if (anchor) pi = 1;
    let s1 = init;
    if (!anchor) ms.prepare(pi);
    do {
      if (!anchor) {
        s1 = ms.candidate(s1);
        if (s1 > s.length) break;
      }
      ms.reset();
      const res = doMatch(ms, s1, pi);
      if (res !== -1) {
        if (find) {
          const caps = captures(ms, -1, 0);
          return [s1 + 1, res, ...caps];
        }
        return captures(ms, s1, res);
      }
    } while (s1++ < s.length && !anchor);
  }
  return undefined;
}

function hasSpecials(p: string): boolean {
  const c = cstr(p);
  for (let i = 0; i < c.length; i++) if (SPECIALS.includes(c[i])) return true;
  return false;
}

function gsubValue(L: LuaState, ms: MatchState, repl: LuaValue, s: number, e: number): string {
  let v: LuaValue;
  if (typeof repl === 'string' || typeof repl === 'number') {
    const news = typeof repl === 'string' ? repl : numberToString(repl);
    let out = '';
    const l = news.length;
    for (let i = 0; i < l; i++) {
      const c = news.charCodeAt(i);
      if (c !== L_ESC) {
        out += news[i];
        continue;
      }
      i++;
      const d = i < l ? news.charCodeAt(i) : 0;
      if (!(d >= 48 && d <= 57)) out += String.fromCharCode(d);
      else if (d === 48) out += ms.src.slice(s, e);
      else {
        const cap = oneCapture(ms, d - 49, s, e);
        out += typeof cap === 'string' ? cap : numberToString(cap as number);
      }
    }
    return out;
  }
  if (repl instanceof LuaTable) v = L.index(repl, oneCapture(ms, 0, s, e), -1);
  else v = L.callSync(repl, captures(ms, s, e))[0];
  if (v === undefined || v === false) return ms.src.slice(s, e);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  L.error(`invalid replacement value (a ${typeName(v)})`);
}

// ---- string.format ----

function formatItem(L: LuaState, args: LuaValue[], arg: number, conv: string, flags: string, width: number, prec: number): string {
  switch (conv) {
    case 'c': {
      const c = toInt32Cast(L.checkNumber(args, arg)) & 0xff;
      return padStr(String.fromCharCode(c), width, flags);
    }
    case 'd':
    case 'i':
    case 'o':
    case 'u':
    case 'x':
    case 'X':
      return formatInt(L.checkNumber(args, arg), conv, prec, flags, width);
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G':
      return formatFloat(L.checkNumber(args, arg), conv, prec, flags, width);
    case 's': {
      let s = cstr(L.checkString(args, arg));
      if (prec >= 0 && s.length > prec) s = s.slice(0, prec);
      return padStr(s, width, flags);
    }
    default:
      return '';
  }
}

function padStr(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  return flags.includes('-') ? s + ' '.repeat(width - s.length) : ' '.repeat(width - s.length) + s;
}

function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    switch (c) {
      case '"':
      case '\\':
      case '\n':
        out += '\\' + c;
        break;
      case '\r':
        out += '\\r';
        break;
      case '\0':
        out += '\\000';
        break;
      default:
        out += c;
    }
  }
  return out + '"';
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function strFormat(L: LuaState, args: LuaValue[]): string {
  const fmt = L.checkString(args, 1);
  let out = '';
  let arg = 1;
  const n = fmt.length;
  let i = 0;
  while (i < n) {
    const c = fmt.charCodeAt(i);
    if (c !== L_ESC) {
      // copy a run of plain chars
      let j = fmt.indexOf('%', i);
      if (j < 0) j = n;
      out += fmt.slice(i, j);
      i = j;
      continue;
    }
    i++;
    if (fmt.charCodeAt(i) === L_ESC) {
      out += '%';
      i++;
      continue;
    }
    if (++arg > args.length) L.argError(arg, 'no value');
    // scanformat
    const start = i;
    while (i < n && '-+ #0'.includes(fmt[i])) i++;
    if (i - start >= 6) L.error('invalid format (repeated flags)');
    const flags = fmt.slice(start, i);
    let width = 0;
    if (isDigitCode(fmt.charCodeAt(i))) width = fmt.charCodeAt(i++) - 48;
    if (isDigitCode(fmt.charCodeAt(i))) width = width * 10 + (fmt.charCodeAt(i++) - 48);
    let prec = -1;
    if (fmt[i] === '.') {
      i++;
      prec = 0;
      if (isDigitCode(fmt.charCodeAt(i))) prec = fmt.charCodeAt(i++) - 48;
      if (isDigitCode(fmt.charCodeAt(i))) prec = prec * 10 + (fmt.charCodeAt(i++) - 48);
    }
    if (isDigitCode(fmt.charCodeAt(i))) L.error('invalid format (width or precision too long)');
    const conv = i < n ? fmt[i] : '\0';
    i++;
    switch (conv) {
      case 'q':
        out += quoted(L.checkString(args, arg));
        continue;
      case 's': {
        const s = L.checkString(args, arg);
        if (prec < 0 && s.length >= 100) {
          out += s;
          continue;
        }
        break;
      }
      case 'c':
      case 'd':
      case 'i':
      case 'o':
      case 'u':
      case 'x':
      case 'X':
      case 'e':
      case 'E':
      case 'f':
      case 'g':
      case 'G':
        break;
      default:
        L.error(`invalid option '%${conv === '\0' ? '' : conv}' to 'format'`);
    }
    // sprintf's output is used up to its first NUL
    out += cstr(formatItem(L, args, arg, conv, flags, width, prec));
    if (out.length > MAX_STRING) L.error('not enough memory', 0);
  }
  return out;
}

// ---- the library ----

export function openString(L: LuaState): LuaTable {
  const S = new LuaTable();
  L.globals.setStr('string', S);
  const set = (name: string, f: HostFunction): void => S.setStr(name, f);

  set('byte', (L, args) => {
    const s = L.checkString(args, 1);
    const l = s.length;
    let posi = posrelat(L.optInteger(args, 2, 1), l);
    let pose = posrelat(args[2] === undefined ? posi : L.checkInteger(args, 3), l);
    if (posi <= 0) posi = 1;
    if (pose > l) pose = l;
    if (posi > pose) return NONE;
    const n = pose - posi + 1;
    if (n + args.length > MAX_C_STACK) L.error('stack overflow (string slice too long)');
    const out = new Array<LuaValue>(n);
    for (let i = 0; i < n; i++) out[i] = s.charCodeAt(posi - 1 + i);
    return out;
  });

  set('char', (L, args) => {
    let out = '';
    for (let i = 1; i <= args.length; i++) {
      const c = L.checkInt(args, i);
      if ((c & 0xff) !== c) L.argError(i, 'invalid value');
      out += String.fromCharCode(c);
    }
    return out;
  });

  set('dump', (L, args) => {
    if (!isFunction(args[0])) L.argTypeError(args, 1, 'function');
    return L.error('unable to dump given function');
  });

  set('find', (L, args) => findAux(L, args, true));
  set('match', (L, args) => findAux(L, args, false));

  const gmatch: HostFunction = (L, args) => {
    const s = L.checkString(args, 1);
    const p = L.checkString(args, 2);
    let pos = 0;
    const ms = new MatchState(L, s, p);
    ms.prepare(0);
    const iter: HostFunction = () => {
      for (let src = pos; src <= s.length; src++) {
        src = ms.candidate(src);
        if (src > s.length) break;
        ms.reset();
        const e = doMatch(ms, src, 0);
        if (e !== -1) {
          pos = e === src ? e + 1 : e;
          if (ms.level === 0) return ms.src.slice(src, e);
          return captures(ms, src, e);
        }
      }
      return NONE;
    };
    return iter;
  };
  set('gmatch', gmatch);
  set('gfind', gmatch);

  set('gsub', (L, args) => {
    const src = L.checkString(args, 1);
    const p = L.checkString(args, 2);
    const repl = args[2];
    const tr = typeName(repl);
    const maxS = L.optInt(args, 4, src.length + 1);
    if (!(tr === 'number' || tr === 'string' || tr === 'function' || tr === 'table'))
      L.argError(3, 'string/function/table expected');
    const ms = new MatchState(L, src, p);
    let pi = 0;
    const anchor = ms.p(0) === 94;
    if (anchor) pi = 1;
    let n = 0;
    let s = 0;
    let out = '';
    let copied = 0; // src[copied..s) is still to be copied to out
    if (!anchor) ms.prepare(pi);
    while (n < maxS) {
      if (!anchor) {
        s = ms.candidate(s);
        if (s > src.length) {
          s = src.length;
          break;
        }
      }
      ms.reset();
      const e = doMatch(ms, s, pi);
      if (e !== -1) {
        n++;
        out += src.slice(copied, s) + gsubValue(L, ms, repl, s, e);
        copied = s;
        if (out.length > MAX_STRING) L.error('not enough memory', 0);
      }
      if (e !== -1 && e > s) copied = s = e;
      else if (s < src.length) s++;
      else break;
      if (anchor) break;
    }
    out += src.slice(copied);
    return [out, n];
  });

  set('len', (L, args) => L.checkString(args, 1).length);

  // C-locale case mapping: only ASCII letters change
  set('lower', (L, args) => {
    const s = L.checkString(args, 1);
    return NON_ASCII.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
  });

  set('upper', (L, args) => {
    const s = L.checkString(args, 1);
    return NON_ASCII.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s.toUpperCase();
  });

  set('rep', (L, args) => {
    const s = L.checkString(args, 1);
    const n = L.checkInt(args, 2);
    if (n <= 0 || s.length === 0) return '';
    if (s.length * n > MAX_STRING) L.error('not enough memory', 0);
    return s.repeat(n);
  });

  set('reverse', (L, args) => {
    const s = L.checkString(args, 1);
    let out = '';
    for (let i = s.length - 1; i >= 0; i--) out += s[i];
    return out;
  });

  set('sub', (L, args) => {
    const s = L.checkString(args, 1);
    const l = s.length;
    let start = posrelat(L.checkInteger(args, 2), l);
    let end = posrelat(L.optInteger(args, 3, -1), l);
    if (start < 1) start = 1;
    if (end > l) end = l;
    return start <= end ? s.slice(start - 1, end) : '';
  });

  set('format', (L, args) => strFormat(L, args));

  const meta = new LuaTable();
  meta.setStr('__index', S);
  L.stringMeta = meta;
  return S;
}

