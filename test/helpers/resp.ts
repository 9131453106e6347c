// Test-side RESP tools: frame scanning, decoding to JS values, and a raw client
// that returns each reply's exact bytes (for byte-for-byte comparison).

import net from 'node:net';

/** Returns the index just past one complete RESP value starting at pos, or -1 if incomplete. */
export function frameEnd(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const t = buf[pos];
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return -1;
  const line = buf.toString('latin1', pos + 1, nl);
  const p = nl + 2;
  switch (String.fromCharCode(t)) {
    case '+': case '-': case ':': case ',': case '#': case '_': case '(':
      return p;
    case '$': case '=': case '!': {
      const n = Number(line);
      if (n < 0) return p;
      return buf.length >= p + n + 2 ? p + n + 2 : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(line);
      if (n < 0) return p;
      if (t === 37 /* % */ || t === 124 /* | */) n *= 2;
      let q = p;
      for (let i = 0; i < n; i++) {
        q = frameEnd(buf, q);
        if (q < 0) return -1;
      }
      // An attribute is followed by the value it annotates.
      if (t === 124) return frameEnd(buf, q);
      return q;
    }
    default:
      // Inline error-free line (should not happen in server replies).
      return p;
  }
}

export type RespValue = string | number | bigint | boolean | null | RespValue[] | { error: string } | Map<RespValue, RespValue> | { double: string } | { verbatim: string };

/** Decodes one RESP value (for assertions that look at structure). */
export function decode(buf: Buffer, pos = 0): [RespValue, number] {
  const t = String.fromCharCode(buf[pos]);
  const nl = buf.indexOf('\r\n', pos);
  const line = buf.toString('latin1', pos + 1, nl);
  let p = nl + 2;
  switch (t) {
    case '+': return [line, p];
    case '-': return [{ error: line }, p];
    case ':': return [Number(line), p];
    case ',': return [{ double: line }, p];
    case '#': return [line === 't', p];
    case '_': return [null, p];
    case '(': return [BigInt(line), p];
    case '$': case '=': {
      const n = Number(line);
      if (n < 0) return [null, p];
      const s = buf.toString('latin1', p, p + n);
      return [t === '=' ? { verbatim: s } : s, p + n + 2];
    }
    case '*': case '~': case '>': {
      const n = Number(line);
      if (n < 0) return [null, p];
      const arr: RespValue[] = [];
      for (let i = 0; i < n; i++) { const [v, q] = decode(buf, p); arr.push(v); p = q; }
      return [arr, p];
    }
    case '%': {
      const n = Number(line);
      const m = new Map<RespValue, RespValue>();
      for (let i = 0; i < n; i++) { const [k, q] = decode(buf, p); const [v, q2] = decode(buf, q); m.set(k, v); p = q2; }
      return [m, p];
    }
  }
  throw new Error('cannot decode RESP type ' + JSON.stringify(t));
}

/** Encodes a command as a RESP multibulk (args are latin1 strings or Buffers). */
export function encodeCommand(args: (string | Buffer | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * A raw RESP client: `call` sends a command and resolves with the exact bytes
 * of its reply (latin1 string). `raw` sends arbitrary bytes and reads n replies.
 */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: { resolve: (s: string) => void; reject: (e: Error) => void }[] = [];
  closed = false;
  private constructor(public socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.pump();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed'));
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host);
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private pump(): void {
    while (this.waiters.length) {
      const end = frameEnd(this.buf, 0);
      if (end < 0) return;
      const s = this.buf.toString('latin1', 0, end);
      this.buf = this.buf.subarray(end);
      this.waiters.shift()!.resolve(s);
    }
  }

  /** Reads the next reply (e.g. a pushed message). */
  read(): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.closed && frameEnd(this.buf, 0) < 0) return reject(new Error('connection closed'));
      this.waiters.push({ resolve, reject });
      this.pump();
    });
  }

  call(...args: (string | Buffer | number)[]): Promise<string> {
    this.socket.write(encodeCommand(args));
    return this.read();
  }

  /** Sends raw bytes; resolves with `replies` replies. */
  async raw(bytes: string | Buffer, replies = 1): Promise<string[]> {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    const out: string[] = [];
    for (let i = 0; i < replies; i++) out.push(await this.read());
    return out;
  }

  /** Resolves when the server closes the connection, with whatever it sent but was not read. */
  waitClose(timeoutMs = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve(this.buf.toString('latin1'));
      const t = setTimeout(() => reject(new Error('server did not close the connection')), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(t);
        resolve(this.buf.toString('latin1'));
      });
    });
  }

  /** Decoded form of a call's reply. */
  async value(...args: (string | Buffer | number)[]): Promise<RespValue> {
    const s = await this.call(...args);
    return decode(Buffer.from(s, 'latin1'))[0];
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Splits a top-level aggregate reply into its header line and element frames; null if it is not an aggregate. */
export function aggregateFrames(raw: string): { hdr: string; items: string[] } | null {
  if (!'*~%'.includes(raw[0]) || raw.startsWith('*-1')) return null;
  const b = Buffer.from(raw, 'latin1');
  const nl = b.indexOf('\r\n');
  const items: string[] = [];
  let p = nl + 2;
  while (p < b.length) {
    const e = frameEnd(b, p);
    items.push(raw.slice(p, e));
    p = e;
  }
  return { hdr: raw.slice(0, nl + 2), items };
}
