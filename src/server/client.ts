// Per-connection state and the input/output loop of one client.
//
// Input: bytes are parsed straight from each received chunk and every
// complete command runs through the server's one dispatch path.
// Output: handlers append to `reply`; the buffer is written to the socket once
// per event-loop turn (Server.flushPending), not once per command.

import type { Socket } from 'node:net';
import { RespParser } from '../protocol/parser.js';
import { Reply } from '../protocol/reply.js';
import type { Db } from '../db/keyspace.js';
import type { Server } from './server.js';
import type { Command } from '../commands/types.js';
import { socketHandle, writeTo, WriteResult, pendingBytes, queuedBytes, type SocketHandle } from './socket-io.js';
import { monotonicMs } from '../util/clock.js';
import { QueryBufModel } from './querybuf.js';
import { settleUntimed, oneLine } from '../commands/dispatch.js';
import type { MultiState } from '../commands/multi.js';
import type { WatchedKey } from './watch.js';
import type { ClientPubSub } from './pubsub.js';
import { closeIfOverOutputLimit } from './obuf.js';
import type { User } from './acl.js';

/** Client flags (a subset of Redis's CLIENT_* flags; CLIENT LIST shows them as letters). */
export const enum ClientFlag {
  Multi = 1 << 0, // x
  DirtyCas = 1 << 1, // d: a WATCHed key was touched, EXEC will fail
  DirtyExec = 1 << 2, // a command was rejected while queueing, EXEC will abort
  CloseAfterReply = 1 << 3, // c
  Blocked = 1 << 4, // b
  PubSub = 1 << 5, // P
  Monitor = 1 << 6, // O
  NoEvict = 1 << 7, // e
  NoTouch = 1 << 8, // T
  ReplyOff = 1 << 9,
  ReplySkip = 1 << 10,
  ReplySkipNext = 1 << 11,
  Master = 1 << 12, // M
  Replica = 1 << 13, // S
  Readonly = 1 << 14, // r
  Tracking = 1 << 15, // t
  Unblocked = 1 << 16, // u
  Unix = 1 << 17, // U
  CloseAsap = 1 << 18, // A
  Fake = 1 << 19, // scripts, AOF loading
  Script = 1 << 20,
  Paused = 1 << 21, // held by CLIENT PAUSE
  Reprocessing = 1 << 22, // a blocked command running again once its keys are ready
}

export class Client {
  readonly id: number;
  readonly parser: RespParser;
  readonly reply = new Reply();
  db: Db;
  flags = 0;
  name = '';
  libName = '';
  libVer = '';
  /** ACL user name (CLIENT LIST user=). */
  user = 'default';
  /** The ACL user whose permissions apply (null: unrestricted, e.g. a replication or loading client). */
  aclUser: User | null;
  /** Authenticated as aclUser (Redis's c->authenticated): commands need it while the default user has a password. */
  authenticated: boolean;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  /** Last command executed (CLIENT LIST cmd=). */
  lastCmd: Command | null = null;
  /** Command being run (for errors that name it). */
  cmd: Command | null = null;
  /** Set by a handler to propagate a different command than it received (EXPIRE -> PEXPIREAT, ...). */
  propagateArgv: string[] | null = null;
  /** Arguments of the command being run (set by call(); a blocked command keeps them for re-execution). */
  argv: string[] = [];
  /** Peer address 'ip:port' and local address, as CLIENT LIST shows them. */
  addr = '';
  laddr = '';
  /** Queued on Server.pendingWrite. */
  pendingWrite = false;
  closed = false;
  /** Pub/Sub: channels, patterns and shard channels this client is subscribed to (src/server/pubsub.ts). */
  pubsub: ClientPubSub | null = null;
  /**
   * Push messages (pub/sub messages, invalidations) for this client produced
   * while its own command runs: they follow the command's reply (Redis 7.2's
   * pending_push_messages), appended by call() when the command ends.
   */
  pendingPush: Buffer[] | null = null;
  /** Client-side caching (src/server/tracking.ts): TrackingOpt bits, the redirect client id, BCAST prefixes. */
  tracking = 0;
  trackingRedirect = 0;
  trackingPrefixes: Set<string> | null = null;
  /** The last flush left bytes in the socket's write queue (a slow reader): see outputBytes(). */
  writeQueued = false;
  /** When the output first stayed over the soft limit of its class (unix seconds, 0: not over). */
  obufSoftSince = 0;
  /** Blocked state (owned by src/server/blocking.ts). */
  blocking: unknown = null;
  /** The transaction being queued while ClientFlag.Multi is set (src/commands/multi.ts); kept, empty, after. */
  multi: MultiState | null = null;
  /** WATCHed keys, by db id and key (src/server/watch.ts); null when none. */
  watchedKeys: Map<string, WatchedKey> | null = null;
  /**
   * reply.errors when the last call() of this client ended (or the current
   * one began): a command failed if it wrote an error after that, so an EXEC
   * is not counted as failed for its inner commands' errors (Redis's
   * incrCommandStatsOnError).
   */
  errorsSeen = 0;
  /** Total bytes read from and written to this client (INFO stats, CLIENT LIST tot-net-*). */
  netIn = 0;
  netOut = 0;
  /** Commands processed (CLIENT LIST tot-cmds). */
  commands = 0;
  /** µs the pending blocked command has run so far (its stats are recorded when it ends). */
  blockedUsec = 0;
  /** The socket's handle for writeTo, read once (see socketHandle). */
  handle: SocketHandle = null;
  /** Redis's query buffer as it would be for this client (CLIENT LIST qbuf-free). */
  readonly queryBuf = new QueryBufModel();

