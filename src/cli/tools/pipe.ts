// --pipe: mass insertion. stdin's bytes (RESP or inline commands, as they
// are) go to the server while the replies are counted; at the end of input
// an ECHO of 20 random bytes is sent, and its reply marks the end.

import fs from 'node:fs';
import crypto from 'node:crypto';
import type { Cli } from '../cli.js';
import { T } from '../resp.js';
import * as io from '../io.js';

const CHUNK = 1 << 20;
/** Bytes sent but not yet acknowledged by the kernel beyond which reading stdin waits. */
const HIGH_WATER = 4 << 20;

export async function pipeMode(cli: Cli): Promise<never> {
  const c = cli.config;
  const conn = cli.conn!;
  const sock = conn.socket;
  let errors = 0;
  let replies = 0;
  let eof = false;
  let done = false;
  let lastRead = Date.now();
  const magic = crypto.randomBytes(20).toString('latin1');

  // Replies: counted as they come; errors are printed.
  let wake: (() => void) | null = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  conn.rawListener = (data) => {
    lastRead = Date.now();
    conn.reader.feed(data);
    for (;;) {
      let r;
      try {
        r = conn.reader.read();
      } catch {
        io.err('Error reading replies from server\n');
        io.exit(1);
      }
      if (r === null) break;
      if (r.type === T.Error) {
        io.err(r.str + '\n');
        errors++;
      } else if (eof && r.type === T.String && r.str.length === 20 && r.str === magic) {
        io.out('Last reply received from server.\n');
        io.flush();
        done = true;
        replies--;
      }
      replies++;
    }
    if (done) poke();
  };
  let readError: string | null = null;
  const onClose = (): void => {
    readError = conn.err?.message ?? 'Server closed the connection';
    poke();
  };
  sock.on('close', onClose);
  sock.on('drain', poke);

  // Writer: stdin to the socket, with the kernel's backpressure.
  const buf = Buffer.allocUnsafe(CHUNK);
  const readStdin = (): Promise<number> =>
    new Promise((resolve, reject) => fs.read(0, buf, 0, CHUNK, null, (e, n) => (e ? reject(e) : resolve(n))));
  while (!eof) {
    if (readError !== null) break;
    let n: number;
    try {
      n = await readStdin();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      io.err(`Error reading from stdin: ${(e as Error).message}\n`);
      io.exit(1);
    }
    if (n === 0) {
      eof = true;
      // A leading CRLF keeps the ECHO well-formed after garbage; Redis ignores empty lines.
      sock.write(Buffer.from(`\r\n*2\r\n$4\r\nECHO\r\n$20\r\n${magic}\r\n`, 'latin1'));
      io.out('All data transferred. Waiting for the last reply...\n');
      io.flush();
      break;
    }
    const ok = sock.write(Buffer.from(buf.subarray(0, n)));
    if (!ok || sock.writableLength > HIGH_WATER) {
      await new Promise<void>((r) => (wake = r));
    }
  }

  // Wait for the ECHO's reply, or the timeout.
  while (!done && readError === null) {
    if (c.pipeTimeout > 0 && Date.now() - lastRead > c.pipeTimeout * 1000) {
      io.err(`No replies for ${c.pipeTimeout} seconds: exiting.\n`);
      errors++;
      break;
    }
    await new Promise<void>((r) => {
      wake = r;
      setTimeout(r, 1000).unref();
    });
  }
  if (!done && readError !== null) {
    if (!eof) io.err(`Error writing to the server: ${readError}\n`);
    io.exit(1);
  }
  io.out(`errors: ${errors}, replies: ${replies}\n`);
  io.exit(errors ? 1 : 0);
}
