// Incremental RESP (multibulk) and inline request parser.
//
// Arguments come out as latin1 ("binary") JavaScript strings: one char per
// byte, so they are binary-safe Map keys. The parser reads straight from the
// received chunk, which is usually the server's shared read buffer: nothing
// may point into it after the read is processed (detach() copies the
// unfinished tail into a buffer of the parser's own). Bytes of a request
// that arrives in many reads are appended to that own buffer, which grows by
// doubling, so a request dribbled in one byte at a time costs O(its length),
// and line terminators are searched for only in bytes not searched before.
// A huge declared bulk length never allocates up front: a big bulk is
// gathered into one buffer of the parser's own as its reads arrive (taken
// from a small pool of such buffers, and given back once the argument is
// made: fresh memory costs page faults, and freeing it munmap calls).

import { shortString, SHORT_STRING_MAX } from './short-string.generated.js';

const CR = 13;
const LF = 10;
const EMPTY = Buffer.alloc(0);

/** Longest inline request / header line Redis accepts before `\r\n` (PROTO_INLINE_MAX_SIZE). */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Bulks at least this big are gathered chunk by chunk (PROTO_MBULK_BIG_ARG). */
const BIG_ARG = 32 * 1024;

declare module 'node:buffer' {
  interface Buffer {
    // Node's fast latin1 accessors (present on every Buffer since Node 0.x).
    latin1Slice(start: number, end: number): string;
    latin1Write(s: string, offset: number, length?: number): number;
  }
}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** false until the client authenticated when a password is required: Redis caps sizes then */
  authenticated: boolean;
}

