// RESP2/RESP3 reply encoder into a per-client output buffer.
//
// Handlers append replies here; the client writes the buffer to its socket
// once per event-loop turn. Strings are latin1 (one char per byte), so they are
// written back byte for byte. Small replies go into one growing buffer; big
// payloads are queued as their own chunks so nothing large is copied twice.

import { formatDouble } from './format.js';

const INITIAL = 16 * 1024;
/** Strings shorter than this are copied byte by byte rather than through a native call. */
const SHORT = 64;
const BIG = 64 * 1024;

const CRLF = '\r\n';

/** Receives error replies: the server counts them for errorstats. */
export type ErrorSink = (message: string) => void;
const noSink: ErrorSink = () => {};

export class Reply {
  buf: Buffer = Buffer.allocUnsafe(INITIAL);
  len = 0;
  /** Full chunks waiting to be written ahead of buf[0..len). */
  chunks: Buffer[] = [];
  chunksBytes = 0;
  /** Protocol version of this client: 2 or 3. */
  resp: 2 | 3 = 2;
  /** Number of error replies written so far (dispatch compares before/after a command). */
  errors = 0;
  /** When false, nothing is recorded (CLIENT REPLY OFF/SKIP). */
  enabled = true;
  /** Told of every error reply (set once per client by the server). */
  onError: ErrorSink = noSink;
  /**
   * Called each time a full chunk is queued (every 64 KB or so of pending
   * output): the client checks its output buffer limit there, so a huge
   * reply is cut off while it is being built (src/server/obuf.ts).
   */
  onChunk: (() => void) | null = null;

