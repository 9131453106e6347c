// redis-cli's reply formats: the TTY form (`(integer) 1`, `1) "a"` with
// nested indentation), raw, CSV and JSON. Strings are latin1; the output is
// the bytes redis-cli writes.

import { T, type Reply } from './resp.js';
import { repr } from '../util/repr.js';

export const enum Output {
  Standard = 0,
  Raw = 1,
  Csv = 2,
  Json = 3,
  QuotedJson = 4,
}

/** A reply type redis-cli cannot print: it says so and exits 1. */
export class UnknownReplyType extends Error {
  constructor(readonly replyType: number) {
    super(`Unknown reply type: ${replyType}`);
  }
}

/** C's "%s": the text up to its first NUL byte. */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** "%lld" of an integer reply's digits. */
function lld(s: string): string {
  return /^(0|-?[1-9]\d*)$/.test(s) ? s : BigInt(s).toString();
}

/** True when formatTTY spreads the reply over several lines. */
function isMultilineTTY(r: Reply): boolean {
  switch (r.type) {
    case T.Array:
    case T.Set:
    case T.Push:
      if (r.elements!.length === 0) return false;
      if (r.elements!.length > 1) return true;
      return isMultilineTTY(r.elements![0]);
    case T.Map:
      if (r.elements!.length === 0) return false;
      if (r.elements!.length > 2) return true;
      return isMultilineTTY(r.elements![1]);
    default:
      return false;
  }
}

export function formatTTY(r: Reply, prefix: string): string {
  switch (r.type) {
    case T.Error:
      return `(error) ${cstr(r.str)}\n`;
    case T.Status:
      return cstr(r.str) + '\n';
    case T.Integer:
      return `(integer) ${lld(r.str)}\n`;
    case T.Double:
      return `(double) ${cstr(r.str)}\n`;
    case T.String:
      return repr(r.str) + '\n';
    case T.Verb:
      return r.str + '\n';
    case T.Nil:
      return '(nil)\n';
    case T.Bool:
      return r.str === '1' ? '(true)\n' : '(false)\n';
    case T.Array:
    case T.Map:
    case T.Set:
    case T.Push: {
      const els = r.elements!;
      if (els.length === 0) {
        if (r.type === T.Array) return '(empty array)\n';
        if (r.type === T.Map) return '(empty hash)\n';
        if (r.type === T.Set) return '(empty set)\n';
        return '(empty push)\n';
      }
      const count = r.type === T.Map ? els.length >>> 1 : els.length;
      const idxlen = String(count).length;
      const childPrefix = prefix + ' '.repeat(idxlen + 2);
      const sep = r.type === T.Set ? '~' : r.type === T.Map ? '#' : ')';
      let out = '';
      for (let i = 0; i < els.length; i++) {
        const human = (r.type === T.Map ? i >>> 1 : i) + 1;
        out += (i === 0 ? '' : prefix) + String(human).padStart(idxlen) + sep + ' ';
        out += formatTTY(els[i], childPrefix);
        if (r.type === T.Map) {
          i++;
          out = out.slice(0, -1) + ' => ';
          if (isMultilineTTY(els[i])) out += '\n' + childPrefix;
          out += formatTTY(els[i], childPrefix);
        }
      }
      return out;
    }
    default:
      throw new UnknownReplyType(r.type);
  }
}

export function formatRaw(r: Reply, mbDelim: string): string {
  switch (r.type) {
    case T.Nil:
      return '';
    case T.Error:
      return r.str + '\n';
    case T.Status:
    case T.String:
    case T.Verb:
      return r.str;
    case T.Bool:
      return r.str === '1' ? '(true)' : '(false)';
    case T.Integer:
      return lld(r.str);
    case T.Double:
      return cstr(r.str);
    case T.Set:
    case T.Array:
    case T.Push: {
      const els = r.elements!;
      let out = '';
      for (let i = 0; i < els.length; i++) {
        if (i > 0) out += mbDelim;
        out += formatRaw(els[i], mbDelim);
      }
      return out;
    }
    case T.Map: {
      const els = r.elements!;
      let out = '';
      for (let i = 0; i < els.length; i += 2) {
        if (i > 0) out += mbDelim;
        out += formatRaw(els[i], mbDelim) + ' ' + formatRaw(els[i + 1], mbDelim);
      }
      return out;
    }
    default:
      throw new UnknownReplyType(r.type);
  }
}