export class RespParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** End of the valid bytes in buf (buf may be a larger shared read buffer). */
  private end = 0;
  /** buf is the parser's own (else a caller's chunk, valid only during this read). */
  private owned = false;
  /** Where the current read's unconsumed bytes began (CLIENT LIST qbuf counts from there). */
  private batchStart = 0;
  /**
   * Bytes from `pos` known to hold no line terminator (so a long header or
   * inline line arriving in pieces is searched once); -1 once a NUL byte was
   * found there: like Redis's strchr, the line then never ends.
   */
  private scanned = 0;
  /** Remaining arguments of the multibulk being read; 0 when between commands. */
  private remaining = 0;
  private args: string[] = [];
  /** Declared length of the bulk being read; -1 when reading a header. */
  private bulkLen = -1;
  /**
   * A big bulk being gathered: a buffer of the parser's own that the reads
   * are copied into (bigHave bytes so far). It is sized for the whole bulk
   * (plus CRLF and a little more) up to BIG_FIRST_ALLOC, and grows by
   * doubling beyond, so a declared length alone never allocates much.
   */
  private big: Buffer | null = null;
  private bigHave = 0;
  /** Set when the request stream is invalid; the client must reply and close. */
  error: string | null = null;
  /** true when the last command came in inline form. */
  inline = false;

  constructor(public limits: ParserLimits) {}

  /** Bytes buffered but not yet consumed (for client-query-buffer-limit). */
  get pending(): number {
    return this.end - this.pos + this.bigHave;
  }

  /**
   * What Redis's query buffer would hold (CLIENT LIST qbuf): while the
   * commands of a read run, that read's bytes including the commands already
   * run (Redis trims them after the batch), else the unconsumed tail.
   */
  get queryLength(): number {
    return this.end - this.batchStart + this.bigHave;
  }

  /** Bytes still missing from a big argument being gathered (0 when none is). */
  get bigRemaining(): number {
    return this.big !== null ? this.bulkLen + 2 - this.bigHave : 0;
  }

  /** Declared length of the bulk being read, -1 between bulks (Redis's c->bulklen). */
  get pendingBulk(): number {
    return this.bulkLen;
  }

  /** Big arguments completed so far, and the length of the last one (for the query buffer model). */
  bigTaken = 0;
  lastBigLen = 0;

  /**
   * Adds received bytes. `chunk` may be a view of a shared read buffer that
   * is reused after this call's processing: call detach() before returning
   * to the event loop so nothing keeps pointing into it.
   */
  feed(chunk: Buffer, length = chunk.length): void {
    if (this.big !== null) {
      this.bigAppend(chunk, 0, length);
      return;
    }
    if (this.pos >= this.end) {
      // Nothing pending: parse straight from the chunk.
      this.buf = chunk;
      this.owned = false;
      this.pos = 0;
      this.end = length;
      this.batchStart = 0;
      this.scanned = 0;
      return;
    }
    this.batchStart = this.pos;
    this.makeRoom(length);
    chunk.copy(this.buf, this.end, 0, length);
    this.end += length;
  }

  /**
   * Makes the parser's own buffer able to take `n` more bytes after the
   * pending ones: compacts when that leaves at least half of it free, else
   * grows to twice what is needed (either way O(1) amortized per byte).
   */
  private makeRoom(n: number): void {
    const tail = this.end - this.pos;
    if (this.owned && this.end + n <= this.buf.length) return;
    if (this.owned && (tail + n) * 2 <= this.buf.length) {
      this.buf.copyWithin(0, this.pos, this.end);
    } else {
      const nb = Buffer.allocUnsafe(Math.max(MIN_OWN, (tail + n) * 2));
      this.buf.copy(nb, 0, this.pos, this.end);
      this.buf = nb;
      this.owned = true;
    }
    this.batchStart -= this.pos;
    this.pos = 0;
    this.end = tail;
  }

  /** Ends a read: copies the unconsumed tail out of a shared read buffer (see feed). */
  detach(): void {
    if (this.pos >= this.end) {
      if (this.end !== 0) {
        this.buf = EMPTY;
        this.owned = false;
        this.pos = 0;
        this.end = 0;
        this.scanned = 0;
      }
      this.batchStart = 0;
      return;
    }
    if (!this.owned) this.makeRoom(0);
    this.batchStart = this.pos;
  }

  /** Returns the next complete command, or null when more bytes are needed or on error. */
  next(): string[] | null {
    if (this.error !== null) return null;
    if (this.big !== null) {
      if (!this.finishBig()) return null;
      if (this.remaining === 0) return this.take();
    }
    for (;;) {
      const buf = this.buf;
      const end = this.end;
      if (this.remaining === 0) {
        if (this.pos >= end) return null;
        if (buf[this.pos] !== 42 /* '*' */) {
          const argv = this.parseInline();
          if (argv === EMPTY_LINE) continue;
          return argv;
        }
        if (this.scanned === 0) {
          const fast = this.parseComplete();
          if (fast !== null) return fast;
        }
        const nl = this.findLineEnd(CR);
        if (nl < 0 || nl + 1 >= end) {
          if (end - this.pos > PROTO_INLINE_MAX_SIZE) this.error = 'Protocol error: too big mbulk count string';
          return null;
        }
        if (buf[nl + 1] !== LF) {
          this.error = 'Protocol error: invalid multibulk length';
          return null;
        }
        const n = parseLen(buf, this.pos + 1, nl);
        if (n === BAD_LEN || n > 2147483647) {
          this.error = 'Protocol error: invalid multibulk length';
          return null;
        }
        // Before AUTH (when the default user needs a password) requests stay small (Redis 7.2.6).
        if (n > 10 && !this.limits.authenticated) {
          this.error = 'Protocol error: unauthenticated multibulk length';
          return null;
        }
        this.advance(nl + 2);
        this.inline = false;
        if (n <= 0) continue; // empty multibulk: ignored like Redis
        this.remaining = n;
        this.args = [];
      }
      // Reading arguments of a multibulk.
      while (this.remaining > 0) {
        if (this.bulkLen < 0) {
          if (this.pos >= end) return null;
          const nl = this.findLineEnd(CR);
          if (nl < 0 || nl + 1 >= end) {
            if (end - this.pos > PROTO_INLINE_MAX_SIZE) this.error = 'Protocol error: too big bulk count string';
            return null;
          }
          if (buf[this.pos] !== 36 /* '$' */) {
            this.error = `Protocol error: expected '$', got '${String.fromCharCode(buf[this.pos])}'`;
            return null;
          }
          const len = parseLen(buf, this.pos + 1, nl);
          if (len === BAD_LEN || buf[nl + 1] !== LF || len < 0 || len > this.limits.maxBulkLen) {
            this.error = 'Protocol error: invalid bulk length';
            return null;
          }
          if (len > 16384 && !this.limits.authenticated) {
            this.error = 'Protocol error: unauthenticated bulk length';
            return null;
          }
          this.advance(nl + 2);
          this.bulkLen = len;
          if (len >= BIG_ARG && end - this.pos < len + 2) {
            // Gather a big argument chunk by chunk: copy only this read's
            // bytes (buf may be the shared read buffer, whose bytes past
            // `end` belong to earlier reads), then wait for the rest.
            const need = len + 2;
            const first = Math.min(need, Math.max(BIG_FIRST_ALLOC, 2 * (end - this.pos)));
            // Room for the external-string copy of bigArgString when it applies.
            this.big = bigPool.take(len >= EXTERNAL_MIN && len < EXTERN_APEX ? Math.max(first, EXTERN_APEX) : first);
            this.bigHave = 0;
            this.bigAppend(buf, this.pos, end);
            this.buf = EMPTY;
            this.owned = false;
            this.pos = 0;
            this.end = 0;
            this.batchStart = 0;
            return null;
          }
        }
        const argEnd = this.pos + this.bulkLen;
        if (argEnd + 2 > end) return null;
        this.args.push(this.bulkLen <= SHORT_STRING_MAX ? shortString(buf, this.pos, this.bulkLen) : buf.latin1Slice(this.pos, argEnd));
        this.advance(argEnd + 2);
        this.bulkLen = -1;
        this.remaining--;
      }
      return this.take();
    }
  }

  /**
   * Fast path: a whole, well-formed, modest multibulk already in the buffer,
   * parsed with locals only. Returns null to leave anything else (partial
   * frames, big or odd lengths, errors) to the incremental path, which
   * starts again from the same position.
   */
  private parseComplete(): string[] | null {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos + 1;
    let n = 0;
    let ch = 0;
    while (p < end && (ch = buf[p]) >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      p++;
    }
    if (n === 0 || n > 1024 || (n > 10 && !this.limits.authenticated) || p + 1 >= end || buf[p] !== CR || buf[p + 1] !== LF || p === this.pos + 1) return null;
    p += 2;
    const lenLimit = this.limits.authenticated ? BIG_ARG : 16384;
    const args: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      if (p >= end || buf[p] !== 36 /* $ */) return null;
      const start = ++p;
      let len = 0;
      while (p < end && (ch = buf[p]) >= 48 && ch <= 57) {
        len = len * 10 + (ch - 48);
        p++;
      }
      if (p === start || len >= lenLimit || p + 1 >= end || buf[p] !== CR || buf[p + 1] !== LF) return null;
      p += 2;
      if (p + len + 2 > end) return null;
      args[i] = i === 0 && len <= SHORT_STRING_MAX ? internName(buf, p, len) : len <= SHORT_STRING_MAX ? shortString(buf, p, len) : buf.latin1Slice(p, p + len);
      p += len + 2;
    }
    this.pos = p;
    this.inline = false;
    return args;
  }

  private take(): string[] {
    const a = this.args;
    this.args = [];
    return a;
  }

  /** Copies src[from, to) after the gathered bytes of the big bulk, growing its buffer by doubling. */
  private bigAppend(src: Buffer, from: number, to: number): void {
    const n = to - from;
    let big = this.big!;
    if (this.bigHave + n > big.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * big.length, this.bigHave + n));
      big.copy(grown, 0, 0, this.bigHave);
      this.big = big = grown;
    }
    src.copy(big, this.bigHave, from, to);
    this.bigHave += n;
  }

  /** Completes a gathered big bulk if all its bytes (plus CRLF) arrived. */
  private finishBig(): boolean {
    const need = this.bulkLen + 2;
    if (this.bigHave < need) return false;
    // The gathered bytes are a private copy of exactly what was received for
    // this bulk and after it. The two bytes after the bulk are skipped
    // unchecked, as Redis does.
    const big = this.big!;
    this.args.push(bigArgString(big, this.bulkLen));
    this.bigTaken++;
    this.lastBigLen = this.bulkLen;
    // What follows the bulk (usually the start of the next request, at most
    // one read's worth) is copied out so the big buffer can be reused.
    const tail = this.bigHave > need ? Buffer.from(big.subarray(need, this.bigHave)) : EMPTY;
    this.big = null;
    this.bigHave = 0;
    bigPool.give(big);
    this.buf = tail;
    this.owned = true;
    this.pos = 0;
    this.end = this.buf.length;
    this.batchStart = 0;
    this.scanned = 0;
    this.bulkLen = -1;
    this.remaining--;
    return true;
  }

  /** Moves past consumed bytes; the next line's terminator search starts afresh. */
  private advance(to: number): void {
    this.pos = to;
    this.scanned = 0;
  }

  /**
   * Index of the first `term` byte at or after pos, or -1. Bytes searched by
   * an earlier call for the same line are skipped. A NUL byte ends the search
   * for good, as Redis's strchr does: that line can never be complete.
   */
  private findLineEnd(term: number): number {
    if (this.scanned < 0) return -1;
    const buf = this.buf;
    const end = this.end;
    for (let i = this.pos + this.scanned; i < end; i++) {
      const ch = buf[i];
      if (ch === term) return i;
      if (ch === 0) {
        this.scanned = -1;
        return -1;
      }
    }
    this.scanned = end - this.pos;
    return -1;
  }

  private parseInline(): string[] | null | typeof EMPTY_LINE {
    const buf = this.buf;
    const nl = this.findLineEnd(LF);
    if (nl < 0) {
      if (this.end - this.pos > PROTO_INLINE_MAX_SIZE) this.error = 'Protocol error: too big inline request';
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const line = buf.latin1Slice(this.pos, end);
    this.advance(nl + 1);
    const argv = splitArgs(line);
    if (argv === null) {
      this.error = 'Protocol error: unbalanced quotes in request';
      return null;
    }
    this.inline = true;
    return argv.length === 0 ? EMPTY_LINE : argv;
  }
}