  /** Bytes not yet handed to the socket. */
  get size(): number {
    return this.chunksBytes + this.len;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    if (this.len > 0 && (n > BIG || this.len >= BIG)) {
      this.pushChunk();
      if (n <= this.buf.length) return;
    }
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  private pushChunk(): void {
    this.chunks.push(this.buf.subarray(0, this.len));
    this.chunksBytes += this.len;
    this.buf = Buffer.allocUnsafe(INITIAL);
    this.len = 0;
    if (this.onChunk !== null) this.onChunk();
  }

  /** Takes everything pending as a list of buffers and resets. */
  drain(): Buffer[] {
    let out: Buffer[];
    if (this.chunks.length === 0) {
      out = [this.buf.subarray(0, this.len)];
    } else {
      out = this.chunks;
      if (this.len > 0) out.push(this.buf.subarray(0, this.len));
      this.chunks = [];
      this.chunksBytes = 0;
    }
    this.buf = Buffer.allocUnsafe(INITIAL);
    this.len = 0;
    return out;
  }

  /**
   * buf[0..len) as a Buffer view. Request/response traffic repeats the same
   * reply size (+OK, :1, a fixed-size bulk), so the last view is kept and
   * handed out again instead of allocating one per write.
   */
  view(): Buffer {
    let v = this.lastView;
    if (v === null || this.lastViewOf !== this.buf || v.length !== this.len) {
      v = this.buf.subarray(0, this.len);
      this.lastView = v;
      this.lastViewOf = this.buf;
    }
    return v;
  }
  private lastView: Buffer | null = null;
  private lastViewOf: Buffer | null = null;

  /**
   * Drops whatever was appended since the pending size was `size` (a handler
   * that threw half-way through its reply): the stream stays well formed.
   */
  truncate(size: number): void {
    if (this.size <= size) return;
    while (this.chunksBytes > size) {
      const last = this.chunks.pop()!;
      this.chunksBytes -= last.length;
      if (this.chunksBytes < size) {
        const keep = size - this.chunksBytes;
        const nb = Buffer.allocUnsafe(Math.max(INITIAL, keep));
        last.copy(nb, 0, 0, keep);
        this.buf = nb;
        this.len = keep;
        return;
      }
    }
    this.len = size - this.chunksBytes;
  }

  /** Resets after the bytes in buf were fully written synchronously; keeps the buffer. */
  reuse(): void {
    this.len = 0;
  }

  /** Appends raw latin1 protocol text. */
  raw(s: string): void {
    if (!this.enabled) return;
    const n = s.length;
    this.ensure(n);
    if (n < SHORT) {
      // A JS loop beats the native call for short strings.
      const b = this.buf;
      const p = this.len;
      for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
    } else {
      this.buf.latin1Write(s, this.len, n);
    }
    this.len += n;
  }

  /** Appends raw bytes. */
  rawBuffer(b: Buffer): void {
    if (!this.enabled) return;
    if (b.length > BIG) {
      if (this.len > 0) this.pushChunk();
      this.chunks.push(b);
      this.chunksBytes += b.length;
      if (this.onChunk !== null) this.onChunk();
      return;
    }
    const n = b.length;
    this.ensure(n);
    if (n < SHORT) {
      // A byte loop beats Buffer#copy's argument checks for small messages (Pub/Sub fan-out).
      const d = this.buf;
      const p = this.len;
      for (let i = 0; i < n; i++) d[p + i] = b[i];
    } else {
      b.copy(this.buf, this.len);
    }
    this.len += n;
  }

  /**
   * Appends an encoded push message (a pub/sub message, an invalidation).
   * Pushes reach the client even under CLIENT REPLY OFF/SKIP, as in Redis
   * (CLIENT_PUSHING). The buffer is never modified afterwards (a big one is
   * queued by reference, shared by every subscriber).
   */
  pushBuffer(b: Buffer): void {
    const en = this.enabled;
    this.enabled = true;
    this.rawBuffer(b);
    this.enabled = en;
  }

  ok(): void {
    this.raw('+OK\r\n');
  }

  simple(s: string): void {
    this.raw('+' + s + CRLF);
  }

  /** Error reply; `msg` must carry its code (e.g. "ERR ...", "WRONGTYPE ..."). */
  error(msg: string): void {
    this.errors++;
    this.onError(msg);
    if (!this.enabled) return;
    // Like Redis, newlines inside an error would break the protocol.
    this.raw('-' + msg.replace(/[\r\n]/g, ' ') + CRLF);
  }

  int(n: number | bigint): void {
    if (!this.enabled) return;
    if (typeof n === 'number') {
      if (n >= 0 && n < SHARED_INTS) {
        this.raw(sharedInts[n]);
        return;
      }
      if (n > 0 && n <= 0x7fffffff) {
        this.header(58 /* : */, n);
        return;
      }
    }
    this.raw(':' + n + CRLF);
  }

  /** Bulk string reply; null means the null reply. */
  bulk(s: string | null): void {
    if (!this.enabled) return;
    if (s === null) {
      this.null();
      return;
    }
    const n = s.length;
    if (n > BIG) {
      this.raw('$' + n + CRLF);
      this.rawBuffer(Buffer.from(s, 'latin1'));
      this.raw(CRLF);
      return;
    }
    this.ensure(n + 10);
    const b = this.buf;
    let p = this.len;
    b[p++] = 36; // $
    if (n < 10) {
      b[p++] = 48 + n;
    } else {
      p = writeDigits(b, p, n);
    }
    b[p++] = 13;
    b[p++] = 10;
    if (n < SHORT) {
      for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
      p += n;
    } else {
      p += b.latin1Write(s, p, n);
    }
    b[p++] = 13;
    b[p++] = 10;
    this.len = p;
  }

  /**
   * Bulk reply of the bytes [start, end) of a buffer that may change after
   * this call (a ByteString value, a stream node): always copied, never
   * queued by reference.
   */
  bulkBytes(b: Buffer, start: number, end: number): void {
    if (!this.enabled) return;
    const n = end - start;
    if (n > BIG) {
      this.raw('$' + n + CRLF);
      const copy = Buffer.allocUnsafeSlow(n);
      b.copy(copy, 0, start, end);
      this.rawBuffer(copy);
      this.raw(CRLF);
      return;
    }
    this.ensure(n + 16);
    const buf = this.buf;
    let p = this.len;
    buf[p++] = 36; // $
    if (n < 10) {
      buf[p++] = 48 + n;
    } else {
      p = writeDigits(buf, p, n);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    if (n < SHORT) {
      for (let i = 0; i < n; i++) buf[p + i] = b[start + i];
    } else {
      b.copy(buf, p, start, end);
    }
    p += n;
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  /** Bulk reply of a number (integer values stored as numbers, e.g. int-encoded strings). */
  bulkNumber(n: number | bigint): void {
    this.bulk(String(n));
  }

  bulkBuffer(b: Buffer): void {
    if (!this.enabled) return;
    this.raw('$' + b.length + CRLF);
    this.rawBuffer(b);
    this.raw(CRLF);
  }

  /**
   * Bulk string "<a>-<b>" of two non-negative integers (a stream ID), the
   * digits written straight into the buffer when both are numbers.
   */
  bulkIdPair(a: number | bigint, b: number | bigint): void {
    if (!this.enabled) return;
    if (typeof a !== 'number' || typeof b !== 'number') {
      this.bulk(a + '-' + b);
      return;
    }
    const na = digitCount53(a);
    const n = na + 1 + digitCount53(b);
    this.ensure(n + 8);
    const buf = this.buf;
    let p = this.len;
    buf[p++] = 36; // $
    if (n >= 10) buf[p++] = 48 + ((n / 10) | 0);
    buf[p++] = 48 + (n % 10);
    buf[p++] = 13;
    buf[p++] = 10;
    p = writeDigits53(buf, p, a);
    buf[p++] = 45; // -
    p = writeDigits53(buf, p, b);
    buf[p++] = 13;
    buf[p++] = 10;
    this.len = p;
  }

  /**
   * Marks the place of an aggregate header whose count is known only after
   * its elements are written (Redis's addReplyDeferredLen); setDeferred*()
   * fills it in. Inner marks must be filled before outer ones.
   */
  deferLen(): number {
    return this.enabled ? this.size : -1;
  }

  /** Fills a deferred array header. */
  setDeferredArray(mark: number, n: number): void {
    this.insertAt(mark, n < SHARED_HDRS ? sharedArrayHdrs[n] : '*' + n + CRLF);
  }

  /** Fills a deferred map header (n pairs: `%n` in RESP3, `*2n` in RESP2). */
  setDeferredMap(mark: number, n: number): void {
    this.insertAt(mark, this.resp === 3 ? '%' + n + CRLF : '*' + 2 * n + CRLF);
  }

  /** Fills a deferred set header: `~n` in RESP3, `*n` in RESP2. */
  setDeferredSet(mark: number, n: number): void {
    this.insertAt(mark, (this.resp === 3 ? '~' : '*') + n + CRLF);
  }

  /** Fills a deferred place with a bulk string (setDeferredReplyBulkSds). */
  setDeferredBulk(mark: number, text: string): void {
    this.insertAt(mark, '$' + text.length + CRLF + text + CRLF);
  }

  /** Inserts protocol text at an absolute position of the pending output. */
  private insertAt(mark: number, s: string): void {
    if (mark < 0 || !this.enabled) return;
    const n = s.length;
    if (mark >= this.chunksBytes) {
      const off = mark - this.chunksBytes;
      if (this.len + n > this.buf.length) {
        const nb = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
        this.buf.copy(nb, 0, 0, this.len);
        this.buf = nb;
      }
      const b = this.buf;
      b.copyWithin(off + n, off, this.len);
      for (let i = 0; i < n; i++) b[off + i] = s.charCodeAt(i);
      this.len += n;
      return;
    }
    // The mark lies in a full chunk already queued: split that chunk around the header.
    let at = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (mark < at + c.length) {
        const k = mark - at;
        this.chunks.splice(i, 1, c.subarray(0, k), Buffer.from(s, 'latin1'), c.subarray(k));
        this.chunksBytes += n;
        return;
      }
      at += c.length;
    }
  }

  /** Null reply: `$-1` in RESP2, `_` in RESP3. */
  null(): void {
    this.raw(this.resp === 3 ? '_\r\n' : '$-1\r\n');
  }

  /** Null array reply: `*-1` in RESP2, `_` in RESP3. */
  nullArray(): void {
    this.raw(this.resp === 3 ? '_\r\n' : '*-1\r\n');
  }

  array(n: number): void {
    if (n >= 0 && n < SHARED_HDRS) this.raw(sharedArrayHdrs[n]);
    else this.header(42 /* * */, n);
  }

  /** Map header with n pairs: `%n` in RESP3, `*2n` in RESP2. */
  map(n: number): void {
    if (this.resp === 3) this.header(37 /* % */, n);
    else this.header(42, 2 * n);
  }

  /** Set header: `~n` in RESP3, `*n` in RESP2. */
  set(n: number): void {
    this.header(this.resp === 3 ? 126 /* ~ */ : 42, n);
  }

  /** Push header: `>n` in RESP3, `*n` in RESP2. */
  push(n: number): void {
    this.header(this.resp === 3 ? 62 /* > */ : 42, n);
  }

  /** `<type><n>\r\n` for a count 0 <= n < 2^31, digits written straight into the buffer. */
  private header(type: number, n: number): void {
    if (!this.enabled) return;
    if (n < 0 || n > 0x7fffffff) {
      this.raw(String.fromCharCode(type) + n + CRLF);
      return;
    }
    this.ensure(14);
    const b = this.buf;
    let p = this.len;
    b[p++] = type;
    p = writeDigits(b, p, n);
    b[p] = 13;
    b[p + 1] = 10;
    this.len = p + 2;
  }

  /** Attribute header (RESP3 only). */
  attribute(n: number): void {
    this.raw('|' + n + CRLF);
  }

  /** Double reply: `,` in RESP3, a bulk string in RESP2, formatted the Redis 7.2 way. */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.resp === 3) this.raw(',' + s + CRLF);
    else this.bulk(s);
  }

