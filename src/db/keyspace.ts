// The keyspace: numbered databases, each a key -> RObj dict plus a separate
// key -> expire-time dict (like Redis's `expires`), so the active expiry cycle
// samples only keys that have a TTL. Both are Dicts (src/types/dict.ts): no
// size cap; the cron finishes their incremental growth (rehashCron).
//
// Every change to a key is announced through the hooks below; WATCH, client
// tracking, keyspace notifications, blocked clients and propagation plug in
// there, never in command handlers.

import { monotonicMs, wallMs, wallMsAt } from '../util/clock.js';
import { RObj, ObjType, Enc, unsharedInts } from './robj.js';
import { Dict } from '../types/dict.js';
import type { WatchedKey } from '../server/watch.js';

/** Keyspace notification classes (Redis's NOTIFY_* flags). */
export const enum Notify {
  Keyspace = 1 << 0, // K
  Keyevent = 1 << 1, // E
  Generic = 1 << 2, // g
  String = 1 << 3, // $
  List = 1 << 4, // l
  Set = 1 << 5, // s
  Hash = 1 << 6, // h
  ZSet = 1 << 7, // z
  Expired = 1 << 8, // x
  Evicted = 1 << 9, // e
  Stream = 1 << 10, // t
  KeyMiss = 1 << 11, // m
  Loaded = 1 << 12, // module only
  Module = 1 << 13, // d
  New = 1 << 14, // n
}

export interface KeyspaceHooks {
  /** A key's value changed or it was deleted (WATCH, client tracking). */
  modified(db: Db, key: string): void;
  /** Keyspace notification (PUB/SUB __keyspace@ / __keyevent@). */
  notify(type: number, event: string, key: string, dbid: number): void;
  /** A key that blocked clients may wait on got new data (lists, zsets, streams). */
  ready(db: Db, key: string): void;
  /** A command must be propagated to AOF and replicas as if run (e.g. DEL of an expired key). */
  propagate(dbid: number, argv: string[]): void;
  /**
   * Every key of `db` is about to change at once: FLUSHDB/FLUSHALL (replacedWith
   * null) or SWAPDB (replacedWith = the db whose contents take its place).
   * Called before the change, while the keys are still there, so WATCH can
   * touch the watched keys that exist in either (Redis's touchAllWatchedKeysInDb)
   * and tracking can invalidate. Optional: FLUSH/SWAPDB do not call `modified`
   * per key.
   */
  flushed?(db: Db, replacedWith: Db | null): void;
  /**
   * FLUSHDB (the db's id) or FLUSHALL (-1) is emptying the keyspace: called
   * once per command, before (Redis's signalFlushedDb; client-side caching
   * sends its "all keys" invalidation). Optional.
   */
  emptied?(dbid: number): void;
}

const noHooks: KeyspaceHooks = {
  modified() {},
  notify() {},
  ready() {},
  propagate() {},
};

export interface KeyspaceStats {
  expiredKeys: number;
  expiredStalePerc: number;
  expiredTimeCapReachedCount: number;
  expireCycleCpuMs: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  evictedKeys: number;
}

/** LFU_INIT_VAL: a new key's access counter, so it is not evicted before it had a chance to be used. */
const LFU_INIT_VAL = 5;

/** LFULogIncr: the counter grows with probability 1 / ((counter - LFU_INIT_VAL) * factor + 1), up to 255. */
function lfuLogIncr(counter: number, factor: number): number {
  if (counter === 255) return 255;
  const base = counter > LFU_INIT_VAL ? counter - LFU_INIT_VAL : 0;
  return Math.random() < 1 / (base * factor + 1) ? counter + 1 : counter;
}

/** LRU clock in seconds, 24 bits like Redis's. */
export function lruClock(): number {
  return Math.floor(wallMs() / 1000) & 0xffffff;
}