const BAD_LEN = -0x7fffffff;
/** parseInline's answer for a blank line: skipped, like Redis. */
const EMPTY_LINE: string[] = [];
/** A big bulk's first buffer holds at most this much; it doubles from there as bytes arrive. */
const BIG_FIRST_ALLOC = 4 * 1024 * 1024;

/**
 * Node makes a latin1 string of at least this many bytes an external
 * string (its bytes malloc'd outside V8's heap: node's EXTERN_APEX); a
 * shorter one is copied into V8's heap, where anything over 128 KB is a
 * large object with pages of its own, mapped when made and unmapped when
 * collected: several milliseconds per megabyte on a VM, against 0.1 ms for
 * the copy itself.
 */
const EXTERN_APEX = 0xfbee9;
/** Big arguments from this size up to EXTERN_APEX are made external too (see bigArgString). */
const EXTERNAL_MIN = 512 * 1024;

/**
 * The string of buf[0, len). From EXTERNAL_MIN bytes up it is a slice of an
 * external string of EXTERN_APEX bytes (buf must hold that many): the value
 * then lives in malloc'd memory, which is reused, at the price of up to
 * twice its size while stored.
 */
function bigArgString(buf: Buffer, len: number): string {
  if (len >= EXTERNAL_MIN && len < EXTERN_APEX) return buf.latin1Slice(0, EXTERN_APEX).substring(0, len);
  return buf.latin1Slice(0, len);
}

