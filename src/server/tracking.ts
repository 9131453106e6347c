// Client-side caching (Redis's tracking.c): CLIENT TRACKING and its
// invalidation messages.
//
// - Default mode: the keys each tracking client reads (read-only commands,
//   keys found through the command's key specs, recorded by call()) go in
//   the tracking table, key -> ids of the clients that may cache it. When the
//   key changes (the keyspace `modified` hook, so every command family and
//   expiry are covered) each of those clients gets one invalidation and the
//   key leaves the table until read again. OPTIN/OPTOUT with CLIENT CACHING
//   decide per command whether its keys are recorded.
// - BCAST mode: no table; a client registers key prefixes, and every key
//   modified in this event-loop turn under one of them is sent to it, one
//   array per prefix, just before the server writes its replies.
// - Messages go as RESP3 pushes (`invalidate` [keys]), or, to a RESP2 client
//   in Pub/Sub context that another client redirects to, as messages on
//   `__redis__:invalidate`. A redirect to a client that went away turns into
//   a `tracking-redir-broken` push (RESP3) and the BROKEN_REDIR flag.
// - FLUSHDB/FLUSHALL send a null invalidation ("everything") to every
//   tracking client and empty the table.
// - An invalidation for the client whose command is running waits until its
//   reply is written (pendingKeys, sent by call() when the outermost command
//   ends), as in Redis 7.2.
// - tracking-table-max-keys: past it, keys are dropped from the table with
//   an invalidation, oldest first, 100 per try and more if that was not
//   enough (Redis drops random keys with the same effort rule).

import { ClientFlag, type Client } from './client.js';
import type { Server } from './server.js';
import type { Command } from '../commands/types.js';
import { CmdFlag } from '../commands/types.js';
import { Dict } from '../types/dict.js';
import { getKeys } from '../commands/command.js';
import { pushTo, encodePush } from './pubsub.js';

/** Client.tracking bits (Redis's CLIENT_TRACKING_* flags; ClientFlag.Tracking says tracking is on). */
export const enum TrackingOpt {
  BrokenRedir = 1 << 0,
  Bcast = 1 << 1,
  OptIn = 1 << 2,
  OptOut = 1 << 3,
  /** CLIENT CACHING was given for the next command. */
  Caching = 1 << 4,
  NoLoop = 1 << 5,
}

/** A BCAST prefix: the keys modified under it this turn (with who last modified each) and its clients. */
interface BcastState {
  keys: Map<string, Client | null>;
  readonly clients: Set<Client>;
}

/**
 * Ids in a table entry: a number for the common single reader, a short
 * array for a few (a scan of a few numbers beats hashing), a set beyond.
 */
type Ids = number | number[] | Set<number>;
const IDS_ARRAY_MAX = 16;

const NULL_RESP2 = '$-1\r\n';
const NULL_RESP3 = '_\r\n';

export class Tracking {
  /** Clients with tracking on (INFO tracking_clients). */
  clients = 0;
  /** Tracked key -> ids of the clients that may cache it; null until tracking is first enabled. */
  table: Dict<Ids> | null = null;
  /** Ids over all table entries (INFO tracking_total_items). */
  totalItems = 0;
  /** BCAST prefix -> state. */
  readonly prefixes = new Map<string, BcastState>();
  /** Invalidations for the running command's own client, sent after its reply; null means "all keys". */
  pendingKeys: (string | null)[] = [];
  /** Some BCAST prefix has keys to send at the end of this turn. */
  bcastPending = false;
  /** tracking-table-max-keys (0: no limit), kept in step with the config. */
  maxKeys: number;
  /** Consecutive eviction passes that could not get under the limit (they try harder each time). */
  private evictionPasses = 0;
  /** Per command: the one key position of a single-key command, or -1 (see rememberKeys). */
  private readonly singleKey = new WeakMap<Command, number>();

