// lua-cjson 2.1.0 (the `cjson` library Redis loads): JSON encoding and
// decoding with its options, its number formatting (%.14g by default), its
// escapes ("/" becomes "\/", DEL becomes \u007f) and its error messages.
// Objects are written in `next` order, which follows Lua's table layout.

import { LuaTable } from '../table.js';
import { Userdata, type HostFunction, type LuaValue } from '../value.js';
import { LuaState, MAX_C_STACK, typeName } from '../vm.js';
import { formatFloat, numberToString, strtod } from '../numbers.js';

/** cjson.null: Lua's NULL light userdata. */
export const JSON_NULL = new Userdata();
JSON_NULL.light = true;

interface Config {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  /** 0 off, 1 on, 2 null */
  encodeInvalidNumbers: number;
  decodeInvalidNumbers: boolean;
  keepBuffer: boolean;
  precision: number;
}

const ESCAPES: (string | null)[] = [];
for (let c = 0; c < 256; c++) {
  let e: string | null = null;
  if (c < 32) e = '\\u' + c.toString(16).padStart(4, '0');
  ESCAPES.push(e);
}
ESCAPES[8] = '\\b';
ESCAPES[9] = '\\t';
ESCAPES[10] = '\\n';
ESCAPES[12] = '\\f';
ESCAPES[13] = '\\r';
ESCAPES[34] = '\\"';
ESCAPES[47] = '\\/';
ESCAPES[92] = '\\\\';
ESCAPES[127] = '\\u007f';
const NEEDS_ESCAPE = /[\x00-\x1f"/\\\x7f]/;

function encodeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const e = c < 256 ? ESCAPES[c] : null;
    if (e !== null) {
      out += s.slice(from, i) + e;
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

class Encoder {
  out: string[] = [];
  constructor(
    readonly L: LuaState,
    readonly cfg: Config,
  ) {}

  fail(v: LuaValue, reason: string): never {
    this.L.error(`Cannot serialise ${typeName(v)}: ${reason}`);
  }

  number(n: number): string {
    const cfg = this.cfg;
    if (!Number.isFinite(n)) {
      if (cfg.encodeInvalidNumbers === 0) this.fail(n, 'must not be NaN or Inf');
      if (cfg.encodeInvalidNumbers === 2) return 'null';
      if (Number.isNaN(n)) return 'nan';
    }
    if (cfg.precision === 14) return numberToString(n);
    return formatFloat(n, 'g', cfg.precision, '', 0);
  }

  /** lua_array_length: the array size, or -1 for an object. */
  arrayLength(t: LuaTable): number {
    let max = 0;
    let items = 0;
    for (let p = t.nextPos(-1); p >= 0; p = t.nextPos(p)) {
      const k = t.keyAt(p);
      if (typeof k === 'number' && k !== 0 && Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
      } else return -1;
    }
    const cfg = this.cfg;
    if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
      if (!cfg.sparseConvert) this.fail(t, 'excessively sparse array');
      return -1;
    }
    return max;
  }

  /** Encodes v; `stack` counts the Lua stack slots the C encoder would be using. */
  value(v: LuaValue, depth: number, stack: number): void {
    switch (typeof v) {
      case 'string':
        this.out.push(encodeString(v));
        return;
      case 'number':
        this.out.push(this.number(v));
        return;
      case 'boolean':
        this.out.push(v ? 'true' : 'false');
        return;
      case 'undefined':
        this.out.push('null');
        return;
      default:
        break;
    }
    if (v instanceof LuaTable) {
      depth++;
      if (depth > this.cfg.encodeMaxDepth || stack + 3 > MAX_C_STACK)
        this.L.error(`Cannot serialise, excessive nesting (${depth})`);
      const len = this.arrayLength(v);
      if (len > 0) {
        this.out.push('[');
        for (let i = 1; i <= len; i++) {
          if (i > 1) this.out.push(',');
          this.value(v.getInt(i), depth, stack + 1);
        }
        this.out.push(']');
        return;
      }
      this.out.push('{');
      let comma = false;
      for (let p = v.nextPos(-1); p >= 0; p = v.nextPos(p)) {
        const k = v.keyAt(p);
        if (comma) this.out.push(',');
        else comma = true;
        if (typeof k === 'number') this.out.push('"' + this.number(k) + '":');
        else if (typeof k === 'string') this.out.push(encodeString(k) + ':');
        else this.fail(k, 'table key must be a number or string');
        this.value(v.valueAt(p), depth, stack + 2);
      }
      this.out.push('}');
      return;
    }
    if (v === JSON_NULL) {
      this.out.push('null');
      return;
    }
    this.fail(v, 'type not supported');
  }
}

// ---- decoding ----

const enum T {
  ObjBegin,
  ObjEnd,
  ArrBegin,
  ArrEnd,
  String,
  Number,
  Boolean,
  Null,
  Colon,
  Comma,
  End,
  Error,
}
const TOKEN_NAMES = [
  'T_OBJ_BEGIN',
  'T_OBJ_END',
  'T_ARR_BEGIN',
  'T_ARR_END',
  'T_STRING',
  'T_NUMBER',
  'T_BOOLEAN',
  'T_NULL',
  'T_COLON',
  'T_COMMA',
  'T_END',
  'T_ERROR',
];

const ESCAPE_CHARS: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };

