// The load generator of spinel-benchmark: N connections that each send the
// request buffer (the command repeated -P times, __rand_int__ placeholders
// rewritten per round), count the replies without building objects, and
// record each request's latency. Counters and histograms are shared memory,
// so the same engine runs in worker threads (--threads) and in the main one.

import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import { Histogram } from './hdr.js';
import type { TlsOptions } from '../cli/args.js';
import { strerror } from '../cli/connection.js';
import { readDirect, socketHandle, writeTo, WriteResult, type SocketHandle } from '../server/socket-io.js';

export const LATENCY_MIN = 10;
export const LATENCY_MAX = 3000000;

/** Indexes into the shared counters. */
export const enum C {
  Issued = 0,
  Finished = 1,
  Live = 2,
  Stop = 3,
}

export interface EngineSpec {
  host: string;
  port: number;
  socket: string | null;
  tls: TlsOptions | null;
  /** Commands sent once before the first request (AUTH, CLIENT TRACKING, SELECT, HELLO 3). */
  prefix: Buffer;
  prefixReplies: number;
  /** The request buffer: the command -P times. */
  request: Buffer;
  /** Offsets of the "__rand_int__" placeholders in `request`. */
  randOffsets: number[];
  pipeline: number;
  requests: number;
  keyspacelen: number;
  randomize: boolean;
  keepalive: boolean;
  idle: boolean;
  seed: number;
}

export interface SharedState {
  counters: SharedArrayBuffer;
  hist: { counts: SharedArrayBuffer; meta: SharedArrayBuffer };
  current: { counts: SharedArrayBuffer; meta: SharedArrayBuffer };
  precision: number;
}

export class Fatal extends Error {}

/** End of the RESP reply starting at p (before `end`), or -1 when it is not all there. */
export function replyEnd(b: Buffer, p: number, end: number): number {
  let pending = 1;
  while (pending > 0) {
    if (p >= end) return -1;
    const t = b[p];
    const nl = b.indexOf(10, p);
    if (nl < 0 || nl >= end) return -1;
    switch (t) {
      case 36: // $
      case 61: // =
      case 33: {
        // !
        const len = parseIntAt(b, p + 1, nl - 1);
        p = nl + 1;
        if (len >= 0) {
          p += len + 2;
          if (p > end) return -1;
        }
        pending--;
        break;
      }
      case 42: // *
      case 126: // ~
      case 62: {
        // >
        const n = parseIntAt(b, p + 1, nl - 1);
        p = nl + 1;
        pending += n > 0 ? n - 1 : -1;
        break;
      }
      case 37: {
        // %
        const n = parseIntAt(b, p + 1, nl - 1);
        p = nl + 1;
        pending += n > 0 ? 2 * n - 1 : -1;
        break;
      }
      case 124: {
        // | (an attribute precedes the reply it describes)
        const n = parseIntAt(b, p + 1, nl - 1);
        p = nl + 1;
        pending += 2 * Math.max(n, 0);
        break;
      }
      default:
        p = nl + 1;
        pending--;
    }
  }
  return p;
}

function parseIntAt(b: Buffer, from: number, to: number): number {
  let neg = false;
  let i = from;
  if (b[i] === 45) {
    neg = true;
    i++;
  }
  let v = 0;
  for (; i < to; i++) v = v * 10 + (b[i] - 48);
  return neg ? -v : v;
}

/** xorshift32: a small, seedable random source for the placeholders. */
class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x;
  }
  /** Uniform in [0, n) for n up to 2^53. */
  below(n: number): number {
    if (n <= 0x100000000) return Math.floor((this.next() / 0x100000000) * n);
    return Math.floor(((this.next() * 0x100000000 + this.next()) / 2 ** 64) * n);
  }
}

class BenchClient {
  private sock!: net.Socket;
  private buf: Buffer;
  private prefixPending: number;
  private pending = 0;
  private start = 0;
  private latency = -1;
  private leftover: Buffer | null = null;
  private handle: SocketHandle = null;
  private readonly readBuf = Buffer.allocUnsafe(65536);
  closed = false;

  constructor(
    private readonly engine: Engine,
    private firstRound: boolean,
  ) {
    const spec = engine.spec;
    this.prefixPending = firstRound ? spec.prefixReplies : 0;
    // A private copy: its placeholders are rewritten per round.
    this.buf = firstRound && spec.prefix.length ? Buffer.concat([spec.prefix, spec.request]) : Buffer.from(spec.request);
  }