export function formatCSV(r: Reply): string {
  switch (r.type) {
    case T.Error:
      return 'ERROR,' + repr(cstr(r.str));
    case T.Status:
    case T.String:
    case T.Verb:
      return repr(r.str);
    case T.Integer:
      return lld(r.str);
    case T.Double:
      return cstr(r.str);
    case T.Nil:
      return 'NULL';
    case T.Bool:
      return r.str === '1' ? 'true' : 'false';
    case T.Array:
    case T.Set:
    case T.Push:
    case T.Map: {
      let out = '';
      const els = r.elements!;
      for (let i = 0; i < els.length; i++) {
        out += formatCSV(els[i]);
        if (i !== els.length - 1) out += ',';
      }
      return out;
    }
    default:
      throw new UnknownReplyType(r.type);
  }
}

/** JSON string escaping as redis-cli's: control bytes as \u00XX, other bytes as they are. */
export function escapeJson(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 92: out += '\\\\'; break;
      case 34: out += '\\"'; break;
      case 10: out += '\\n'; break;
      case 12: out += '\\f'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      case 8: out += '\\b'; break;
      default:
        out += c <= 0x1f ? '\\u' + c.toString(16).padStart(4, '0') : s[i];
    }
  }
  return out + '"';
}

function jsonString(s: string, mode: Output): string {
  if (mode === Output.Json) return escapeJson(s);
  // Quoted JSON: the sdscatrepr form with its backslashes doubled.
  return repr(s).replaceAll('\\', '\\\\');
}

export function formatJson(r: Reply, mode: Output): string {
  switch (r.type) {
    case T.Error:
      return 'error:' + jsonString(cstr(r.str), mode);
    case T.Status:
    case T.String:
    case T.Verb:
      return jsonString(r.str, mode);
    case T.Integer:
      return lld(r.str);
    case T.Double:
      return cstr(r.str);
    case T.Nil:
      return 'null';
    case T.Bool:
      return r.str === '1' ? 'true' : 'false';
    case T.Array:
    case T.Set:
    case T.Push: {
      const els = r.elements!;
      let out = '[';
      for (let i = 0; i < els.length; i++) {
        out += formatJson(els[i], mode);
        if (i !== els.length - 1) out += ',';
      }
      return out + ']';
    }
    case T.Map: {
      const els = r.elements!;
      let out = '{';
      for (let i = 0; i < els.length; i += 2) {
        const key = els[i];
        if (key.type === T.Error || key.type === T.Status || key.type === T.String || key.type === T.Verb) {
          out += formatJson(key, mode);
        } else {
          // JSON keys are strings: a number or other key is formatted, then quoted.
          const k = formatJson(key, mode);
          out += k.startsWith('"') ? k : escapeJson(k);
        }
        out += ':' + formatJson(els[i + 1], mode);
        if (i !== els.length - 2) out += ',';
      }
      return out + '}';
    }
    default:
      throw new UnknownReplyType(r.type);
  }
}

/**
 * redis-cli's cliFormatReply: `verbatim` (INFO, CLIENT LIST and the like)
 * prints the raw form in every mode; the raw form ends with the -D
 * delimiter, CSV and JSON with a newline.
 */
export function formatReply(r: Reply, mode: Output, verbatim: boolean, mbDelim: string, cmdDelim: string): string {
  if (verbatim) return formatRaw(r, mbDelim);
  switch (mode) {
    case Output.Standard:
      return formatTTY(r, '');
    case Output.Raw:
      return formatRaw(r, mbDelim) + cmdDelim;
    case Output.Csv:
      return formatCSV(r) + '\n';
    default:
      return formatJson(r, mode) + '\n';
  }
}

/** redis-cli's TTY line for a RESP3 invalidation push: `-> invalidate: 'k1', 'k2'`. */
export function isInvalidate(r: Reply): boolean {
  return (
    r.type === T.Push &&
    r.elements!.length === 2 &&
    r.elements![0].type === T.String &&
    r.elements![0].str.startsWith('invalidate') &&
    r.elements![1].type === T.Array
  );
}

export function formatInvalidateTTY(r: Reply): string {
  const keys = r.elements![1].elements!;
  return '-> invalidate: ' + keys.map((k) => `'${cstr(k.str)}'`).join(', ') + '\n';
}