/**
 * Spare big-bulk buffers. Gathering runs for many clients at once, but a
 * buffer is free again as soon as its argument is made, so a few spares
 * serve a stream of big requests without new memory each time.
 */
const bigPool = {
  spares: [] as Buffer[],
  bytes: 0,
  MAX_SPARES: 8,
  MAX_BYTES: 64 * 1024 * 1024,
  /** A buffer of at least `size` bytes: the smallest spare that fits (not over 4x), else a new one. */
  take(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.spares.length; i++) {
      const b = this.spares[i];
      if (b.length >= size && b.length <= 4 * size && (best < 0 || b.length < this.spares[best].length)) best = i;
    }
    if (best < 0) return Buffer.allocUnsafeSlow(size);
    const b = this.spares[best];
    this.spares[best] = this.spares[this.spares.length - 1];
    this.spares.pop();
    this.bytes -= b.length;
    return b;
  },
  give(b: Buffer): void {
    if (this.spares.length >= this.MAX_SPARES || this.bytes + b.length > this.MAX_BYTES) return;
    this.spares.push(b);
    this.bytes += b.length;
  },
};
/** Smallest own buffer (Redis reads 16 KB at a time). */
const MIN_OWN = 16 * 1024;

/**
 * Command names repeat on every request: a small direct-mapped cache returns
 * the same string object for the same bytes, which saves building the string
 * and lets the command table's Map reuse the hash V8 keeps in it. The cached
 * names' bytes are kept in a typed array: comparing bytes with bytes costs
 * less than charCodeAt on the cached string. (Keys are not cached this way:
 * with varied keys the misses cost more than the hits save.)
 */