function hex4(s: string, i: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = s.charCodeAt(i + k);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if ((c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

function utf8(cp: number): string {
  if (cp <= 0x7f) return String.fromCharCode(cp);
  if (cp <= 0x7ff) return String.fromCharCode((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
  if (cp <= 0xffff) return String.fromCharCode((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
  return String.fromCharCode((cp >> 18) | 0xf0, ((cp >> 12) & 0x3f) | 0x80, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
}

class Decoder {
  pos = 0;
  depth = 0;
  // the current token
  type = T.End;
  index = 0;
  value: LuaValue = undefined;
  error = '';

  constructor(
    readonly L: LuaState,
    readonly cfg: Config,
    /** The text up to its first NUL (a C string). */
    readonly s: string,
  ) {}

  /** The current token's type (a method, so TypeScript does not narrow it across next()). */
  tok(): T {
    return this.type;
  }

  private at(i: number): number {
    return i < this.s.length ? this.s.charCodeAt(i) : 0;
  }

  private setError(msg: string): void {
    this.type = T.Error;
    this.index = this.pos;
    this.error = msg;
  }

  next(): void {
    let c = this.at(this.pos);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = this.at(++this.pos);
    this.index = this.pos;
    switch (c) {
      case 123:
        this.type = T.ObjBegin;
        this.pos++;
        return;
      case 125:
        this.type = T.ObjEnd;
        this.pos++;
        return;
      case 91:
        this.type = T.ArrBegin;
        this.pos++;
        return;
      case 93:
        this.type = T.ArrEnd;
        this.pos++;
        return;
      case 44:
        this.type = T.Comma;
        this.pos++;
        return;
      case 58:
        this.type = T.Colon;
        this.pos++;
        return;
      case 0:
        this.type = T.End;
        return;
      case 34:
        this.string();
        return;
      default:
        break;
    }
    const s = this.s;
    if (c === 45 || (c >= 48 && c <= 57)) {
      if (!this.cfg.decodeInvalidNumbers && this.invalidNumber()) {
        this.setError('invalid number');
        return;
      }
      this.number();
      return;
    }
    if (s.startsWith('true', this.pos)) {
      this.type = T.Boolean;
      this.value = true;
      this.pos += 4;
      return;
    }
    if (s.startsWith('false', this.pos)) {
      this.type = T.Boolean;
      this.value = false;
      this.pos += 5;
      return;
    }
    if (s.startsWith('null', this.pos)) {
      this.type = T.Null;
      this.pos += 4;
      return;
    }
    const starts = c === 102 || c === 105 || c === 73 || c === 110 || c === 78 || c === 116 || c === 43;
    if (starts && this.cfg.decodeInvalidNumbers && this.invalidNumber()) {
      this.number();
      return;
    }
    this.setError('invalid token');
  }

  /** json_is_invalid_number: numbers strtod reads but JSON forbids. */
  private invalidNumber(): boolean {
    let i = this.pos;
    if (this.at(i) === 43) return true;
    if (this.at(i) === 45) i++;
    const c = this.at(i);
    if (c === 48) {
      const c2 = this.at(i + 1);
      return (c2 | 0x20) === 120 || (c2 >= 48 && c2 <= 57);
    }
    if (c <= 57) return false;
    const three = this.s.slice(i, i + 3).toLowerCase();
    return three === 'inf' || three === 'nan';
  }

  private number(): void {
    const [v, end] = strtod(this.s, this.pos);
    if (end === this.pos) {
      this.setError('invalid number');
      return;
    }
    this.type = T.Number;
    this.value = v;
    this.pos = end;
  }

  private string(): void {
    const s = this.s;
    this.pos++;
    let out = '';
    let from = this.pos;
    for (;;) {
      const c = this.at(this.pos);
      if (c === 34) break;
      if (c === 0) {
        this.setError('unexpected end of string');
        return;
      }
      if (c !== 92) {
        this.pos++;
        continue;
      }
      out += s.slice(from, this.pos);
      const e = s[this.pos + 1];
      if (e === 'u') {
        let cp = hex4(s, this.pos + 2);
        let len = 6;
        if (cp >= 0 && (cp & 0xf800) === 0xd800) {
          if (cp & 0x400 || s[this.pos + 6] !== '\\' || s[this.pos + 7] !== 'u') cp = -1;
          else {
            const low = hex4(s, this.pos + 8);
            if (low < 0 || (low & 0xfc00) !== 0xdc00) cp = -1;
            else {
              cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
              len = 12;
            }
          }
        }
        if (cp < 0) {
          this.setError('invalid unicode escape code');
          return;
        }
        out += utf8(cp);
        this.pos += len;
      } else {
        const r = e === undefined ? undefined : ESCAPE_CHARS[e];
        if (r === undefined) {
          this.setError('invalid escape code');
          return;
        }
        out += r;
        this.pos += 2;
      }
      from = this.pos;
    }
    out += s.slice(from, this.pos);
    this.pos++;
    this.type = T.String;
    this.value = out;
  }

  fail(expected: string): never {
    const found = this.type === T.Error ? this.error : TOKEN_NAMES[this.type];
    this.L.error(`Expected ${expected} but found ${found} at character ${this.index + 1}`);
  }

  /** Lua stack slots the C decoder would be using (the argument, then tables and keys). */
  private stack = 1;

  private descend(slots: number): void {
    this.depth++;
    if (this.depth > this.cfg.decodeMaxDepth || this.stack + slots > MAX_C_STACK)
      this.L.error(`Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  /** The value of the current token. */
  process(): LuaValue {
    switch (this.type) {
      case T.String:
      case T.Number:
      case T.Boolean:
        return this.value;
      case T.Null:
        return JSON_NULL;
      case T.ObjBegin:
        return this.object();
      case T.ArrBegin:
        return this.array();
      default:
        this.fail('value');
    }
  }

  private object(): LuaTable {
    this.descend(3);
    const t = new LuaTable();
    this.next();
    if (this.tok() === T.ObjEnd) {
      this.depth--;
      return t;
    }
    for (;;) {
      if (this.tok() !== T.String) this.fail('object key string');
      const key = this.value as string;
      this.next();
      if (this.tok() !== T.Colon) this.fail('colon');
      this.next();
      this.stack += 2;
      const v = this.process();
      this.stack -= 2;
      t.set(key, v);
      this.next();
      if (this.tok() === T.ObjEnd) {
        this.depth--;
        return t;
      }
      if (this.tok() !== T.Comma) this.fail('comma or object end');
      this.next();
    }
  }

  private array(): LuaTable {
    this.descend(2);
    const t = new LuaTable();
    this.next();
    if (this.tok() === T.ArrEnd) {
      this.depth--;
      return t;
    }
    for (let i = 1; ; i++) {
      this.stack += 1;
      const v = this.process();
      this.stack -= 1;
      t.setInt(i, v);
      this.next();
      if (this.tok() === T.ArrEnd) {
        this.depth--;
        return t;
      }
      if (this.tok() !== T.Comma) this.fail('comma or array end');
      this.next();
    }
  }
}

// ---- the library ----

export function openCjson(L: LuaState): void {
  const C = makeCjson();
  L.globals.setStr('cjson', C);
}

function makeCjson(): LuaTable {
  const cfg: Config = {
    sparseConvert: false,
    sparseRatio: 2,
    sparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    encodeInvalidNumbers: 0,
    decodeInvalidNumbers: true,
    keepBuffer: true,
    precision: 14,
  };
  const C = new LuaTable();
  const set = (name: string, f: HostFunction): void => C.setStr(name, f);

  const argInit = (L: LuaState, args: LuaValue[], n: number): LuaValue[] => {
    if (args.length > n) L.argError(n + 1, 'found too many arguments');
    return args;
  };
  const intOption = (L: LuaState, args: LuaValue[], i: number, cur: number, min: number, max: number): number => {
    if (args[i - 1] === undefined) return cur;
    const v = L.checkInteger(args, i);
    if (!(min <= v && v <= max)) L.argError(1, `expected integer between ${min} and ${max}`);
    return v;
  };
  /** json_enum_option: returns the new setting (index into options). */
  const enumOption = (L: LuaState, args: LuaValue[], i: number, cur: number, options: string[], boolTrue: number): number => {
    const v = args[i - 1];
    if (v === undefined) return cur;
    if (boolTrue > 0 && typeof v === 'boolean') return v ? boolTrue : 0;
    const s = L.checkString(args, i);
    const k = options.indexOf(s);
    if (k < 0) L.argError(i, `invalid option '${s}'`);
    return k;
  };
  const enumResult = (setting: number, options: string[], boolTrue: number): LuaValue =>
    boolTrue > 0 && (setting === 0 || setting === boolTrue) ? setting !== 0 : options[setting];

  set('encode', (L, args) => {
    if (args.length !== 1) L.argError(1, 'expected 1 argument');
    const e = new Encoder(L, cfg);
    e.value(args[0], 0, 1);
    return e.out.join('');
  });

  set('decode', (L, args) => {
    if (args.length !== 1) L.argError(1, 'expected 1 argument');
    const text = L.checkString(args, 1);
    if (text.length >= 2 && (text.charCodeAt(0) === 0 || text.charCodeAt(1) === 0))
      L.error('JSON parser does not support UTF-16 or UTF-32');
    const z = text.indexOf('\0');
    const d = new Decoder(L, cfg, z < 0 ? text : text.slice(0, z));
    d.next();
    const v = d.process();
    d.next();
    if (d.tok() !== T.End) d.fail('the end');
    return v;
  });

  const onOff = ['off', 'on'];
  set('encode_sparse_array', (L, args) => {
    argInit(L, args, 3);
    cfg.sparseConvert = enumOption(L, args, 1, cfg.sparseConvert ? 1 : 0, onOff, 1) !== 0;
    cfg.sparseRatio = intOption(L, args, 2, cfg.sparseRatio, 0, 2147483647);
    cfg.sparseSafe = intOption(L, args, 3, cfg.sparseSafe, 0, 2147483647);
    return [cfg.sparseConvert, cfg.sparseRatio, cfg.sparseSafe];
  });
  set('encode_max_depth', (L, args) => {
    argInit(L, args, 1);
    cfg.encodeMaxDepth = intOption(L, args, 1, cfg.encodeMaxDepth, 1, 2147483647);
    return cfg.encodeMaxDepth;
  });
  set('decode_max_depth', (L, args) => {
    argInit(L, args, 1);
    cfg.decodeMaxDepth = intOption(L, args, 1, cfg.decodeMaxDepth, 1, 2147483647);
    return cfg.decodeMaxDepth;
  });
  set('encode_number_precision', (L, args) => {
    argInit(L, args, 1);
    cfg.precision = intOption(L, args, 1, cfg.precision, 1, 14);
    return cfg.precision;
  });
  set('encode_keep_buffer', (L, args) => {
    argInit(L, args, 1);
    const v = enumOption(L, args, 1, cfg.keepBuffer ? 1 : 0, onOff, 1);
    cfg.keepBuffer = v !== 0;
    return enumResult(v, onOff, 1);
  });
  const invalid = ['off', 'on', 'null'];
  set('encode_invalid_numbers', (L, args) => {
    argInit(L, args, 1);
    cfg.encodeInvalidNumbers = enumOption(L, args, 1, cfg.encodeInvalidNumbers, invalid, 1);
    return enumResult(cfg.encodeInvalidNumbers, invalid, 1);
  });
  set('decode_invalid_numbers', (L, args) => {
    argInit(L, args, 1);
    const v = enumOption(L, args, 1, cfg.decodeInvalidNumbers ? 1 : 0, onOff, 1);
    cfg.decodeInvalidNumbers = v !== 0;
    return enumResult(v, onOff, 1);
  });
  set('new', () => makeCjson());
  C.setStr('null', JSON_NULL);
  C.setStr('_NAME', 'cjson');
  C.setStr('_VERSION', '2.1.0');
  return C;
}