  constructor(readonly server: Server) {
    this.maxKeys = Number(server.config.get<number | bigint>('tracking-table-max-keys') ?? 1000000);
    server.config.onChange('tracking-table-max-keys', (_, v) => (this.maxKeys = Number(v)));
    server.clientCloseHooks.push((c) => this.disable(c));
    server.clientResetHooks.push((c) => this.disable(c));
  }

  /** Creates the table and plugs into the keyspace on the first CLIENT TRACKING ON (Redis allocates it then too). */
  private start(): void {
    if (this.table !== null) return;
    this.table = new Dict<Ids>();
    const hooks = this.server.keyspace.hooks;
    const prev = hooks.modified;
    hooks.modified = (db, key) => {
      prev(db, key);
      this.invalidateKey(key, true);
    };
    const prevEmptied = hooks.emptied;
    hooks.emptied = (dbid) => {
      if (prevEmptied !== undefined) prevEmptied(dbid);
      this.invalidateAll();
    };
  }

  /** CLIENT TRACKING ON with validated options (enableTracking). */
  enable(c: Client, redirect: number, opts: number, prefixes: readonly string[]): void {
    if ((c.flags & ClientFlag.Tracking) === 0) this.clients++;
    c.flags |= ClientFlag.Tracking;
    c.tracking &= ~(TrackingOpt.BrokenRedir | TrackingOpt.Bcast | TrackingOpt.OptIn | TrackingOpt.OptOut | TrackingOpt.NoLoop);
    c.trackingRedirect = redirect;
    this.start();
    if ((opts & TrackingOpt.Bcast) !== 0) {
      c.tracking |= TrackingOpt.Bcast;
      if (prefixes.length === 0) this.addPrefix(c, '');
      for (const p of prefixes) this.addPrefix(c, p);
    }
    c.tracking |= opts & (TrackingOpt.OptIn | TrackingOpt.OptOut | TrackingOpt.NoLoop);
  }

  private addPrefix(c: Client, prefix: string): void {
    let bs = this.prefixes.get(prefix);
    if (bs === undefined) {
      bs = { keys: new Map(), clients: new Set() };
      this.prefixes.set(prefix, bs);
    }
    if (!bs.clients.has(c)) {
      bs.clients.add(c);
      (c.trackingPrefixes ??= new Set()).add(prefix);
    }
  }

  /**
   * CLIENT TRACKING OFF, RESET, a closing client (disableTracking). Its ids
   * stay in the table and are skipped lazily, as in Redis: dropping them now
   * would cost a walk of the whole table.
   */
  disable(c: Client): void {
    if ((c.tracking & TrackingOpt.Bcast) !== 0 && c.trackingPrefixes !== null) {
      for (const p of c.trackingPrefixes) {
        const bs = this.prefixes.get(p);
        if (bs === undefined) continue;
        bs.clients.delete(c);
        if (bs.clients.size === 0) this.prefixes.delete(p);
      }
      c.trackingPrefixes = null;
    }
    if ((c.flags & ClientFlag.Tracking) !== 0) {
      this.clients--;
      c.flags &= ~ClientFlag.Tracking;
      c.tracking = 0;
    }
  }

  /**
   * After a read-only command of a tracking client (default mode): records
   * the keys it read (trackingRememberKeys). `c` is the client whose request
   * is being served; the keys come from the command that ran (a command
   * inside EXEC counts for the client that sent EXEC).
   */
  rememberKeys(c: Client, cmd: Command, argv: string[]): void {
    // Shard channels are declared as keys in SPUBLISH's key specs: not cached data.
    if ((cmd.flagBits & CmdFlag.PubSub) !== 0) return;
    const opt = c.tracking;
    const caching = (opt & TrackingOpt.Caching) !== 0;
    if (((opt & TrackingOpt.OptIn) !== 0 && !caching) || ((opt & TrackingOpt.OptOut) !== 0 && caching)) return;
    const one = this.singleKeyIndex(cmd);
    if (one >= 0) {
      if (one < argv.length) this.track(argv[one], c.id);
      return;
    }
    const positions = getKeys(cmd, argv);
    for (let i = 0; i < positions.length; i++) this.track(argv[positions[i]], c.id);
  }

