// The server: listeners, the client registry, the cron, and the shared state
// command handlers reach through `c.server`. Several servers can live in one
// process (tests, embedding); nothing here is a module-level singleton.

import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { Config } from '../config/config.js';
import { Keyspace, type Db } from '../db/keyspace.js';
import { commandTable, type CommandTable } from '../commands/table.js';
import { processCommand, type DispatchHooks } from '../commands/dispatch.js';
import { Client, ClientFlag } from './client.js';
import type { Command } from '../commands/types.js';
import { Logger } from './log.js';
import { Slowlog } from './slowlog.js';
import { ScanCursors } from '../db/scan.js';
import { activeExpireCycle } from '../db/expire.js';
import { infoMetrics } from './info.js';
import { MemoryGuard } from './memory.js';
import { resyncWallClock, wallMs } from '../util/clock.js';
import { adoptWithSharedReads } from './socket-io.js';
import { touchWatchedKey, touchAllWatchedKeysInDb, unwatchAllKeys } from './watch.js';
import { discardTransaction } from '../commands/multi.js';
import type { HashLimits } from '../types/hash.js';
import type { SetLimits } from '../types/set.js';
import type { OutputLimits } from '../config/values.js';
import { PubSub } from './pubsub.js';
import { Tracking } from './tracking.js';
import { installKeyspaceNotifications } from './notify.js';
import { closeIfOverOutputLimit } from './obuf.js';
import { PersistenceState } from '../persistence/state.js';
import { Acl } from './acl.js';
import { tlsSetup, applyTlsSetup, refusedOptionalCert } from './tls.js';

export { SPINEL_VERSION } from '../version.js';

const DENIED_MSG =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: ' +
  "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
  "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
  "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n';

export interface ServerStats {
  totalConnections: number;
  rejectedConnections: number;
  totalCommands: number;
  netInputBytes: number;
  netOutputBytes: number;
  totalErrorReplies: number;
  unexpectedErrorReplies: number;
  /** Read and write events on client sockets (INFO total_reads_processed / total_writes_processed). */
  totalReads: number;
  totalWrites: number;
  /** Exceptions contained by the server (a handler or a task that threw): INFO internal_errors. */
  internalErrors: number;
}

/** A periodic task run by the cron at `hz` (active expiry, client timeouts, ...). */
export type CronTask = (server: Server) => void;

/** A command whose duration is settled later (see Server.untimed). */
export interface UntimedCall {
  c: Client | null;
  cmd: Command | null;
  argv: string[] | null;
}

/** Collection encoding thresholds (OBJECT ENCODING conversions), from the config. */
export interface EncodingLimits {
  /** list-max-listpack-size */
  listFill: number;
  hash: HashLimits;
  set: SetLimits;
  zsetEntries: number;
  zsetValue: number;
}

const ENCODING_PARAMS = [
  'list-max-listpack-size',
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'set-max-intset-entries',
  'set-max-listpack-entries',
  'set-max-listpack-value',
  'zset-max-listpack-entries',
  'zset-max-listpack-value',
];

/** The thresholds as configured; a parameter missing from the config table keeps Redis's default. */
/**
 * Redis's incrementallyRehash (databasesCron): with activerehashing on, each
 * cron run spends up to 1 ms moving entries of a growing keyspace dict, so a
 * growth finishes even when few writes come (src/types/dict.ts).
 */
function incrementallyRehash(server: Server): void {
  if (server.config.bool('activerehashing')) server.keyspace.rehashCron(1);
}

function encodingLimits(config: Config): EncodingLimits {
  const read = (name: string, def: number): number => {
    const v = config.get<number | bigint | undefined>(name);
    return v === undefined ? def : Number(v);
  };
  return {
    listFill: read('list-max-listpack-size', -2),
    hash: { listpackEntries: read('hash-max-listpack-entries', 512), listpackValue: read('hash-max-listpack-value', 64) },
    set: {
      intsetEntries: read('set-max-intset-entries', 512),
      listpackEntries: read('set-max-listpack-entries', 128),
      listpackValue: read('set-max-listpack-value', 64),
    },
    zsetEntries: read('zset-max-listpack-entries', 128),
    zsetValue: read('zset-max-listpack-value', 64),
  };
}

