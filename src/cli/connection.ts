// A client connection for the tools, in the manner of a hiredis context:
// send commands, read replies one at a time (RESP3 pushes go to a handler
// when one is set), errors carrying hiredis's texts ("Connection refused",
// "Server closed the connection", protocol errors).

import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import dns from 'node:dns';
import { RespReader, ProtocolError, encodeCommand, T, type Reply } from './resp.js';
import type { TlsOptions } from './args.js';

/** strerror() texts for the errno codes a connection meets. */
const STRERROR: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EPIPE: 'Broken pipe',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTSOCK: 'Socket operation on non-socket',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_NONAME: 'Name or service not known',
  EAI_NODATA: 'No address associated with hostname',
  EINVAL: 'Invalid argument',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
};

export function strerror(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && STRERROR[err.code]) return STRERROR[err.code];
  return err instanceof Error ? err.message : String(e);
}

export const enum ErrKind {
  Io = 1,
  Eof = 3,
  Protocol = 4,
  Other = 2,
}

export class ConnError extends Error {
  constructor(
    readonly kind: ErrKind,
    message: string,
    readonly code: string | undefined = undefined,
  ) {
    super(message);
  }
}

export interface Target {
  host: string;
  port: number;
  socket: string | null;
  family: 0 | 4 | 6;
  /** Connect timeout in milliseconds (0: none). */
  timeoutMs: number;
  tls: TlsOptions | null;
  keepAlive?: boolean;
}

export class Connection {
  readonly reader = new RespReader();
  /**
   * Called with RESP3 pushes read while a reply is awaited; null: pushes are
   * returned like replies. By default they are dropped (hiredis frees them).
   */
  pushHandler: ((r: Reply) => void) | null = dropPush;
  /** Set once the connection failed: later reads and writes fail with it. */
  err: ConnError | null = null;
  private waiter: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  /** Called for every chunk of bytes (the --replica and --rdb modes read the stream themselves). */
  rawListener: ((data: Buffer) => void) | null = null;
  /** Called when the connection fails or closes while nothing waits on it. */
  onError: ((e: ConnError) => void) | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('end', () => this.fail(new ConnError(ErrKind.Eof, 'Server closed the connection')));
    socket.on('close', () => this.fail(new ConnError(ErrKind.Eof, 'Server closed the connection')));
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail(new ConnError(ErrKind.Io, strerror(e), e.code)));
  }

  static open(t: Target): Promise<Connection> {
    return new Promise((resolve, reject) => {
      let sock: net.Socket;
      let timer: NodeJS.Timeout | null = null;
      const done = (e: Error | null): void => {
        if (timer) clearTimeout(timer);
        sock.removeAllListeners('error');
        sock.removeAllListeners('timeout');
        if (e) {
          sock.destroy();
          reject(e);
        } else {
          resolve(new Connection(sock));
        }
      };
      const onErr = (e: NodeJS.ErrnoException): void => done(new ConnError(ErrKind.Io, strerror(e), e.code));
      try {
        if (t.socket !== null) {
          sock = net.connect({ path: t.socket });
        } else {
          const family = t.family === 0 ? undefined : t.family;
          const lookup = family ? (host: string, opts: dns.LookupOptions, cb: (...a: any[]) => void) => preferFamily(host, opts, family, cb) : undefined;
          sock = net.connect({ host: t.host, port: t.port, lookup: lookup as any, autoSelectFamily: false });
        }
      } catch (e) {
        reject(new ConnError(ErrKind.Io, strerror(e)));
        return;
      }
      sock.setNoDelay(true);
      if (t.keepAlive !== false) sock.setKeepAlive(true, 15000);
      if (t.timeoutMs > 0) timer = setTimeout(() => done(new ConnError(ErrKind.Io, 'Connection timed out', 'ETIMEDOUT')), t.timeoutMs);
      sock.once('error', onErr);
      sock.once('connect', () => {
        if (!t.tls) return done(null);
        let secure: tls.TLSSocket;
        try {
          secure = tls.connect(tlsOptions(t, sock));
        } catch (e) {
          return done(new ConnError(ErrKind.Other, (e as Error).message));
        }
        secure.once('secureConnect', () => {
          if (timer) clearTimeout(timer);
          secure.removeAllListeners('error');
          resolve(new Connection(secure));
        });
        secure.once('error', (e: Error) => {
          if (timer) clearTimeout(timer);
          secure.destroy();
          reject(new ConnError(ErrKind.Other, `Could not negotiate a TLS connection: ${e.message}`, 'TLS'));
        });
      });
    });
  }

  private onData(d: Buffer): void {
    if (this.rawListener) {
      this.rawListener(d);
      return;
    }
    this.reader.feed(d);
    if (this.waiter) this.tryResolve();
  }

  private fail(e: ConnError): void {
    if (this.err) return;
    this.err = e;
    if (this.waiter) {
      // Replies already buffered are still delivered before the error.
      this.tryResolve();
      if (!this.waiter) return;
      const w = this.waiter;
      this.waiter = null;
      w.reject(e);
    } else if (this.onError) {
      this.onError(e);
    }
  }

  private tryResolve(): void {
    for (;;) {
      let r: Reply | null;
      try {
        r = this.reader.read();
      } catch (e) {
        const pe = new ConnError(ErrKind.Protocol, (e as ProtocolError).message);
        this.err = pe;
        const w = this.waiter!;
        this.waiter = null;
        this.socket.destroy();
        w.reject(pe);
        return;
      }
      if (r === null) {
        if (this.err) {
          const w = this.waiter!;
          this.waiter = null;
          w.reject(this.err);
        }
        return;
      }
      if (r.type === T.Push && this.pushHandler && isSpontaneousPush(r)) {
        this.pushHandler(r);
        continue;
      }
      const w = this.waiter!;
      this.waiter = null;
      w.resolve(r);
      return;
    }
  }

  /** The next reply (pushes go to pushHandler). Rejects with ConnError. */
  readReply(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.tryResolve();
    });
  }

  /** A reply already received, without waiting; null when none is complete. */
  readBuffered(): Reply | null {
    for (;;) {
      const r = this.reader.read();
      if (r === null) return null;
      if (r.type === T.Push && this.pushHandler && isSpontaneousPush(r)) {
        this.pushHandler(r);
        continue;
      }
      return r;
    }
  }

  /** Resolves when some bytes arrive (or the connection fails). */
  waitData(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('data', done);
        this.socket.off('close', done);
        resolve();
      };
      if (this.err) return resolve();
      this.socket.on('data', done);
      this.socket.on('close', done);
    });
  }

  write(data: Buffer | string): boolean {
    if (this.err) return false;
    return this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  send(argv: readonly string[]): void {
    this.write(encodeCommand(argv));
  }

  /** Sends a command and reads its reply. */
  async command(...argv: string[]): Promise<Reply> {
    if (this.err) throw this.err;
    this.send(argv);
    return this.readReply();
  }

  close(): void {
    this.socket.destroy();
  }
}