const NAME_SLOTS = 256;
const nameStrings: string[] = new Array<string>(NAME_SLOTS).fill('');
const nameLens = new Int32Array(NAME_SLOTS).fill(-1);
const nameBytes = new Uint8Array(NAME_SLOTS * SHORT_STRING_MAX);

/** The latin1 string of buf[p .. p+len) for len <= SHORT_STRING_MAX, through the cache. */
export function internName(buf: Buffer, p: number, len: number): string {
  if (len === 0) return '';
  const slot = (len * 29 + buf[p] * 7 + buf[p + len - 1]) & (NAME_SLOTS - 1);
  const base = slot * SHORT_STRING_MAX;
  if (nameLens[slot] === len) {
    let i = 0;
    while (i < len && nameBytes[base + i] === buf[p + i]) i++;
    if (i === len) return nameStrings[slot];
  }
  const s = shortString(buf, p, len);
  nameStrings[slot] = s;
  nameLens[slot] = len;
  for (let i = 0; i < len; i++) nameBytes[base + i] = buf[p + i];
  return s;
}



/** Parses a signed decimal length between start and end; BAD_LEN if malformed. */
function parseLen(buf: Buffer, start: number, end: number): number {
  if (start >= end || end - start > 20) return BAD_LEN;
  let i = start;
  let neg = false;
  if (buf[i] === 45 /* - */) {
    neg = true;
    i++;
    if (i === end) return BAD_LEN;
  }
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return BAD_LEN;
    n = n * 10 + d;
  }
  if (n > Number.MAX_SAFE_INTEGER) return BAD_LEN;
  return neg ? -n : n;
}

function isHex(c: string): boolean {
  return /[0-9a-fA-F]/.test(c);
}

/**
 * Splits an inline request line into arguments with Redis's sdssplitargs rules:
 * whitespace separates, "double quotes" support \n \r \t \b \a \\ \" \xHH escapes,
 * 'single quotes' support \' only, and a closing quote must be followed by a space.
 * Returns null on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  // Redis splits a C string: a raw NUL byte ends the line.
  const nul = line.indexOf('\0');
  if (nul >= 0) line = line.slice(0, nul);
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let inq = false; // double quotes
    let insq = false; // single quotes
    let done = false;
    let cur = '';
    while (!done) {
      if (inq) {
        if (i >= n) return null;
        const ch = line[i];
        if (ch === '\\' && line[i + 1] === 'x' && i + 3 < n && isHex(line[i + 2]) && isHex(line[i + 3])) {
          cur += String.fromCharCode(parseInt(line.substr(i + 2, 2), 16));
          i += 3;
        } else if (ch === '\\' && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (ch === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += ch;
        }
      } else if (insq) {
        if (i >= n) return null;
        const ch = line[i];
        if (ch === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (ch === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += ch;
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const ch = line[i];
        const code = line.charCodeAt(i);
        if (code === 32 || code === 10 || code === 13 || code === 9 || code === 0) {
          done = true;
        } else if (ch === '"') {
          inq = true;
        } else if (ch === "'") {
          insq = true;
        } else {
          cur += ch;
        }
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}