export class Keyspace {
  dbs: Db[] = [];
  hooks: KeyspaceHooks = noHooks;
  stats: KeyspaceStats = {
    expiredKeys: 0,
    expiredStalePerc: 0,
    expiredTimeCapReachedCount: 0,
    expireCycleCpuMs: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    evictedKeys: 0,
  };
  /**
   * The time commands see, in ms. Frozen while one command or script runs
   * (Redis 7.2): keys do not expire in the middle of a command.
   */
  now = wallMs();
  /**
   * True while `now` was just read for a batch of pipelined commands from one
   * read (Client.onData): call() then skips reading the clock per command.
   */
  clockFresh = false;
  /** Cached LRU clock, refreshed with `now`. */
  lru = lruClock();
  /** When true (CLIENT NO-TOUCH), reads do not update LRU/LFU. */
  noTouch = false;
  /**
   * An LFU maxmemory-policy is set (the server keeps this and the two lfu-*
   * parameters in step with the config): each object's `lru` field then holds
   * (minutes << 8) | logarithmic access counter instead of the LRU clock.
   */
  lfu = false;
  lfuLogFactor = 10;
  lfuDecayTime = 1;
  /** When false, lazy expiry still hides expired keys but does not delete them (replicas). */
  deleteExpired = true;
  /**
   * True while an expired key is being deleted: the `modified` hook then
   * reports a change made by no client (Redis's signalModifiedKey(NULL, ...)),
   * which client-side caching's BCAST NOLOOP needs to know.
   */
  expiring = false;

  constructor(count: number) {
    for (let i = 0; i < count; i++) this.dbs.push(new Db(this, i));
  }

  /**
   * Refreshes the command clock; the dispatcher calls it before each top-level
   * command. `mono` is a monotonicMs() reading the caller already has.
   */
  tick(mono: number = monotonicMs()): void {
    this.now = wallMsAt(mono);
    this.lru = Math.floor(this.now / 1000) & 0xffffff;
  }

  /** The access bookkeeping of a lookup (lookupKey): the LRU clock, or updateLFU. */
  touch(o: RObj): void {
    if (!this.lfu) o.lru = this.lru;
    else o.lru = (this.lfuMinutes() << 8) | lfuLogIncr(this.lfuDecrAndReturn(o.lru), this.lfuLogFactor);
  }

  /** The `lru` field of an object entering the keyspace new (createObject): the clock, or LFU_INIT_VAL. */
  freshLru(): number {
    return this.lfu ? (this.lfuMinutes() << 8) | LFU_INIT_VAL : this.lru;
  }

  /** LFUGetTimeInMinutes: 16 bits of the unix time in minutes. */
  private lfuMinutes(): number {
    return Math.floor(this.now / 60000) & 65535;
  }

  /** LFUDecrAndReturn: the counter, less one per lfu-decay-time minutes since its last access. */
  lfuDecrAndReturn(lru: number): number {
    const ldt = lru >>> 8;
    const counter = lru & 255;
    const now = this.lfuMinutes();
    const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    const periods = this.lfuDecayTime !== 0 ? Math.floor(elapsed / this.lfuDecayTime) : 0;
    return periods === 0 ? counter : periods > counter ? 0 : counter - periods;
  }

  resize(count: number): void {
    while (this.dbs.length < count) this.dbs.push(new Db(this, this.dbs.length));
  }

  /**
   * Redis's incrementallyRehash from databasesCron: moves entries of one
   * growing dict (keys, then expires) for up to `ms` milliseconds, visiting
   * the dbs from where the last call stopped. Returns true if it worked.
   */
  rehashCron(ms: number): boolean {
    const n = this.dbs.length;
    for (let j = 0; j < n; j++) {
      const db = this.dbs[this.rehashDb % n];
      if (db.dict.rehashFor(ms, monotonicMs) || db.expires.rehashFor(ms, monotonicMs)) return true;
      this.rehashDb = (this.rehashDb + 1) % n;
    }
    return false;
  }

  /** The db rehashCron looks at first. */
  private rehashDb = 0;

  /** Total keys over all dbs. */
  totalKeys(): number {
    let n = 0;
    for (const db of this.dbs) n += db.dict.size;
    return n;
  }
}