export function dropPush(): void {}

/**
 * hiredis hands a push to the push callback unless it is the reply of a
 * (un)subscribe command: those are read as replies.
 */
function isSpontaneousPush(r: Reply): boolean {
  const els = r.elements!;
  if (els.length === 0 || els[0].type !== T.String) return true;
  const kind = els[0].str.toLowerCase();
  return !/^(p|s)?(un)?subscribe$/.test(kind);
}

function preferFamily(host: string, opts: dns.LookupOptions, family: 4 | 6, cb: (...a: any[]) => void): void {
  dns.lookup(host, { all: true }, (err, addrs) => {
    if (err) return cb(err);
    const pick = addrs.find((a) => a.family === family) ?? addrs[0];
    if (!pick) return cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    if ((opts as { all?: boolean }).all) cb(null, [pick]);
    else cb(null, pick.address, pick.family);
  });
}

function tlsOptions(t: Target, sock: net.Socket): tls.ConnectionOptions {
  const o = t.tls!;
  const opts: tls.ConnectionOptions = { socket: sock, rejectUnauthorized: !o.insecure };
  if (o.sni) opts.servername = o.sni;
  else if (t.socket === null && net.isIP(t.host) === 0) opts.servername = t.host;
  const cas: Buffer[] = [];
  if (o.cacert) cas.push(fs.readFileSync(o.cacert));
  if (o.cacertdir) {
    for (const f of fs.readdirSync(o.cacertdir)) {
      try {
        const b = fs.readFileSync(`${o.cacertdir}/${f}`);
        if (b.includes('-----BEGIN CERTIFICATE-----')) cas.push(b);
      } catch {
        /* not a readable file */
      }
    }
  }
  if (cas.length) opts.ca = cas;
  if (o.cert) opts.cert = fs.readFileSync(o.cert);
  if (o.key) opts.key = fs.readFileSync(o.key);
  if (o.ciphers) opts.ciphers = o.ciphers;
  if (o.ciphersuites) opts.ciphers = o.ciphers ? `${o.ciphers}:${o.ciphersuites}` : o.ciphersuites;
  // Redis certificates are usually issued for addresses, not names: check only the chain.
  opts.checkServerIdentity = () => undefined;
  return opts;
}