export class Server {
  readonly config: Config;
  readonly keyspace: Keyspace;
  readonly commands: CommandTable;
  readonly log = new Logger();
  readonly clients = new Map<number, Client>();
  nextClientId = 1;
  readonly startTime = Date.now();
  readonly runId = crypto.randomBytes(20).toString('hex');
  /** Replication ID and the previous one (INFO replication, PSYNC; DEBUG CHANGE-REPL-ID renews them). */
  replId = crypto.randomBytes(20).toString('hex');
  replId2 = '0000000000000000000000000000000000000000';
  readonly stats: ServerStats = {
    totalConnections: 0,
    rejectedConnections: 0,
    totalCommands: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    totalErrorReplies: 0,
    unexpectedErrorReplies: 0,
    totalReads: 0,
    totalWrites: 0,
    internalErrors: 0,
  };
  /** Error code ('ERR', 'WRONGTYPE') -> count (INFO errorstats). */
  readonly errorStats = new Map<string, number>();
  /** Changes since the last save (Redis's server.dirty); handlers add one per change. */
  dirty = 0;
  /** Clock (performance.now) at the end of the last timed command of the current read batch; -1 outside one. */
  chainClock = -1;
  /**
   * Fast commands of the current batch run since chainClock and not timed
   * yet: dispatch.ts times a run of them with one clock read (settleUntimed).
   */
  readonly untimed: UntimedCall[] = [];
  untimedCount = 0;
  /** Nesting of call() (EXEC and scripts call commands from inside a command). */
  callDepth = 0;
  /** Inside a timed call(): the clock at the end of its last nested call (or its start), where the next one starts; -1 outside. */
  nestedClock = -1;
  /** Kept by server/blocking.ts for INFO: blocked clients (blocked_clients), keys with waiters
   *  (total_blocking_keys), of which waited on by commands that also wake on deletion (total_blocking_keys_on_nokey). */
  blockedClients = 0;
  blockingKeys = 0;
  blockingKeysOnNokey = 0;
  readonly slowlog = new Slowlog();
  /** Suspended SCAN/HSCAN/SSCAN/ZSCAN iterations. */
  readonly scanCursors = new ScanCursors();
  /** DEBUG SET-ACTIVE-EXPIRE: when false the cron does not expire keys actively. */
  activeExpireEnabled = true;
  /** DEBUG QUICKLIST-PACKED-THRESHOLD: list elements at least this big go in their own plain node (bytes). */
  quicklistPackedThreshold = 1 << 30;
  readonly monitors = new Set<Client>();
  /** CLIENT PAUSE (commands/client.ts): 0 none, 1 WRITE, 2 ALL; processCommand parks matching commands. */
  pauseType = 0;
  /** Clients parked by CLIENT PAUSE with the command they sent, released in order when it ends. */
  readonly pausedClients: { c: Client; cmd: Command; argv: string[] }[] = [];
  /** The memory limit the dispatcher checks: the heap guard (src/server/memory.ts), where maxmemory will join it. */
  readonly memory = new MemoryGuard();
  readonly dispatchHooks: DispatchHooks = { checkAcl: null, checkAclAtExec: null };
  /** ACL users, the permission checks and the ACL log (src/server/acl.ts). */
  readonly acl: Acl;
  /**
   * Receivers of propagated writes (AOF, replicas): each command with the db
   * it applies to; MULTI and EXEC around a unit's several commands come with
   * dbid -1 (no SELECT for them: the commands inside carry their db).
   */
  readonly propagateTargets: ((dbid: number, argv: string[]) => void)[] = [];
  /**
   * What the current execution unit (a top-level call(): a command, an EXEC
   * with its commands) propagated so far, sent when it ends
   * (propagatePending), like Redis's server.also_propagate.
   */
  readonly pendingPropagation: { dbid: number; argv: string[] }[] = [];
  /** Tasks the cron runs `hz` times a second. */
  readonly cronTasks: CronTask[] = [];
  /** Run after every command from processCommand (e.g. serve clients blocked on keys made ready). */
  readonly afterCommandTasks: ((c: Client) => void)[] = [];
  /** Cleanup hooks run by RESET (MULTI, WATCH, pub/sub, tracking modules). */
  readonly clientResetHooks: ((c: Client) => void)[] = [];
  /** Pub/Sub channels, patterns and delivery (src/server/pubsub.ts). */
  readonly pubsub = new PubSub();
  /** Client-side caching (src/server/tracking.ts). */
  readonly tracking: Tracking;
  /**
   * The client whose command is running (set by the outermost call()): push
   * messages for it wait until its reply is written, invalidations for it
   * too, and NOLOOP tracking skips it.
   */
  currentClient: Client | null = null;
  /** client-output-buffer-limit, per class (src/server/obuf.ts). */
  obufLimits: OutputLimits;
  /** True when this server replicates from a master. */
  isReplica = false;
  /** Last successful save (LASTSAVE), seconds. */
  lastSave = Math.floor(Date.now() / 1000);
  /** RDB save and load figures (INFO persistence), DEBUG's checksum switch. */
  readonly persistence = new PersistenceState();