  /** Boolean reply: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2. */
  bool(b: boolean): void {
    if (this.resp === 3) this.raw(b ? '#t\r\n' : '#f\r\n');
    else this.raw(b ? ':1\r\n' : ':0\r\n');
  }

  /** Verbatim string: `=` in RESP3 (3-letter format), a bulk string in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 3) {
      this.raw('=' + (s.length + 4) + CRLF + format + ':');
      this.raw(s);
      this.raw(CRLF);
    } else {
      this.bulk(s);
    }
  }

  /** Big number: `(` in RESP3, a bulk string in RESP2. */
  bigNumber(s: string): void {
    if (this.resp === 3) this.raw('(' + s + CRLF);
    else this.bulk(s);
  }

  /** Array of bulk strings. */
  bulks(items: readonly string[]): void {
    this.array(items.length);
    for (let i = 0; i < items.length; i++) this.bulk(items[i]);
  }
}

const SHARED_INTS = 10000;
const sharedInts: string[] = [];
for (let i = 0; i < SHARED_INTS; i++) sharedInts.push(':' + i + CRLF);
const SHARED_HDRS = 64;
const sharedArrayHdrs: string[] = [];
for (let i = 0; i < SHARED_HDRS; i++) sharedArrayHdrs.push('*' + i + CRLF);

