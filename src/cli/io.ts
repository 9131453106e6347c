// Synchronous writes to stdout and stderr (like C's stdio with fflush): the
// tools print, then may exit at once, and output must never be lost or
// reordered. Text is latin1 (one char per byte) unless written as a Buffer.

import fs from 'node:fs';

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking descriptor (shared with another process): wait a little.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      // The reader went away (a closed pipe): stop as a C program killed by SIGPIPE would.
      if (code === 'EPIPE') process.exit(141);
      throw e;
    }
  }
}

let pending: Buffer[] = [];
let pendingBytes = 0;

/** Writes to stdout (buffered until flush(), or 64 KB). */
export function out(s: string | Buffer): void {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  pending.push(b);
  pendingBytes += b.length;
  if (pendingBytes >= 65536) flush();
}

export function flush(): void {
  if (pendingBytes === 0) return;
  const b = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
  pending = [];
  pendingBytes = 0;
  writeAll(1, b);
}

/** Writes to stderr at once (stdout's pending text first, as redis-cli's order on a terminal). */
export function err(s: string): void {
  flush();
  writeAll(2, Buffer.from(s, 'latin1'));
}

/** Flushes stdout and ends the process. */
export function exit(code: number): never {
  flush();
  process.exit(code);
}

/** Bytes of a string received as UTF-16 from the OS (argv, a terminal line) as latin1. */
export function toBytes(s: string): string {
  // Pure ASCII needs no conversion.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return Buffer.from(s, 'utf8').toString('latin1');
}