  // Config values cached for the hot path.
  protoMaxBulkLen: number;
  slowlogThreshold: number;
  latencyTracking: boolean;
  queryBufferLimit: number;
  /** Collection encoding thresholds, read by every collection write; replaced when CONFIG SET changes one. */
  encoding: EncodingLimits;

  private readonly pendingWrite: (Client | null)[] = [];
  private pendingCount = 0;
  private flushScheduled = false;
  private listeners: net.Server[] = [];
  private cronTimer: NodeJS.Timeout | null = null;
  /** Port actually bound (useful when tests ask for a free port). */
  boundPort = 0;
  /**
   * An embedded server (createServer) with `port 0` listens on a port the
   * system picks, then reports it as its port; spinel-server keeps Redis's
   * meaning of `port 0` (no TCP listener).
   */
  ephemeralPort = false;
  shuttingDown = false;
  /**
   * Set while a script runs past busy-reply-threshold (src/scripting): the
   * -BUSY error processCommand answers to commands without allow-busy.
   */
  busyError: string | null = null;

  constructor(config: Config = new Config()) {
    this.config = config;
    this.keyspace = new Keyspace(config.num('databases'));
    this.commands = commandTable();
    this.acl = new Acl(this);
    this.dispatchHooks.checkAcl = this.acl.checkCommand;
    this.dispatchHooks.checkAclAtExec = this.acl.checkAtExec;
    this.protoMaxBulkLen = config.num('proto-max-bulk-len');
    this.slowlogThreshold = config.num('slowlog-log-slower-than');
    this.latencyTracking = config.bool('latency-tracking');
    this.queryBufferLimit = config.num('client-query-buffer-limit');
    this.obufLimits = config.get<OutputLimits>('client-output-buffer-limit');
    config.onChange('client-output-buffer-limit', (_, v) => (this.obufLimits = v as OutputLimits));
    config.onChange('client-query-buffer-limit', (_, v) => (this.queryBufferLimit = v as number));
    config.onChange('proto-max-bulk-len', (_, v) => {
      this.protoMaxBulkLen = v as number;
      for (const c of this.clients.values()) c.parser.limits.maxBulkLen = v as number;
    });
    config.onChange('slowlog-log-slower-than', (_, v) => (this.slowlogThreshold = v as number));
    config.onChange('latency-tracking', (_, v) => (this.latencyTracking = v as boolean));
    config.onChange('loglevel', (_, v) => this.log.setLevel(v as string));
    config.onChange('hz', () => this.startCron());
    const lfuParams = (): void => {
      const ks = this.keyspace;
      ks.lfu = config.str('maxmemory-policy').endsWith('-lfu');
      ks.lfuLogFactor = config.num('lfu-log-factor');
      ks.lfuDecayTime = config.num('lfu-decay-time');
    };
    lfuParams();
    for (const name of ['maxmemory-policy', 'lfu-log-factor', 'lfu-decay-time']) config.onChange(name, lfuParams);
    this.encoding = encodingLimits(config);
    for (const name of ENCODING_PARAMS) config.onChange(name, () => (this.encoding = encodingLimits(config)));
    this.log.setLevel(config.str('loglevel'));
    this.log.file = config.str('logfile');
    this.keyspace.hooks = {
      modified: (db, key) => {
        if (db.watchedKeys.size !== 0) touchWatchedKey(db, key);
      },
      notify: () => {},
      ready: () => {},
      propagate: (dbid, argv) => this.propagate(dbid, argv),
      flushed: (db, replacedWith) => touchAllWatchedKeysInDb(db, replacedWith),
    };
    // RESET leaves MULTI and unwatches; a closed client stops watching.
    this.clientResetHooks.push(discardTransaction);
    this.clientCloseHooks.push(unwatchAllKeys);
    this.tracking = new Tracking(this);
    installKeyspaceNotifications(this);
    this.clientCloseHooks.push((c) => this.pubsub.dropClient(c));
    this.clientResetHooks.push((c) => this.pubsub.dropClient(c));
    this.cronTasks.push(activeExpireCycle, incrementallyRehash);
    // Tracking table size: also checked before each command, but a CONFIG SET of the limit must apply on an idle server.
    this.cronTasks.push((s) => {
      if (s.tracking.clients !== 0) s.tracking.limitTableSize();
    });
    this.cronTasks.push((s) => s.memory.check(s));
    const warnMaxmemory = (): void => {
      const w = this.memory.maxmemoryWarning(Number(config.get<number | bigint | undefined>('maxmemory') ?? 0));
      if (w !== null) this.log.warning(w);
    };
    warnMaxmemory();
    config.onChange('maxmemory', warnMaxmemory);
    // INFO's sampled metrics (instantaneous_*, memory peak) start with the server.
    infoMetrics(this);
  }