export class Db {
  /** Key -> value. A Dict (src/types/dict.ts): one Map while small, no size cap. */
  dict = new Dict<RObj>();
  /** Key -> absolute expire time in ms, for the keys that have one. */
  expires = new Dict<number>();
  /** Average TTL estimate for INFO keyspace (ms), maintained by the expiry cycle. */
  avgTtl = 0;
  /**
   * WATCHed key -> its watchers (src/server/watch.ts), like Redis's
   * db->watched_keys. It belongs to the db number: SWAPDB swaps the
   * contents of two dbs, not their watchers.
   */
  readonly watchedKeys = new Map<string, Set<WatchedKey>>();

  constructor(
    public ks: Keyspace,
    public id: number,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /**
   * Deletes the key if its TTL passed (lazy expiry). Returns true if the key
   * is (logically) expired.
   */
  expireIfNeeded(key: string): boolean {
    const when = this.expires.get(key);
    if (when === undefined || when >= this.ks.now) return false; // Redis: expired only when now > when
    if (!this.ks.deleteExpired) return true;
    this.deleteExpiredKey(key);
    return true;
  }

  /** True if the key has a TTL that passed (Redis's keyIsExpired): no deletion, no stats. */
  isExpired(key: string): boolean {
    const when = this.expires.get(key);
    return when !== undefined && when < this.ks.now;
  }

  /** Removes an expired key with all the side effects Redis has (stats, notification, propagated DEL). */
  deleteExpiredKey(key: string): void {
    this.remove(key);
    this.ks.stats.expiredKeys++;
    const h = this.ks.hooks;
    h.notify(Notify.Expired, 'expired', key, this.id);
    this.ks.expiring = true;
    h.modified(this, key);
    this.ks.expiring = false;
    h.propagate(this.id, ['DEL', key]);
  }

  /** Lookup for reading: expires lazily, counts hits/misses, updates LRU. */
  lookupRead(key: string): RObj | undefined {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) {
      this.ks.stats.keyspaceMisses++;
      this.ks.hooks.notify(Notify.KeyMiss, 'keymiss', key, this.id);
      return undefined;
    }
    const o = this.dict.get(key);
    if (o === undefined) {
      this.ks.stats.keyspaceMisses++;
      this.ks.hooks.notify(Notify.KeyMiss, 'keymiss', key, this.id);
      return undefined;
    }
    this.ks.stats.keyspaceHits++;
    if (!this.ks.noTouch) this.ks.touch(o);
    return o;
  }

  /** Lookup for writing: expires lazily, no hit/miss stats. */
  lookupWrite(key: string): RObj | undefined {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    const o = this.dict.get(key);
    if (o !== undefined && !this.ks.noTouch) this.ks.touch(o);
    return o;
  }

  /** Lookup with no side effects except lazy expiry (EXISTS-like checks, TYPE, OBJECT). */
  peek(key: string): RObj | undefined {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    return this.dict.get(key);
  }

  /**
   * Adds a key that must not exist. Wakes blocked clients for list/zset/stream
   * values. The object gets a fresh LRU/LFU field, even one that comes from
   * another key (RENAME, MOVE): Redis 7.2's dbAdd resets it.
   */
  add(key: string, o: RObj): void {
    o.lru = this.ks.freshLru();
    this.dict.set(key, o);
    const t = o.type;
    if (t === ObjType.List || t === ObjType.ZSet || t === ObjType.Stream) this.ks.hooks.ready(this, key);
    // Redis's dbAdd announces every new key (keyspace event class 'n').
    this.ks.hooks.notify(Notify.New, 'new', key, this.id);
  }