  /** Connects; a replacement (-k 0) is already counted as live. */
  connect(replacement = false): Promise<void> {
    const spec = this.engine.spec;
    return new Promise((resolve, reject) => {
      // Plain connections read into a buffer of the client's own, straight from the handle.
      const onread = spec.tls ? undefined : { buffer: this.readBuf, callback: (n: number): boolean => this.onRead(n) };
      const opts = spec.socket !== null ? { path: spec.socket, onread } : { host: spec.host, port: spec.port, onread };
      const s = net.connect(opts as net.NetConnectOpts);
      s.setNoDelay(true);
      const fail = (e: NodeJS.ErrnoException): void => {
        const where = spec.socket !== null ? spec.socket : `${spec.host}:${spec.port}`;
        reject(new Fatal(`Could not connect to Redis at ${where}: ${strerror(e)}\n`));
      };
      s.once('error', fail);
      s.once('connect', () => {
        s.off('error', fail);
        const ready = (sock: net.Socket): void => {
          this.sock = sock;
          if (spec.tls) {
            sock.on('data', (d: Buffer) => this.onChunk(d));
          } else {
            readDirect(sock, (n) => this.onRead(n));
            this.handle = socketHandle(sock);
          }
          sock.on('error', (e: NodeJS.ErrnoException) => this.onClose(strerror(e)));
          sock.on('close', () => this.onClose('Server closed the connection'));
          if (!replacement) Atomics.add(this.engine.counters, C.Live, 1);
          resolve();
        };
        if (!spec.tls) return ready(s);
        const o = spec.tls;
        const t = tls.connect({
          socket: s,
          rejectUnauthorized: !o.insecure,
          servername: o.sni ?? undefined,
          ca: o.cacert ? [fs.readFileSync(o.cacert)] : undefined,
          cert: o.cert ? fs.readFileSync(o.cert) : undefined,
          key: o.key ? fs.readFileSync(o.key) : undefined,
          ciphers: o.ciphers ?? o.ciphersuites ?? undefined,
          checkServerIdentity: () => undefined,
        });
        t.once('secureConnect', () => ready(t));
        t.once('error', (e) => reject(new Fatal(`Could not connect to Redis at ${spec.host}:${spec.port}: ${e.message}\n`)));
      });
    });
  }

  /** A failed write (the close handler reports the connection). */
  writeFailed(): void {}

  /** Starts a round: the request buffer goes out, `pipeline` replies are awaited. */
  send(): void {
    const e = this.engine;
    const spec = e.spec;
    if (spec.idle) return;
    const issued = Atomics.add(e.counters, C.Issued, spec.pipeline);
    if (issued >= spec.requests) return;
    if (spec.randomize) {
      const base = this.buf.length - spec.request.length;
      for (const off of spec.randOffsets) {
        let r = spec.keyspacelen !== 0 ? e.random.below(spec.keyspacelen) : 0;
        for (let j = 11; j >= 0; j--) {
          this.buf[base + off + j] = 48 + (r % 10);
          r = Math.floor(r / 10);
        }
      }
    }
    this.pending = spec.pipeline + this.prefixPending;
    this.start = now();
    this.latency = -1;
    // Every reply of the previous round came back, so its write is over and the buffer is free.
    if (writeTo(this.sock, this.handle, this.buf, this) === WriteResult.Failed) this.onClose('Broken pipe');
  }

  /** A read into readBuf (n bytes). */
  private onRead(n: number): boolean {
    this.onChunk(this.readBuf.subarray(0, n));
    return true;
  }