  /** True while unauthenticated clients must AUTH: the default user has a password or is off (Redis's authRequired). */
  requiresAuth(): boolean {
    return this.acl.authRequired;
  }

  processCommand(c: Client, argv: string[]): void {
    processCommand(c, argv);
  }

  /** Runs after each command processCommand dispatched. */
  afterCommand(c: Client): void {
    const tasks = this.afterCommandTasks;
    for (let i = 0; i < tasks.length; i++) tasks[i](c);
  }

  /** Counts an error reply by its code (the first word). Bound once: passed to every client's Reply. */
  readonly recordError = (msg: string): void => {
    this.stats.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp < 0 ? msg : msg.slice(0, sp);
    const n = this.errorStats.get(code);
    if (n !== undefined) this.errorStats.set(code, n + 1);
    else if (this.errorStats.size < 128) this.errorStats.set(code, 1);
  };

  /** A rejected command inside MULTI makes EXEC fail (EXECABORT). */
  flagTransactionError(c: Client): void {
    if ((c.flags & ClientFlag.Multi) !== 0) c.flags |= ClientFlag.DirtyExec;
  }

  /**
   * Sends a write to AOF and replicas: at the end of the current execution
   * unit when a command is running, at once otherwise (active expiry).
   */
  propagate(dbid: number, argv: string[]): void {
    if (this.callDepth !== 0) this.alsoPropagate(dbid, argv);
    else this.propagateNow(dbid, argv);
  }

  /** Adds a write to the current execution unit's (Redis's alsoPropagate). */
  alsoPropagate(dbid: number, argv: string[]): void {
    if (this.propagateTargets.length !== 0) this.pendingPropagation.push({ dbid, argv });
  }

  /**
   * Sends what the execution unit that just ended propagated: one command as
   * it is, several wrapped in MULTI ... EXEC so AOF and replicas apply them
   * as one (Redis's propagatePendingCommands), unless `transaction` is false.
   */
  propagatePending(transaction = true): void {
    const ops = this.pendingPropagation;
    const wrap = transaction && ops.length > 1;
    if (wrap) this.propagateNow(-1, ['MULTI']);
    for (let i = 0; i < ops.length; i++) this.propagateNow(ops[i].dbid, ops[i].argv);
    if (wrap) this.propagateNow(-1, ['EXEC']);
    ops.length = 0;
  }

  private propagateNow(dbid: number, argv: string[]): void {
    const t = this.propagateTargets;
    for (let i = 0; i < t.length; i++) t[i](dbid, argv);
  }

