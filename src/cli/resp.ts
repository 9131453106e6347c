// The client side of RESP2/RESP3 for spinel-cli and spinel-benchmark: reply
// objects shaped like hiredis's (the type numbers are hiredis's, since
// redis-cli prints them in "Unknown reply type: N"), an incremental reader
// that keeps the levels of an unfinished aggregate instead of re-parsing it,
// and the request encoder. Strings are latin1 (one char per byte).

/** hiredis's REDIS_REPLY_* numbers. */
export const enum T {
  String = 1,
  Array = 2,
  Integer = 3,
  Nil = 4,
  Status = 5,
  Error = 6,
  Double = 7,
  Bool = 8,
  Map = 9,
  Set = 10,
  Attr = 11,
  Push = 12,
  Bignum = 13,
  Verb = 14,
}

export interface Reply {
  type: T;
  /** Bytes of strings, statuses, errors, verbatim text (without its "txt:"), doubles, big numbers; digits of integers; "1"/"0" for booleans. */
  str: string;
  /** Children of aggregates (a map's are key, value, key, value...); null otherwise. */
  elements: Reply[] | null;
}

export class ProtocolError extends Error {}

const NIL: Reply = { type: T.Nil, str: '', elements: null };

export function reply(type: T, str: string, elements: Reply[] | null = null): Reply {
  return { type, str, elements };
}

/** hiredis's sdscatrepr of one byte, as in "Protocol error, got "|" as reply type byte". */
function reprByte(c: number): string {
  switch (c) {
    case 92: return '"\\\\"';
    case 34: return '"\\""';
    case 10: return '"\\n"';
    case 13: return '"\\r"';
    case 9: return '"\\t"';
    case 7: return '"\\a"';
    case 8: return '"\\b"';
  }
  return c >= 32 && c < 127 ? `"${String.fromCharCode(c)}"` : `"\\x${c.toString(16).padStart(2, '0')}"`;
}

interface Level {
  r: Reply;
  left: number;
}

/** Where a bulk header said its payload ends: feed() joins chunks only once that many bytes are there. */
const INCOMPLETE = null;
const OPENED: Reply = { type: T.Nil, str: '', elements: null };