  /** GET-like commands (one key spec: the key at a fixed index) skip the generic key finder. */
  private singleKeyIndex(cmd: Command): number {
    let idx = this.singleKey.get(cmd);
    if (idx === undefined) {
      idx = -1;
      const specs = cmd.meta.keySpecs;
      if (specs !== undefined && specs.length === 1 && (cmd.flagBits & CmdFlag.MovableKeys) === 0) {
        const s = specs[0];
        if (s.beginSearch.type === 'index' && s.findKeys.type === 'range' && Number(s.findKeys.spec.lastkey) === 0 && !s.flags.includes('not_key') && !s.flags.includes('variable_flags') && !s.flags.includes('incomplete')) {
          idx = Number(s.beginSearch.spec.index);
        }
      }
      this.singleKey.set(cmd, idx);
    }
    return idx;
  }

  private track(key: string, id: number): void {
    const table = this.table!;
    const ids = table.get(key);
    if (ids === undefined) {
      table.set(key, id);
    } else if (typeof ids === 'number') {
      if (ids === id) return;
      table.set(key, [ids, id]);
    } else if (Array.isArray(ids)) {
      const n = ids.length;
      for (let i = 0; i < n; i++) if (ids[i] === id) return;
      if (n < IDS_ARRAY_MAX) ids.push(id);
      else table.set(key, new Set(ids).add(id));
    } else {
      if (ids.has(id)) return;
      ids.add(id);
    }
    this.totalItems++;
  }

  /**
   * A key changed (or is dropped from the table when `bcast` is false):
   * every client that may cache it is told, and it leaves the table
   * (trackingInvalidateKey). BCAST prefixes note the key for this turn.
   */
  invalidateKey(key: string, bcast: boolean): void {
    const table = this.table;
    if (table === null) return;
    const server = this.server;
    const cur = server.currentClient;
    // An expired key was changed by no client: NOLOOP BCAST clients hear of it too.
    if (bcast && this.prefixes.size !== 0) this.rememberForBroadcast(key, server.keyspace.expiring ? null : cur);
    const ids = table.get(key);
    if (ids === undefined) return;
    if (typeof ids === 'number') {
      this.invalidateFor(ids, key, cur);
      this.totalItems--;
    } else if (Array.isArray(ids)) {
      for (let i = 0; i < ids.length; i++) this.invalidateFor(ids[i], key, cur);
      this.totalItems -= ids.length;
    } else {
      for (const id of ids) this.invalidateFor(id, key, cur);
      this.totalItems -= ids.size;
    }
    table.delete(key);
  }

  private invalidateFor(id: number, key: string, cur: Client | null): void {
    const t = this.server.clients.get(id);
    // Gone, tracking off since, or now in BCAST mode: entries are cleaned lazily.
    if (t === undefined || (t.flags & ClientFlag.Tracking) === 0 || (t.tracking & TrackingOpt.Bcast) !== 0) return;
    if (t === cur) {
      if ((t.tracking & TrackingOpt.NoLoop) !== 0) return;
      this.pendingKeys.push(key);
    } else {
      this.send(t, keyArray(key));
    }
  }

  private rememberForBroadcast(key: string, by: Client | null): void {
    for (const [prefix, bs] of this.prefixes) {
      if (prefix.length > key.length || (prefix.length !== 0 && !key.startsWith(prefix))) continue;
      bs.keys.set(key, by);
      if (!this.bcastPending) {
        this.bcastPending = true;
        this.server.requestFlush();
      }
    }
  }

  /** FLUSHDB/FLUSHALL (trackingInvalidateKeysOnFlush): a null invalidation to every tracking client, an empty table. */
  invalidateAll(): void {
    const server = this.server;
    if (this.clients !== 0) {
      for (const c of server.clients.values()) {
        if ((c.flags & ClientFlag.Tracking) === 0) continue;
        if (c === server.currentClient) this.pendingKeys.push(null);
        else this.send(c, c.reply.resp === 3 ? NULL_RESP3 : NULL_RESP2);
      }
    }
    if (this.table !== null) {
      this.table = new Dict<Ids>();
      this.totalItems = 0;
    }
  }