  constructor(
    public readonly server: Server,
    public readonly socket: Socket | null,
  ) {
    this.id = server.nextClientId++;
    this.db = server.keyspace.dbs[0];
    // A new connection is the default user, authenticated if that user needs no password (Redis's createClient).
    const du = server.acl.defaultUser;
    this.aclUser = du;
    // A fake client (no socket: scripts, loading) runs commands on behalf of someone already let in.
    this.authenticated = socket === null || (du.nopass && du.enabled);
    this.parser = new RespParser({ maxBulkLen: server.protoMaxBulkLen, authenticated: !server.acl.authRequired || this.authenticated });
    this.reply.onError = server.recordError;
    // Output limits apply while a reply is built: past one, the client is closing and its reply stops growing.
    this.reply.onChunk = () => {
      if (closeIfOverOutputLimit(this, true)) this.reply.enabled = false;
    };
    if (socket) {
      this.handle = socketHandle(socket);
      const ra = socket.remoteAddress;
      if (ra === undefined) {
        this.flags |= ClientFlag.Unix;
        this.addr = (server.config.str('unixsocket') || '') + ':0';
        this.laddr = this.addr;
      } else {
        this.addr = formatAddr(ra, socket.remotePort ?? 0);
        this.laddr = formatAddr(socket.localAddress ?? '', socket.localPort ?? 0);
      }
    }
  }

  get resp(): 2 | 3 {
    return this.reply.resp;
  }

  setAuthenticated(yes: boolean): void {
    this.authenticated = yes;
    this.parser.limits.authenticated = yes || !this.server.acl.authRequired;
  }

  setUser(u: User | null, name: string): void {
    this.aclUser = u;
    this.user = name;
  }

  /** Closes the client at the end of this event-loop turn (Redis's freeClientAsync). */
  closeAsync(): void {
    if (this.closed) return;
    this.flags |= ClientFlag.CloseAsap;
    this.server.markPendingWrite(this);
  }

  /** Called with each chunk read from the socket: the first `length` bytes of `chunk` (a shared buffer). */
  onData(chunk: Buffer, length = chunk.length): void {
    const server = this.server;
    const stats = server.stats;
    this.netIn += length;
    stats.totalReads++;
    stats.netInputBytes += length;
    // The heap guard re-measures the heap every `step` bytes of input (src/server/memory.ts).
    if (stats.netInputBytes >= server.memory.nextCheckAt) server.memory.check(server);
    // One clock read for the whole batch of pipelined commands in this chunk.
    const ks = server.keyspace;
    const t = monotonicMs();
    ks.tick(t);
    ks.clockFresh = true;
    server.chainClock = t;
    this.lastInteraction = ks.now;
    const parser = this.parser;
    const qb = this.queryBuf;
    qb.beforeRead(parser.queryLength, parser.bigRemaining);
    qb.afterRead(parser.queryLength, length);
    const bigTaken = parser.bigTaken;
    parser.feed(chunk, length);
    try {
      this.processInput();
    } catch (e) {
      // Handlers' exceptions are contained in call(); this is one outside a
      // handler (dispatch, a wake-up after the command): the client, whose
      // state is unknown now, gets an error and is closed; the server goes on.
      server.internalError('input processing', e, null, this);
      this.reply.error('ERR internal error while processing input: ' + oneLine(e));
      this.flags |= ClientFlag.CloseAfterReply;
    } finally {
      // chunk is a view of the server's shared read buffer: keep no reference to it.
      parser.detach();
    }
    if (parser.bigTaken !== bigTaken) qb.bigArgumentTaken(parser.lastBigLen);
    if (parser.bigRemaining > 0) qb.bigArgument(parser.queryLength, parser.pendingBulk);
    if (server.untimedCount !== 0) settleUntimed(server, monotonicMs());
    ks.clockFresh = false;
    server.chainClock = -1;
    if (this.reply.size > 0 || (this.flags & ClientFlag.CloseAfterReply) !== 0) server.markPendingWrite(this);
  }