  private onChunk(d: Buffer): void {
    const e = this.engine;
    // The latency of a round ends at its first reply bytes: parsing is not part of it.
    if (this.latency < 0) this.latency = Math.round(now() - this.start);
    let b = d;
    if (this.leftover !== null) {
      b = Buffer.concat([this.leftover, d]);
      this.leftover = null;
    }
    let p = 0;
    const end = b.length;
    // Replies of one round share its latency: they are counted and recorded per chunk.
    let counted = 0;
    let roundDone = false;
    while (p < end) {
      const q = replyEnd(b, p, end);
      if (q < 0) break;
      const t = b[p];
      if (t === 62) {
        // A push (RESP3 tracking invalidations): not a reply.
        p = q;
        continue;
      }
      if (t === 45 || t === 33) {
        const nl = b.indexOf(13, p);
        const msg = t === 45 ? b.latin1Slice(p + 1, nl) : b.latin1Slice(b.indexOf(10, p) + 1, q - 2);
        e.fatal(`Error from server: ${msg}\n`);
        return;
      }
      p = q;
      if (this.prefixPending > 0) {
        // AUTH, SELECT and the like answer first; later rounds send the request alone.
        this.prefixPending--;
        this.pending--;
        if (this.prefixPending === 0) this.buf = this.buf.subarray(e.spec.prefix.length);
        continue;
      }
      counted++;
      if (--this.pending === 0) {
        roundDone = true;
        break;
      }
    }
    if (p < end) this.leftover = Buffer.from(b.subarray(p));
    if (counted > 0) {
      const before = Atomics.add(e.counters, C.Finished, counted);
      // Only the first `requests` replies are measured.
      const measured = Math.min(counted, e.spec.requests - before);
      if (measured > 0) {
        const lat = this.latency <= LATENCY_MAX ? this.latency : LATENCY_MAX;
        e.hist.record(lat, measured);
        e.current.record(lat, measured);
      }
    }
    if (roundDone) this.done();
  }

  private done(): void {
    const e = this.engine;
    if (Atomics.load(e.counters, C.Finished) >= e.spec.requests) {
      e.onFinished();
      e.finish();
      return;
    }
    if (e.spec.keepalive) {
      this.send();
    } else {
      // Reconnect for every round (-k 0); the replacement counts as live at once, as in redis-benchmark.
      this.closed = true;
      this.sock.removeAllListeners('close');
      this.sock.destroy();
      void e.replace(this);
    }
  }

  private onClose(why: string): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.sub(this.engine.counters, C.Live, 1);
    if (!this.engine.stopping) this.engine.fatal(`Error: ${why}\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.sub(this.engine.counters, C.Live, 1);
    this.sock?.destroy();
  }
}

function now(): number {
  return performance.now() * 1000;
}

/** The clients of one thread. */
export class Engine {
  readonly counters: Int32Array;
  readonly hist: Histogram;
  readonly current: Histogram;
  readonly random: Random;
  readonly clients = new Set<BenchClient>();
  stopping = false;
  private resolveDone: (() => void) | null = null;
  /** Called once with a fatal error message (the caller prints it and exits). */
  onFatal: (msg: string) => void = () => {};
  /** Called once every client is connected and the first requests are out. */
  onStarted: () => void = () => {};
  /** Called when this thread saw the last request finish. */
  onFinished: () => void = () => {};

  constructor(
    readonly spec: EngineSpec,
    shared: SharedState,
  ) {
    this.counters = new Int32Array(shared.counters);
    this.hist = new Histogram(LATENCY_MIN, LATENCY_MAX, shared.precision, shared.hist);
    this.current = new Histogram(LATENCY_MIN, LATENCY_MAX, shared.precision, shared.current);
    this.random = new Random(spec.seed);
  }

  fatal(msg: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.onFatal(msg);
  }

  /** Connects `n` clients (64 at a time, as the listen backlog is small) and starts them. */
  async run(n: number): Promise<void> {
    const done = new Promise<void>((r) => (this.resolveDone = r));
    const created: BenchClient[] = [];
    for (let i = 0; i < n; i++) {
      const c = new BenchClient(this, true);
      try {
        await c.connect();
      } catch (e) {
        this.fatal((e as Error).message);
        return;
      }
      this.clients.add(c);
      created.push(c);
      if ((i + 1) % 64 === 0) await new Promise((r) => setTimeout(r, 50));
    }
    for (const c of created) c.send();
    this.onStarted();
    if (this.spec.idle) return done;
    if (Atomics.load(this.counters, C.Finished) >= this.spec.requests) this.finish();
    return done;
  }

  async replace(old: BenchClient): Promise<void> {
    this.clients.delete(old);
    const c = new BenchClient(this, true);
    try {
      await c.connect(true);
    } catch (e) {
      this.fatal((e as Error).message);
      return;
    }
    if (this.stopping) {
      c.close();
      return;
    }
    this.clients.add(c);
    c.send();
  }

  /** Every request finished (here or in another thread): close the clients. */
  finish(): void {
    if (this.stopping && this.resolveDone === null) return;
    this.stopping = true;
    Atomics.store(this.counters, C.Stop, 1);
    for (const c of this.clients) c.close();
    this.clients.clear();
    const r = this.resolveDone;
    this.resolveDone = null;
    r?.();
  }
}