  /** The invalidations for `c`'s own command, after its reply (call() runs this when the outermost command ends). */
  sendPending(c: Client): void {
    const keys = this.pendingKeys;
    this.pendingKeys = [];
    if (c.closed) return;
    for (const k of keys) this.send(c, k === null ? (c.reply.resp === 3 ? NULL_RESP3 : NULL_RESP2) : keyArray(k));
  }

  /**
   * Sends an invalidation payload (raw RESP: the key array, or a null) to
   * the client or its redirect target (sendTrackingMessage).
   */
  private send(c: Client, payload: string): void {
    let target = c;
    const redirect = c.trackingRedirect;
    if (redirect !== 0) {
      const r = this.server.clients.get(redirect);
      if (r === undefined || r.closed) {
        c.tracking |= TrackingOpt.BrokenRedir;
        if (c.reply.resp === 3) pushTo(c, encodePush(3, ['tracking-redir-broken'], `:${redirect}\r\n`));
        return;
      }
      target = r;
    }
    if (target.reply.resp === 3) pushTo(target, encodePush(3, ['invalidate'], payload));
    // RESP2 has no pushes: only a redirect target in Pub/Sub context (any channel) gets them, as messages.
    else if (redirect !== 0 && (target.flags & ClientFlag.PubSub) !== 0) pushTo(target, encodePush(2, ['message', '__redis__:invalidate'], payload));
  }

  /**
   * Sends what BCAST prefixes collected this turn (trackingBroadcastInvalidationMessages):
   * per prefix, in prefix order, the keys in byte order; a NOLOOP client
   * does not get the keys it modified itself.
   */
  broadcast(): void {
    this.bcastPending = false;
    if (this.table === null || this.clients === 0) return;
    const names = [...this.prefixes.keys()].sort();
    for (const name of names) {
      const bs = this.prefixes.get(name)!;
      if (bs.keys.size === 0) continue;
      const keys = [...bs.keys.keys()].sort();
      const all = keysArray(keys, bs.keys, null);
      for (const c of bs.clients) {
        if ((c.tracking & TrackingOpt.NoLoop) !== 0) {
          const own = keysArray(keys, bs.keys, c);
          if (own !== null) this.send(c, own);
        } else {
          this.send(c, all!);
        }
      }
      bs.keys = new Map();
    }
  }

  /**
   * tracking-table-max-keys (trackingLimitUsedSlots): before each command of
   * a server with tracking clients, and from the cron. Drops up to
   * 100 x (failed passes + 1) keys, stopping once under the limit.
   */
  limitTableSize(): void {
    const table = this.table;
    const max = this.maxKeys;
    if (table === null || max === 0) return;
    if (table.size <= max) {
      this.evictionPasses = 0;
      return;
    }
    const effort = 100 * (this.evictionPasses + 1);
    const victims: string[] = [];
    for (const k of table.keys()) {
      victims.push(k);
      if (victims.length === effort) break;
    }
    for (const k of victims) {
      this.invalidateKey(k, false);
      if (table.size <= max) {
        this.evictionPasses = 0;
        return;
      }
    }
    this.evictionPasses++;
  }
}

/** `*1 $<n> <key>`: a one-key invalidation. */
function keyArray(key: string): string {
  return `*1\r\n$${key.length}\r\n${key}\r\n`;
}

/** The keys of a BCAST prefix as a RESP array, without those last modified by `exclude`; null if none is left. */
function keysArray(keys: readonly string[], by: Map<string, Client | null>, exclude: Client | null): string | null {
  let n = 0;
  let body = '';
  for (const k of keys) {
    if (exclude !== null && by.get(k) === exclude) continue;
    body += `$${k.length}\r\n${k}\r\n`;
    n++;
  }
  if (n === 0 && exclude !== null) return null;
  return `*${n}\r\n${body}`;
}
