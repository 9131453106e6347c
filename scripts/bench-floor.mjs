// The floor of a Node.js RESP server, for `BENCH_FLOOR=1 npm run bench`: it
// accepts connections and reads and writes exactly like Spinel (one shared
// read buffer, reads and writes straight through the socket handle, see
// src/server/socket-io.ts, writes after the poll phase), but parses nothing and runs nothing: it answers
// +OK to every command (each `*` that starts a line of a read). Its requests/s
// against Redis's show what any Node server gets on this machine for small
// replies; Spinel's figure beside it shows what parsing, dispatch and the
// commands themselves add.
//
// Usage: node scripts/bench-floor.mjs <port>
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { adoptWithSharedReads, socketHandle, writeTo } = await import(path.join(root, 'dist/src/server/socket-io.js'));

const port = Number(process.argv[2]);
const readBuffer = Buffer.allocUnsafe(64 * 1024);
let out = Buffer.allocUnsafe(64 * 1024);
const OK = [43, 79, 75, 13, 10]; // "+OK\r\n"
const owner = { writeFailed() {} };

// Like Spinel, replies wait for the end of the poll phase: every ready
// connection is read first, then each gets one write (flush, a setImmediate).
const pending = [];
let flushScheduled = false;

function onRead(conn, nread) {
  let commands = 0;
  for (let i = 0; i < nread; i++) if (readBuffer[i] === 42 && (i === 0 || readBuffer[i - 1] === 10)) commands++;
  if (commands === 0) return;
  if (conn.commands === 0) pending.push(conn);
  conn.commands += commands;
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function flush() {
  flushScheduled = false;
  for (let i = 0; i < pending.length; i++) {
    const conn = pending[i];
    const len = conn.commands * 5;
    conn.commands = 0;
    if (len > out.length) out = Buffer.allocUnsafe(len);
    for (let k = 0; k < len; k++) out[k] = OK[k % 5];
    // A queued write keeps its buffer: take a new one for the next reply.
    if (writeTo(conn.sock, conn.handle, out.subarray(0, len), owner) === 1) out = Buffer.allocUnsafe(out.length);
  }
  pending.length = 0;
}

const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (accepted) => {
  const conn = { sock: null, handle: null, commands: 0 };
  conn.sock = adoptWithSharedReads(accepted, readBuffer, (n) => onRead(conn, n));
  conn.handle = socketHandle(conn.sock);
  conn.sock.setNoDelay(true);
  conn.sock.on('error', () => conn.sock.destroy());
  conn.sock.resume();
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