  /**
   * Sets a key to a value, creating or overwriting it (Redis's setKey): the
   * old TTL is dropped unless keepTtl, and the key is signalled as modified.
   * `looked`: the caller already looked the key up for writing (Redis's
   * SETKEY_ALREADY_EXIST / SETKEY_DOESNT_EXIST), so this access is counted.
   */
  setKey(key: string, o: RObj, keepTtl = false, looked = false): void {
    // Like Redis's setKey -> lookupKeyWrite: an expired key is reaped first.
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    if (this.ks.lfu) o.lru = this.lfuLruForSet(key, looked);
    else o.lru = this.ks.lru;
    if (o.type === ObjType.String) {
      // Fast path: one dict operation; the size tells whether the key is new.
      const dict = this.dict;
      const before = dict.size;
      dict.set(key, o);
      if (dict.size !== before) this.ks.hooks.notify(Notify.New, 'new', key, this.id);
      else if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
      this.ks.hooks.modified(this, key);
      return;
    }
    const old = this.dict.get(key);
    if (old === undefined) {
      this.add(key, o);
    } else {
      this.dict.set(key, o);
      if (!keepTtl) this.expires.delete(key);
      const t = o.type;
      if (t !== old.type && (t === ObjType.List || t === ObjType.ZSet || t === ObjType.Stream)) this.ks.hooks.ready(this, key);
    }
    this.ks.hooks.modified(this, key);
  }

  /**
   * setKey(key, o) for a string object `o` just made by the caller and held
   * by nobody else (SET, MSET): when the key holds a string already, the
   * stored object takes o's value and encoding and `o` is dropped. The table
   * then keeps pointing at an object of the old generation instead of a new
   * one, which the next scavenges would have to copy and promote (about a
   * third less GC work for SET over an existing keyspace). Same effects as
   * setKey: expiry reaped first, TTL dropped, LRU/LFU as for an overwrite.
   */
  setFreshString(key: string, o: RObj): void {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    const dict = this.dict;
    const old = dict.get(key);
    const ks = this.ks;
    if (old === undefined) {
      o.lru = ks.freshLru();
      dict.set(key, o);
      ks.hooks.notify(Notify.New, 'new', key, this.id);
      ks.hooks.modified(this, key);
      return;
    }
    if (old.type !== ObjType.String) {
      this.setKey(key, o);
      return;
    }
    if (ks.lfu) {
      // dbOverwrite keeps the counter, after setKey's lookupKeyWrite counted this access.
      if (!ks.noTouch) ks.touch(old);
    } else {
      old.lru = ks.lru;
    }
    if (old.enc === Enc.Int) unsharedInts.delete(old);
    old.value = o.value;
    old.enc = o.enc;
    if (this.expires.size !== 0) this.expires.delete(key);
    ks.hooks.modified(this, key);
  }

  /**
   * Under LFU, the new value of an existing key keeps the old one's counter
   * (dbOverwrite), after setKey's own lookupKeyWrite counted this access,
   * unless the caller (`looked`) already did that lookup.
   */
  private lfuLruForSet(key: string, looked: boolean): number {
    const old = this.dict.get(key);
    if (old === undefined) return this.ks.freshLru();
    if (!looked && !this.ks.noTouch) this.ks.touch(old);
    return old.lru;
  }

  /** Deletes a key (no notification); returns true if it existed. */
  remove(key: string): boolean {
    if (!this.dict.delete(key)) return false;
    if (this.expires.size !== 0) this.expires.delete(key);
    return true;
  }

  /** Deletes a live key with the `del` notification and modified signal. */
  del(key: string): boolean {
    if (this.expires.size !== 0) this.expireIfNeeded(key);
    if (!this.remove(key)) return false;
    this.ks.hooks.modified(this, key);
    this.ks.hooks.notify(Notify.Generic, 'del', key, this.id);
    return true;
  }

  getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  setExpire(key: string, when: number): void {
    this.expires.set(key, when);
  }

  removeExpire(key: string): boolean {
    return this.expires.delete(key);
  }

  /** Empties the db; returns how many keys it held. */
  flush(): number {
    const n = this.dict.size;
    this.dict = new Dict();
    this.expires = new Dict();
    this.avgTtl = 0;
    return n;
  }

  /** Signals a key as modified (WATCH / tracking): call after changing a value in place. */
  modified(key: string): void {
    this.ks.hooks.modified(this, key);
  }

  notify(type: number, event: string, key: string): void {
    this.ks.hooks.notify(type, event, key, this.id);
  }

  /** Signals that blocked clients waiting on this key may be served. */
  ready(key: string): void {
    this.ks.hooks.ready(this, key);
  }
}
