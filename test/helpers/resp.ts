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
 * How a client hands a request to the network. The network splits bytes
 * anywhere, so the server must parse the same commands whatever the split:
 * - whole: one write per request;
 * - bytes: one byte per write (requests over BYTEWISE_MAX bytes fall back to random);
 * - random: seeded random cut points, from single bytes (inside CRLFs and
 *   length lines) to large pieces;
 * - mixed: each request picks one of the three at random (seeded).
 * Between two pieces the client yields to the event loop (setImmediate), so
 * an in-process server reads each piece separately.
 */
export type WireMode = 'whole' | 'bytes' | 'random' | 'mixed';

const BYTEWISE_MAX = 4096;

/** A small seeded PRNG (mulberry32), so a failing split can be replayed from its seed. */
export function seededRandom(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Cuts `b` into the pieces a wire mode delivers (see WireMode). */
export function splitForWire(b: Buffer, mode: WireMode, rnd: (n: number) => number, bytewiseMax = BYTEWISE_MAX): Buffer[] {
  if (mode === 'mixed') mode = (['whole', 'bytes', 'random'] as const)[rnd(3)];
  if (b.length <= 1 || mode === 'whole') return [b];
  if (mode === 'bytes' && b.length <= bytewiseMax) {
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.subarray(i, i + 1));
    return out;
  }
  // Random cuts: up to 48 pieces; half the cuts within the first 64 bytes
  // (headers and length lines), the rest anywhere.
  const cuts = new Set<number>();
  const n = 1 + rnd(Math.min(b.length - 1, 48));
  for (let i = 0; i < n; i++) {
    const limit = i % 2 === 0 ? Math.min(b.length - 1, 64) : b.length - 1;
    cuts.add(1 + rnd(limit));
  }
  const sorted = [...cuts].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let at = 0;
  for (const c of sorted) {
    out.push(b.subarray(at, c));
    at = c;
  }
  out.push(b.subarray(at));
  return out;
}

/**
 * A raw RESP client: `call` sends a command and resolves with the exact bytes
 * of its reply (latin1 string). `raw` sends arbitrary bytes and reads n replies.
 * Requests go out as `wire` says (whole by default; see WireMode).
 */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: { resolve: (s: string) => void; reject: (e: Error) => void }[] = [];
  closed = false;
  /** How requests are cut into writes, and the seeded source of the cuts. */
  wire: WireMode = 'whole';
  private rnd = seededRandom(1);
  /** Pieces still being written (requests keep their order). */
  private sending: Promise<void> | null = null;
  /** Description of how the last request was delivered (for failure messages). */
  lastDelivery = 'whole';
  /** Requests up to this size go byte by byte in 'bytes' mode; bigger ones are cut at random. */
  bytewiseMax = BYTEWISE_MAX;

  /** Delivers requests as `mode` says, with cut points drawn from `seed`. */
  setWire(mode: WireMode, seed = 1): this {
    this.wire = mode;
    this.rnd = seededRandom(seed);
    return this;
  }

  /** Writes a request as the wire mode says; pieces of successive requests never interleave. */
  send(b: Buffer): void {
    const pieces = this.wire === 'whole' ? [b] : splitForWire(b, this.wire, this.rnd, this.bytewiseMax);
    this.lastDelivery = pieces.length === 1 ? 'whole' : `${pieces.length} pieces: ${pieces.slice(0, 12).map((p) => p.length).join(',')}${pieces.length > 12 ? ',...' : ''}`;
    if (pieces.length === 1 && this.sending === null) {
      this.socket.write(b);
      return;
    }
    const prev = this.sending ?? Promise.resolve();
    const done = prev.then(async () => {
      for (let i = 0; i < pieces.length; i++) {
        if (this.closed) return;
        this.socket.write(pieces[i]);
        if (i < pieces.length - 1) await new Promise((r) => setImmediate(r));
      }
    });
    this.sending = done;
    void done.then(() => {
      if (this.sending === done) this.sending = null;
    });
  }

  private constructor(public socket: net.Socket) {
    socket.on('data', (d) => {
      this.parts.push(d);
      this.partsBytes += d.length;
      // A big reply arrives in many reads: join them only once it can be complete.
      if (this.buf.length + this.partsBytes < this.needed) return;
      this.buf = Buffer.concat([this.buf, ...this.parts]);
      this.parts = [];
      this.partsBytes = 0;
      this.pump();
    });
    socket.on('close', () => {
      this.closed = true;
      if (this.parts.length !== 0) {
        this.buf = Buffer.concat([this.buf, ...this.parts]);
        this.parts = [];
        this.partsBytes = 0;
        this.needed = 0;
        this.pump();
      }
      for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed'));
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host);
      // No Nagle: a request cut into pieces reaches the server as those pieces
      // (not coalesced while an earlier piece waits for its delayed ACK).
      s.setNoDelay(true);
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  private parts: Buffer[] = [];
  private partsBytes = 0;
  /** Bytes the first pending frame needs at least (a bulk's declared size), so partial reads are not re-joined each time. */
  private needed = 0;

  private pump(): void {
    while (this.waiters.length) {
      const end = frameEnd(this.buf, 0);
      if (end < 0) {
        this.needed = 0;
        if (this.buf[0] === 36 /* $ */) {
          const nl = this.buf.indexOf('\r\n');
          if (nl > 0) this.needed = nl + 2 + Number(this.buf.toString('latin1', 1, nl)) + 2;
        }
        return;
      }
      this.needed = 0;
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
    this.send(encodeCommand(args));
    return this.read();
  }

  /** Sends raw bytes; resolves with `replies` replies. */
  async raw(bytes: string | Buffer, replies = 1): Promise<string[]> {
    this.send(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
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
