// WATCH: optimistic locking for MULTI/EXEC (Redis 7.2's multi.c semantics).
//
// Each db keeps WATCHed key -> watchers (Db.watchedKeys), each client the
// keys it watches (Client.watchedKeys, keyed by db id and key). A change to a
// watched key, from any source, makes its watchers' next EXEC fail
// (ClientFlag.DirtyCas): the keyspace's `modified` hook calls
// touchWatchedKey (every write, lazy and active expiry: Db methods and
// handlers signal it), and its `flushed` hook calls touchAllWatchedKeysInDb
// (FLUSHDB, FLUSHALL, SWAPDB), before the keys go.
//
// Expiry, as 7.2 has it: a key that was already expired (but not deleted)
// when WATCHed is flagged `expired`; deleting it later is no logical change,
// so that deletion does not touch its watchers. A key that was live when
// WATCHed and has expired by EXEC time fails the EXEC even if nobody deleted
// it yet (isWatchedKeyExpired).
//
// A client marked dirty stops watching at once (nothing can undo the mark
// except UNWATCH/DISCARD/EXEC, which unwatch anyway), so a hot key does not
// keep touching it. Sets make WATCH, touch and unwatch O(1) per key and
// watcher, however many clients watch the same key.

import { ClientFlag, type Client } from './client.js';
import type { Db } from '../db/keyspace.js';

/** One client watching one key of one db. */
export class WatchedKey {
  constructor(
    readonly client: Client,
    readonly db: Db,
    readonly key: string,
    /** The key was logically expired (not yet deleted) when it was WATCHed. */
    public expired: boolean,
  ) {}
}

/** WATCH of one key by the client in its current db (watchForKey). */
export function watchKey(c: Client, key: string): void {
  const db = c.db;
  let mine = c.watchedKeys;
  if (mine === null) mine = c.watchedKeys = new Map();
  const id = db.id + '\0' + key;
  if (mine.has(id)) return;
  const wk = new WatchedKey(c, db, key, db.isExpired(key));
  mine.set(id, wk);
  let watchers = db.watchedKeys.get(key);
  if (watchers === undefined) {
    watchers = new Set();
    db.watchedKeys.set(key, watchers);
  }
  watchers.add(wk);
}

/** Stops watching every key (unwatchAllKeys); the caller clears DirtyCas if it must. */
export function unwatchAllKeys(c: Client): void {
  const mine = c.watchedKeys;
  if (mine === null) return;
  c.watchedKeys = null;
  for (const wk of mine.values()) {
    const watchers = wk.db.watchedKeys.get(wk.key);
    if (watchers === undefined) continue;
    watchers.delete(wk);
    if (watchers.size === 0) wk.db.watchedKeys.delete(wk.key);
  }
}

/** Number of keys the client watches. */
export function watchedCount(c: Client): number {
  return c.watchedKeys === null ? 0 : c.watchedKeys.size;
}

/**
 * True if a key that was live when WATCHed is logically expired now: EXEC
 * then fails even though nothing deleted the key (isWatchedKeyExpired).
 */
export function isWatchedKeyExpired(c: Client): boolean {
  const mine = c.watchedKeys;
  if (mine === null) return false;
  for (const wk of mine.values()) if (!wk.expired && wk.db.isExpired(wk.key)) return true;
  return false;
}

/** Marks a client's transaction as failed by a touched key and drops its watches. */
function markDirty(c: Client): void {
  c.flags |= ClientFlag.DirtyCas;
  unwatchAllKeys(c);
}

/**
 * A watched key changed (the keyspace `modified` hook, called after the
 * change; the caller checked db.watchedKeys is not empty).
 */
export function touchWatchedKey(db: Db, key: string): void {
  const watchers = db.watchedKeys.get(key);
  if (watchers === undefined) return;
  // markDirty removes the client's entries from this set: iterate a copy.
  for (const wk of [...watchers]) {
    if (wk.expired) {
      // Deleting a key that was already expired when watched changes nothing
      // logically; from now on the key is simply absent.
      if (!db.dict.has(key)) {
        wk.expired = false;
        continue;
      }
    }
    markDirty(wk.client);
  }
}

/**
 * Every key of `emptied` is about to go (FLUSHDB, FLUSHALL), or to be
 * replaced by `replacedWith`'s (SWAPDB, called for both dbs before the swap):
 * watchers of a key that exists in either are touched, unless the change is
 * no logical change (an expired key deleted, or replaced by another expired
 * one, or an absent key replaced by an expired one). touchAllWatchedKeysInDb.
 */
export function touchAllWatchedKeysInDb(emptied: Db, replacedWith: Db | null): void {
  if (emptied.watchedKeys.size === 0) return;
  const dirty: Client[] = [];
  for (const [key, watchers] of emptied.watchedKeys) {
    const inEmptied = emptied.dict.has(key);
    const inReplacement = replacedWith !== null && replacedWith.dict.has(key);
    if (!inEmptied && !inReplacement) continue;
    for (const wk of watchers) {
      if (wk.expired) {
        if (!inReplacement) {
          // An expired key deleted: no logical change, and the key is no longer expired but absent.
          wk.expired = false;
          continue;
        }
        // An expired key replaced by another expired key.
        if (replacedWith!.isExpired(key)) continue;
      } else if (!inEmptied && replacedWith!.isExpired(key)) {
        // An absent key replaced by an expired one: still logically absent, now flagged expired.
        wk.expired = true;
        continue;
      }
      dirty.push(wk.client);
    }
  }
  // Unwatching while iterating would change the maps being walked.
  for (const c of dirty) if ((c.flags & ClientFlag.DirtyCas) === 0) markDirty(c);
}