export class RespReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private readonly stack: Level[] = [];
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** Bytes buf must hold (from its start) before parsing can progress; 0 if unknown. */
  private need = 0;

  feed(data: Buffer): void {
    if (this.chunks.length === 0 && this.pos === this.buf.length) {
      this.buf = data;
      this.pos = 0;
      this.need = 0;
      return;
    }
    this.chunks.push(data);
    this.chunkBytes += data.length;
    if (this.need !== 0 && this.buf.length - this.pos + this.chunkBytes < this.need - this.pos) return;
    this.join();
  }

  private join(): void {
    const rest = this.buf.subarray(this.pos);
    this.chunks.unshift(rest);
    this.buf = Buffer.concat(this.chunks, rest.length + this.chunkBytes);
    this.chunks.length = 0;
    this.chunkBytes = 0;
    this.pos = 0;
    this.need = 0;
  }

  /** Takes back the bytes not consumed yet (a stream switching from RESP to raw bytes). */
  takeRaw(): Buffer {
    const rest = Buffer.concat([this.buf.subarray(this.pos), ...this.chunks]);
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    this.chunks.length = 0;
    this.chunkBytes = 0;
    this.need = 0;
    this.stack.length = 0;
    return rest;
  }

  /** Bytes received and not yet consumed by a complete reply. */
  get pending(): number {
    return this.buf.length - this.pos + this.chunkBytes;
  }

  /** The next complete reply, or null when more bytes are needed. Throws ProtocolError. */
  read(): Reply | null {
    if (this.chunks.length !== 0) {
      if (this.need !== 0 && this.buf.length + this.chunkBytes < this.need) return null;
      this.join();
    }
    const stack = this.stack;
    for (;;) {
      const start = this.pos;
      let item = this.item();
      if (item === INCOMPLETE) {
        this.pos = start;
        if (this.need !== 0) {
          // Keep only the unparsed tail so `need` counts from the buffer's start.
          this.need -= start;
          this.buf = this.buf.subarray(start);
          this.pos = 0;
        }
        return null;
      }
      if (item === OPENED) continue;
      for (;;) {
        if (stack.length === 0) return item;
        const top = stack[stack.length - 1];
        top.r.elements!.push(item);
        if (--top.left > 0) break;
        stack.pop();
        item = top.r;
      }
    }
  }

  /** Index of the "\r\n" ending the line at pos, or -1. */
  private lineEnd(): number {
    const i = this.buf.indexOf(13, this.pos);
    if (i < 0 || i + 1 >= this.buf.length) return -1;
    return i;
  }

  private item(): Reply | null {
    const buf = this.buf;
    if (this.pos >= buf.length) return INCOMPLETE;
    const c = buf[this.pos];
    const end = this.lineEnd();
    if (end < 0) return INCOMPLETE;
    const line = buf.latin1Slice(this.pos + 1, end);
    const next = end + 2;
    switch (c) {
      case 43: // +
        this.pos = next;
        return { type: T.Status, str: line, elements: null };
      case 45: // -
        this.pos = next;
        return { type: T.Error, str: line, elements: null };
      case 58: // :
        if (!isInteger(line)) throw new ProtocolError('Bad integer value');
        this.pos = next;
        return { type: T.Integer, str: line, elements: null };
      case 44: // ,
        if (!isDouble(line)) throw new ProtocolError('Bad double value');
        this.pos = next;
        return { type: T.Double, str: line, elements: null };
      case 95: // _
        if (line.length !== 0) throw new ProtocolError('Bad nil value');
        this.pos = next;
        return NIL;
      case 35: // #
        if (line !== 't' && line !== 'f') throw new ProtocolError('Bad bool value');
        this.pos = next;
        return { type: T.Bool, str: line === 't' ? '1' : '0', elements: null };
      case 40: // (
        if (!/^[-+]?\d+$/.test(line)) throw new ProtocolError('Bad bignum value');
        this.pos = next;
        return { type: T.Bignum, str: line, elements: null };
      case 36: // $
      case 61: // =
      case 33: {
        // !
        const len = parseLength(line, 'Bulk string length out of range');
        if (len < 0) {
          this.pos = next;
          return NIL;
        }
        if (next + len + 2 > buf.length) {
          this.need = next + len + 2;
          return INCOMPLETE;
        }
        let s = buf.latin1Slice(next, next + len);
        this.pos = next + len + 2;
        if (c === 36) return { type: T.String, str: s, elements: null };
        if (c === 33) return { type: T.Error, str: s, elements: null };
        if (len < 4 || s.charCodeAt(3) !== 58) {
          throw new ProtocolError('Verbatim string 4 bytes of content type are missing or incorrectly encoded.');
        }
        s = s.slice(4);
        return { type: T.Verb, str: s, elements: null };
      }
      case 42: // *
      case 37: // %
      case 126: // ~
      case 62: {
        // >
        const n = parseLength(line, 'Multi-bulk length out of range');
        this.pos = next;
        if (n < 0) return NIL;
        const type = c === 42 ? T.Array : c === 37 ? T.Map : c === 126 ? T.Set : T.Push;
        const r: Reply = { type, str: '', elements: [] };
        if (n === 0) return r;
        this.stack.push({ r, left: type === T.Map ? n * 2 : n });
        return OPENED;
      }
      default:
        throw new ProtocolError(`Protocol error, got ${reprByte(c)} as reply type byte`);
    }
  }
}

function isInteger(s: string): boolean {
  if (!/^-?\d{1,19}$/.test(s)) return false;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n;
}

function isDouble(s: string): boolean {
  if (s === 'inf' || s === '-inf' || s === 'nan' || s === '-nan') return true;
  return s.length > 0 && s.length < 326 && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s);
}

function parseLength(line: string, err: string): number {
  if (!/^-?\d{1,19}$/.test(line)) throw new ProtocolError(err);
  const n = Number(line);
  if (n < -1 || n > 2 ** 53) throw new ProtocolError(err);
  return n;
}

/** A request as a RESP multibulk (arguments are latin1 strings). */
export function encodeCommand(argv: readonly string[]): Buffer {
  let size = 16;
  for (const a of argv) size += a.length + 16;
  const out = Buffer.allocUnsafe(size);
  let p = out.latin1Write(`*${argv.length}\r\n`, 0);
  for (const a of argv) {
    p += out.latin1Write(`$${a.length}\r\n`, p);
    p += out.latin1Write(a, p);
    out[p++] = 13;
    out[p++] = 10;
  }
  return out.subarray(0, p);
}
