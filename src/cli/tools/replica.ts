// --replica and --rdb / --functions-rdb: spinel-cli acts as a replica. It
// asks for a full synchronization (SYNC) and then either saves the RDB
// payload to a file, or skips it and prints the commands the master
// propagates. Against a server without SYNC (Spinel today) they fail the way
// redis-cli fails: "SYNC with master failed: -ERR unknown command ...".

import fs from 'node:fs';
import type { Cli } from '../cli.js';
import { strerror } from '../connection.js';
import { T } from '../resp.js';
import { Output } from '../format.js';
import * as io from '../io.js';

const RDB_EOF_MARK_SIZE = 40;

/** REPLCONF arg1 arg2, announced on stderr; false when the server refused it. */
async function sendReplconf(cli: Cli, arg1: string, arg2: string): Promise<boolean> {
  io.err(`sending REPLCONF ${arg1} ${arg2}\n`);
  let r;
  try {
    r = await cli.conn!.command('REPLCONF', arg1, arg2);
  } catch {
    io.err('\nI/O error\n');
    io.exit(1);
  }
  if (r.type === T.Error) {
    io.err(`REPLCONF ${arg1} error: ${r.str}\n`);
    return false;
  }
  return true;
}

/** Reads the raw stream of the connection (the payload is not RESP). */
class RawStream {
  private chunks: Buffer[] = [];
  private size = 0;
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(private readonly cli: Cli) {
    const conn = cli.conn!;
    // Bytes the RESP reader already holds come first.
    const held = conn.reader.takeRaw();
    if (held.length > 0) this.push(held);
    conn.rawListener = (d) => this.push(d);
    conn.socket.on('close', () => {
      this.ended = true;
      this.poke();
    });
  }