  /**
   * Runs every complete command in the input buffer, unless the client is
   * blocked or paused (its further input waits, as in Redis).
   */
  processInput(): void {
    const server = this.server;
    const parser = this.parser;
    while ((this.flags & (ClientFlag.Blocked | ClientFlag.Paused | ClientFlag.CloseAfterReply | ClientFlag.CloseAsap)) === 0) {
      const argv = parser.next();
      if (argv === null) break;
      server.processCommand(this, argv);
    }
    if (parser.error !== null && (this.flags & ClientFlag.CloseAfterReply) === 0) {
      server.log.verbose(`Protocol error (${parser.error}) from client: ${this.describe()}`);
      this.reply.error('ERR ' + parser.error);
      this.flags |= ClientFlag.CloseAfterReply;
      server.markPendingWrite(this);
    } else if (parser.pending > server.queryBufferLimit) {
      server.log.warning(`Closing client that reached max query buffer length: ${this.describe()}`);
      this.close();
    }
  }

  /**
   * Output bytes not yet taken by the kernel, past the reply buffer being
   * filled (CLIENT LIST omem): queued reply chunks and the socket's write
   * queue. Output limits count this figure, as Redis counts its reply list
   * but not its 16 KB static buffer.
   */
  outputBytes(): number {
    const r = this.reply;
    return this.writeQueued && this.socket !== null ? r.chunksBytes + queuedBytes(this.socket, this.handle) : r.chunksBytes;
  }

  /** Writes pending output to the socket. */
  flush(): void {
    const r = this.reply;
    this.pendingWrite = false;
    if (this.closed || !this.socket) {
      r.len = 0;
      return;
    }
    // Over its output buffer limit (src/server/obuf.ts): closed, its pending output dropped.
    if ((this.flags & ClientFlag.CloseAsap) !== 0) return this.close();
    if (r.size > 0) {
      // Output past Redis's 16 KB reply buffer, or behind a slow reader, is checked against the limit before it is written.
      if ((r.size > 16384 || this.writeQueued) && closeIfOverOutputLimit(this, false, true)) return;
      const bytes = r.size;
      this.netOut += bytes;
      this.server.stats.totalWrites++;
      this.server.stats.netOutputBytes += bytes;
      const sock = this.socket;
      if (r.chunks.length === 0) {
        const res = writeTo(sock, this.handle, r.view(), this);
        if (res === WriteResult.Done) {
          r.reuse();
          this.writeQueued = false;
        } else if (res === WriteResult.Queued) {
          r.drain();
          this.writeQueued = true;
        } else return this.writeFailed();
      } else {
        let queued = false;
        for (const b of r.drain()) {
          const res = writeTo(sock, this.handle, b, this);
          if (res === WriteResult.Failed) return this.writeFailed();
          if (res === WriteResult.Queued) queued = true;
        }
        this.writeQueued = queued;
      }
      if (this.writeQueued && closeIfOverOutputLimit(this, false)) return;
    }
    if ((this.flags & ClientFlag.CloseAfterReply) !== 0) this.close();
  }

  /** The socket failed under a write: the client goes away (Redis frees it on a write error). */
  writeFailed(): void {
    if (this.socket && !this.socket.destroyed) this.socket.destroy();
    this.close();
  }

  /** Closes the connection and releases everything the client holds. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.unlinkClient(this);
    const sock = this.socket;
    if (sock && !sock.destroyed) {
      // Closed after its last reply (QUIT, a protocol error, CLIENT KILL of
      // itself): the connection closes once the reply reached the kernel, as
      // Redis close()s the fd; a half-close would let a client that keeps
      // sending (a protocol desync) be read forever.
      if ((this.flags & ClientFlag.CloseAfterReply) !== 0 && pendingBytes(sock) > 0) {
        sock.end();
        sock.once('finish', () => sock.destroy());
      } else sock.destroy();
    }
  }

  /** A short description for log lines (like Redis's catClientInfoString, abridged). */
  describe(): string {
    return `id=${this.id} addr=${this.addr} laddr=${this.laddr} name=${this.name}`;
  }
}

function formatAddr(ip: string, port: number): string {
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  return `${ip}:${port}`;
}