  /** Queues a client whose output must be written at the end of this turn. */
  markPendingWrite(c: Client): void {
    if (c.pendingWrite) return;
    c.pendingWrite = true;
    this.pendingWrite[this.pendingCount++] = c;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushPending);
    }
  }

  /** Makes sure flushPending runs at the end of this turn (BCAST invalidations are sent there). */
  requestFlush(): void {
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushPending);
    }
  }

  /** Writes every pending client's output: one socket write per client per turn. */
  readonly flushPending = (): void => {
    this.flushScheduled = false;
    // Keys modified this turn under BCAST prefixes, as Redis sends them in beforeSleep.
    if (this.tracking.bcastPending) this.tracking.broadcast();
    // A count instead of list.length = 0: truncating an array is a runtime call.
    const list = this.pendingWrite;
    for (let i = 0; i < this.pendingCount; i++) {
      const c = list[i];
      list[i] = null;
      c!.flush();
    }
    this.pendingCount = 0;
  };

  /** Removes a closed client from every registry. */
  unlinkClient(c: Client): void {
    this.clients.delete(c.id);
    this.monitors.delete(c);
    for (const fn of this.clientCloseHooks) fn(c);
  }

  /** Cleanup hooks run when a client goes away (pub/sub, blocking, WATCH). */
  readonly clientCloseHooks: ((c: Client) => void)[] = [];

  /** Creates a client for a socket (or a fake client when socket is null). */
  createClient(socket: net.Socket | null): Client {
    const c = new Client(this, socket);
    if (socket) this.clients.set(c.id, c);
    return c;
  }

  /** The checks of a new connection (shutdown, maxclients, protected mode); false when it was refused. */
  private admit(socket: net.Socket, local: boolean): boolean {
    if (this.shuttingDown) {
      socket.destroy();
      return false;
    }
    this.stats.totalConnections++;
    socket.setNoDelay(true);
    const ka = this.config.num('tcp-keepalive');
    if (ka > 0 && !local) socket.setKeepAlive(true, ka * 1000);
    if (this.clients.size >= this.config.num('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return false;
    }
    // Protected mode: while the default user needs no password, only loopback and unix socket clients get in.
    if (!local && this.config.bool('protected-mode') && this.acl.defaultUser.nopass && !isLoopback(socket.remoteAddress)) {
      this.stats.rejectedConnections++;
      socket.end(DENIED_MSG);
      return false;
    }
    return true;
  }

  private onConnection(socket: net.Socket, local: boolean): void {
    if (!this.admit(socket, local)) return;
    // Reads land in one shared buffer; the parser copies out only unfinished tails.
    const srv = (socket as unknown as { server: net.Server }).server;
    let c: Client | null = null;
    // Replies are written after the poll phase (flushPending, scheduled by
    // markPendingWrite), as Redis writes them in beforeSleep: the commands of
    // every ready client run back to back between light read syscalls, and
    // the heavy loopback write path runs after them. Writing each reply right
    // after its read cost ~1-2 µs more CPU per request at -P 1 and 15-30%
    // more for collection writes at -P 16 (docs/performance.md).
    const onRead = (nread: number): void => {
      if (!c!.closed) c!.onData(this.readBuffer, nread);
    };
    const sock = adoptWithSharedReads(socket, this.readBuffer, onRead);
    sock.setNoDelay(true);
    c = this.createClient(sock);
    sock.on('error', () => c!.close());
    sock.on('close', () => {
      // The original socket object never closes: keep net.Server's connection count right.
      if (srv) (srv as unknown as { _connections: number })._connections--;
      c!.close();
    });
    sock.resume();
  }

  /**
   * A client on the TLS port, once its handshake is done. Reads come as the
   * TLS socket's own buffers and replies go through socket.write (the
   * direct handle path of TCP clients would bypass the encryption).
   */
  private onTlsConnection(srv: tls.Server, socket: tls.TLSSocket): void {
    if (refusedOptionalCert(srv, socket)) {
      socket.destroy();
      return;
    }
    if (!this.admit(socket, false)) return;
    const c = this.createClient(socket);
    c.handle = null;
    socket.on('data', (chunk: Buffer) => {
      if (!c.closed) c.onData(chunk, chunk.length);
    });
    socket.on('error', () => c.close());
    socket.on('close', () => c.close());
  }

  /** Opens the TLS listeners (tls-port on every bind address); throws when the TLS setup fails. */
  private async listenTls(port: number, backlog: number): Promise<void> {
    const setup = tlsSetup(this.config);
    for (const spec of this.config.get<string[]>('bind')) {
      const optional = spec.startsWith('-');
      let host = optional ? spec.slice(1) : spec;
      if (host === '*') host = '0.0.0.0';
      if (host === '::*') host = '::';
      const srv = tls.createServer({ ...setup.options, requestCert: setup.auth.requestCert, rejectUnauthorized: setup.auth.rejectUnauthorized });
      applyTlsSetup(srv, setup);
      srv.on('secureConnection', (sock: tls.TLSSocket) => this.onTlsConnection(srv, sock));
      // Failed handshakes (plaintext on the TLS port, a refused certificate) just close that connection.
      srv.on('tlsClientError', (e: Error) => this.log.verbose(`Error accepting a client connection: ${e.message}`));
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ host, port: this.boundTlsPort || port, backlog, ipv6Only: host.includes(':') }, () => {
            srv.off('error', reject);
            srv.on('error', (e) => this.log.warning(`Accept error: ${e.message}`));
            const a = srv.address();
            if (a && typeof a === 'object' && !this.boundTlsPort) this.boundTlsPort = a.port;
            this.listeners.push(srv);
            this.tlsListeners.push(srv);
            resolve();
          });
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (optional && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT' || err.code === 'EINVAL')) continue;
        throw new Error(`Could not create server TLS listening socket ${host}:${port}: bind: ${err.code === 'EADDRINUSE' ? 'Address already in use' : err.message}`);
      }
    }
  }

  /**
   * CONFIG SET of a TLS parameter: the secure context is rebuilt and used for
   * new connections. Returns the error (the caller restores the old values) or null.
   */
  reloadTls(): string | null {
    if (this.tlsListeners.length === 0) return null;
    try {
      const setup = tlsSetup(this.config);
      for (const srv of this.tlsListeners) applyTlsSetup(srv, setup);
      return null;
    } catch (e) {
      this.log.warning((e as Error).message);
      return 'Unable to update TLS configuration. Check server logs.';
    }
  }

  /** TLS listeners (also in `listeners`) and the TLS port they bound. */
  private tlsListeners: tls.Server[] = [];
  boundTlsPort = 0;

  /** Shared read buffer of every client socket (reads are consumed synchronously). */
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024);

  /** Opens the TCP (bind/port) and unix socket listeners. */
  async listen(tcpOnly = false): Promise<void> {
    const port = this.config.num('port');
    const backlog = this.config.num('tcp-backlog');
    if (port !== 0 || this.ephemeralPort) {
      // `bind ""` (no address) opens no TCP listener at all, as in Redis's listenToPort.
      for (const spec of this.config.get<string[]>('bind')) {
        const optional = spec.startsWith('-');
        let host = optional ? spec.slice(1) : spec;
        if (host === '*') host = '0.0.0.0';
        if (host === '::*') host = '::';
        try {
          await this.listenOne({ host, port: this.boundPort || port, backlog, ipv6Only: host.includes(':') }, false);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          if (optional && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT' || err.code === 'EINVAL')) {
            this.log.warning(`Could not create server TCP listening socket ${host}:${port}: ${err.message}`);
            continue;
          }
          throw new Error(`Could not create server TCP listening socket ${host}:${port}: bind: ${err.code === 'EADDRINUSE' ? 'Address already in use' : err.message}`);
        }
      }
      if (port === 0 && this.boundPort !== 0) {
        // The picked port becomes the configured one (CONFIG GET port, INFO tcp_port).
        this.config.setQuiet('port', this.boundPort);
        this.ephemeralPort = false;
      }
    }
    const tlsPort = this.config.num('tls-port');
    if (tlsPort !== 0) await this.listenTls(tlsPort, backlog);
    const us = tcpOnly ? '' : this.config.str('unixsocket');
    if (us) {
      try {
        fs.unlinkSync(us);
      } catch {
        /* not there */
      }
      await this.listenOne({ path: us, backlog }, true);
      const perm = this.config.num('unixsocketperm');
      if (perm) fs.chmodSync(us, perm);
    }
  }

  /**
   * Re-opens the TCP listeners after a port or bind change (CONFIG SET): the
   * old ones are closed first (a bind change may reuse their address). On
   * failure the error is thrown; the caller restores the old values and
   * calls relisten() again.
   */
  async relisten(): Promise<void> {
    const isTcp = (l: net.Server) => typeof l.address() !== 'string';
    const old = this.listeners.filter(isTcp);
    this.listeners = this.listeners.filter((l) => !isTcp(l));
    // close() releases the listening socket at once; its callback would wait for the clients.
    for (const l of old) l.close();
    this.tlsListeners = [];
    this.boundPort = 0;
    this.boundTlsPort = 0;
    try {
      await this.listen(true);
    } catch (e) {
      const added = this.listeners.filter(isTcp);
      this.listeners = this.listeners.filter((l) => !isTcp(l));
      for (const l of added) l.close();
      throw e;
    }
  }

  /** True while some TCP or unix socket listener is open. */
  get listening(): boolean {
    return this.listeners.length !== 0;
  }

  private listenOne(opts: net.ListenOptions, local: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer({ noDelay: true, pauseOnConnect: true }, (s) => this.onConnection(s, local));
      srv.once('error', reject);
      srv.listen(opts, () => {
        srv.off('error', reject);
        srv.on('error', (e) => this.log.warning(`Accept error: ${e.message}`));
        const a = srv.address();
        if (a && typeof a === 'object' && !this.boundPort) this.boundPort = a.port;
        this.listeners.push(srv);
        resolve();
      });
    });
  }

  /** Starts the cron: every 1000/hz ms it runs the periodic tasks. */
  startCron(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    const hz = this.config.num('hz');
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / hz));
    this.cronTimer.unref();
  }

  /** DEBUG PAUSE-CRON: the periodic tasks stop (replies are still flushed). */
  cronPaused = false;

  private cron(): void {
    resyncWallClock();
    if (this.cronPaused) {
      this.flushPending();
      return;
    }
    try {
      this.closeTimedOutClients();
      this.clientsCron();
      for (const t of this.cronTasks) t(this);
    } catch (e) {
      this.internalError('the cron', e, null, null);
    }
    this.flushPending();
  }

  /**
   * Reports an exception the server contained instead of dying (Redis would
   * print its bug report and crash): a log report with what was running, the
   * client and the stack, and a count in INFO (internal_errors).
   */
  internalError(where: string, e: unknown, argv: string[] | null, c: Client | null): void {
    this.stats.internalErrors++;
    const lines = [`=== SPINEL INTERNAL ERROR in ${where} (the server keeps running) ===`];
    if (argv !== null) lines.push(`argv: ${argv.map((a) => JSON.stringify(a.length > 128 ? a.slice(0, 128) + `... (${a.length} bytes)` : a)).join(' ')}`);
    if (c !== null) lines.push(`client: ${c.describe()}`);
    lines.push(e instanceof Error && e.stack ? e.stack : String(e));
    lines.push('=== Please report this at the Spinel issue tracker with the lines above ===');
    this.log.warning(lines.join('\n'));
  }

  /** Where the clients pass of the cron resumes (a live iterator over the clients). */
  private clientsCronIt: Iterator<Client> | null = null;

  /**
   * Redis's clientsCron: the query buffer model (clientsCronResizeQueryBuffer)
   * and the output buffer limits; each run visits numclients/hz clients (at
   * least 5), so every client is seen about once a second.
   */
  private clientsCron(): void {
    const n = this.clients.size;
    if (n === 0) return;
    let visits = Math.max(5, Math.ceil(n / this.config.num('hz')));
    if (visits > n) visits = n;
    const nowSec = Math.floor(wallMs() / 1000);
    for (let i = 0; i < visits; i++) {
      let r = this.clientsCronIt?.next();
      if (r === undefined || r.done) {
        this.clientsCronIt = this.clients.values();
        r = this.clientsCronIt.next();
        if (r.done) return;
      }
      const c = r.value;
      c.queryBuf.cron(c.parser.queryLength, nowSec - Math.floor(c.lastInteraction / 1000), c.parser.pendingBulk);
      // A soft output limit also runs out while nothing more is sent to the client.
      if (c.writeQueued || c.reply.chunksBytes !== 0) closeIfOverOutputLimit(c, false);
    }
  }

  private closeTimedOutClients(): void {
    const timeout = this.config.num('timeout');
    if (timeout <= 0) return;
    const now = Date.now();
    for (const c of this.clients.values()) {
      if ((c.flags & (ClientFlag.Master | ClientFlag.Replica | ClientFlag.Blocked | ClientFlag.PubSub)) !== 0) continue;
      if (now - c.lastInteraction > timeout * 1000) {
        this.log.verbose('Closing idle client');
        c.close();
      }
    }
  }

  /** Stops listening, closes every client. */
  async close(): Promise<void> {
    this.shuttingDown = true;
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
    for (const c of [...this.clients.values()]) {
      c.flush();
      c.close();
    }
    // Stop accepting at once. net.Server's close callback would wait for the
    // original accepted socket objects, which are re-wrapped and never close.
    for (const l of this.listeners) l.close();
    this.listeners = [];
    const us = this.config.str('unixsocket');
    if (us) {
      try {
        fs.unlinkSync(us);
      } catch {
        /* gone */
      }
    }
  }

  /** The database of a client, for modules that only have a db index. */
  db(index: number): Db {
    return this.keyspace.dbs[index];
  }
}

function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true;
  return addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.');
}