  private push(d: Buffer): void {
    this.chunks.push(d);
    this.size += d.length;
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Up to max bytes (at least one); null at end of stream. */
  async read(max: number): Promise<Buffer | null> {
    while (this.size === 0) {
      if (this.ended) return null;
      await new Promise<void>((r) => (this.wake = r));
    }
    let b = this.chunks[0];
    if (b.length > max) {
      this.chunks[0] = b.subarray(max);
      b = b.subarray(0, max);
    } else {
      this.chunks.shift();
    }
    this.size -= b.length;
    return b;
  }

  /** Gives the rest back to the RESP reader. */
  release(): void {
    const conn = this.cli.conn!;
    conn.rawListener = null;
    for (const c of this.chunks) conn.reader.feed(c);
    this.chunks = [];
    this.size = 0;
  }
}

/** Sends SYNC and reads the "$<len>" or "$EOF:<mark>" line: [length, eof mark]. */
async function sendSync(cli: Cli, stream: RawStream, sendSyncCmd: boolean): Promise<[bigint, string | null]> {
  if (sendSyncCmd) cli.conn!.write('SYNC\r\n');
  let line = '';
  for (;;) {
    const b = await stream.read(1);
    if (b === null) {
      io.err('Error reading bulk length while SYNCing\n');
      io.exit(1);
    }
    const ch = b.toString('latin1');
    if (ch === '\n' && line !== '') break;
    if (ch !== '\n') line += ch;
  }
  if (line.startsWith('-')) {
    io.err(`SYNC with master failed: ${line}\n`);
    io.exit(1);
  }
  const body = line.slice(1);
  if (body.startsWith('EOF:') && body.length - 4 >= RDB_EOF_MARK_SIZE) return [0n, body.slice(4, 4 + RDB_EOF_MARK_SIZE)];
  const m = /^\d+/.exec(body);
  return [m ? BigInt(m[0]) : 0n, null];
}

/** Consumes the payload: to a file descriptor, or nowhere. Returns the bytes read. */
async function consumePayload(stream: RawStream, length: bigint, mark: string | null, sink: ((b: Buffer) => void) | null, readError: string): Promise<bigint> {
  let remaining = mark === null ? length : -1n;
  let total = 0n;
  let last = '';
  while (mark !== null || remaining > 0n) {
    const want = remaining > 0n && remaining < 65536n ? Number(remaining) : 65536;
    const b = await stream.read(want);
    if (b === null) {
      io.err(readError);
      io.exit(1);
    }
    sink?.(b);
    total += BigInt(b.length);
    if (remaining > 0n) remaining -= BigInt(b.length);
    if (mark !== null) {
      last = (last + b.toString('latin1')).slice(-RDB_EOF_MARK_SIZE);
      if (last === mark) break;
    }
  }
  return total;
}

export async function replicaMode(cli: Cli): Promise<never> {
  await sendReplconf(cli, 'capa', 'eof');
  await sendReplconf(cli, 'rdb-filter-only', '');
  await slaveMode(cli, true);
  io.exit(0);
}

/** Logs the replication stream (also run when SYNC or PSYNC is typed as a command). */
export async function slaveMode(cli: Cli, sendSyncCmd: boolean): Promise<void> {
  const c = cli.config;
  const stream = new RawStream(cli);
  const [length, mark] = await sendSync(cli, stream, sendSyncCmd);
  const what = 'Full resync with master';
  if (mark !== null) io.err(`${what}, discarding bytes of bulk transfer until EOF marker...\n`);
  else io.err(`${what}, discarding ${length} bytes of bulk transfer...\n`);
  const read = await consumePayload(stream, length, mark, null, 'Error reading RDB payload while SYNCing\n');
  stream.release();
  if (mark !== null) {
    io.err(`${what} done after ${read} bytes. Logging commands from master.\n`);
    // Put the replica online.
    await new Promise((r) => setTimeout(r, 1000));
    io.err('sending REPLCONF ACK 0\n');
    cli.conn!.send(['REPLCONF', 'ACK', '0']);
  } else {
    io.err(`${what} done. Logging commands from master.\n`);
  }
  const original = c.output;
  c.output = Output.Csv;
  while (await cli.readReply(false));
  c.output = original;
}

export async function getRdbMode(cli: Cli): Promise<never> {
  const c = cli.config;
  await sendReplconf(cli, 'capa', 'eof');
  await sendReplconf(cli, 'rdb-only', '1');
  if (c.getFunctionsRdbMode && !(await sendReplconf(cli, 'rdb-filter-only', 'functions'))) {
    io.err('Failed requesting functions only RDB from server, aborting\n');
    io.exit(1);
  }
  const filename = c.rdbFilename!;
  const stream = new RawStream(cli);
  const [length, mark] = await sendSync(cli, stream, true);
  if (mark !== null) io.err(`SYNC sent to master, writing bytes of bulk transfer until EOF marker to '${filename}'\n`);
  else io.err(`SYNC sent to master, writing ${length} bytes to '${filename}'\n`);
  const toStdout = filename === '-';
  let fd = 1;
  if (!toStdout) {
    try {
      fd = fs.openSync(filename, fs.constants.O_CREAT | fs.constants.O_WRONLY, 0o644);
    } catch (e) {
      io.err(`Error opening '${filename}': ${strerror(e)}\n`);
      io.exit(1);
    }
  }
  io.flush();
  const sink = (b: Buffer): void => {
    let off = 0;
    while (off < b.length) off += fs.writeSync(fd, b, off);
  };
  let total = await consumePayload(stream, length, mark, sink, 'I/O Error reading RDB payload from socket\n');
  if (mark !== null) {
    total -= BigInt(RDB_EOF_MARK_SIZE);
    if (!toStdout) {
      try {
        fs.ftruncateSync(fd, Number(total));
      } catch (e) {
        io.err(`ftruncate failed: ${strerror(e)}.\n`);
      }
    }
    io.err(`Transfer finished with success after ${total} bytes\n`);
  } else {
    io.err('Transfer finished with success.\n');
  }
  cli.conn!.close();
  if (!toStdout) {
    try {
      fs.fsyncSync(fd);
    } catch (e) {
      io.err(`Fail to fsync '${filename}': ${strerror(e)}\n`);
      io.exit(1);
    }
    fs.closeSync(fd);
  }
  io.exit(0);
}