/** Digits of 0 <= n < 2^53. */
function digitCount53(n: number): number {
  if (n < 2147483648) return digitCount(n);
  let d = 10;
  for (let x = 1e10; x <= n; x *= 10) d++;
  return d;
}

/** writeDigits for 0 <= n < 2^53: the high part, then the low eight digits zero-padded. */
function writeDigits53(b: Buffer, p: number, n: number): number {
  if (n < 2147483648) return writeDigits(b, p, n);
  const hi = Math.floor(n / 1e8);
  let lo = n - hi * 1e8;
  p = writeDigits53(b, p, hi);
  for (let q = p + 7; q >= p; q--) {
    const d = (lo / 10) | 0;
    b[q] = 48 + lo - d * 10;
    lo = d;
  }
  return p + 8;
}

/** Writes the decimal digits of 0 <= n < 2^31 at b[p..] from the last one (one division per digit); returns the end. */
function writeDigits(b: Buffer, p: number, n: number): number {
  const end = p + digitCount(n);
  let q = end;
  do {
    const d = (n / 10) | 0;
    b[--q] = 48 + n - d * 10;
    n = d;
  } while (n !== 0);
  return end;
}

/** Decimal digits of 0 <= n < 2^31. */
function digitCount(n: number): number {
  if (n < 100000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : 5;
  return n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
}
