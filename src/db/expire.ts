// Active expiry: the adaptive cycle that deletes keys whose TTL passed even if
// nobody reads them (Redis's activeExpireCycle, slow variant, run by the cron).
//
// Each run visits up to 16 dbs (all of them after a run that hit its time
// limit). In each db it samples up to ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP keys
// that have a TTL, deletes the expired ones, and repeats while more than
// ACCEPTABLE_STALE percent of the sample was expired; the whole run is
// bounded to SLOW_TIME_PERC percent of the cron period. `active-expire-effort`
// (1..10) scales these numbers the way Redis does.
//
// Sampling: Redis walks its expires hash table with a persistent scan cursor.
// Spinel's `db.expires` is a Dict whose iterators survive any change of the
// dict, its growth included, and visit every entry present throughout at least
// once (src/types/dict.ts), so the cursor is one iterator per expires dict,
// resumed across cycles and restarted when it runs out. Each sample costs
// O(1): no full scans, no random access.
//
// Stats kept in keyspace.stats (INFO): expiredKeys (via Db.deleteExpiredKey),
// expiredStalePerc (a fraction 0..1, exponentially averaged like
// server.stat_expired_stale_perc; INFO prints it times 100 with %.2f),
// expiredTimeCapReachedCount, expireCycleCpuMs. Db.avgTtl (ms) is the moving
// average of the sampled TTLs, as Redis's db->avg_ttl.

import type { Server } from '../server/server.js';
import type { Db } from './keyspace.js';
import { monotonicMs, wallMs } from '../util/clock.js';
import { Dict } from '../types/dict.js';

export const ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20;
export const ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC = 25;
export const ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10;
/** Databases visited per cron run (Redis's CRON_DBS_PER_CALL). */
export const CRON_DBS_PER_CALL = 16;

/** Per-server cycle state (Redis keeps these as statics in activeExpireCycle). */
interface CycleState {
  currentDb: number;
  timelimitExit: boolean;
}

const states = new WeakMap<Server, CycleState>();
/** The rotating sampling iterator of each expires dict (survives SWAPDB: it follows the dict). */
const cursors = new WeakMap<Dict<number>, Iterator<[string, number]>>();

/** The next entry of the db's rotating expires iterator, or undefined if the dict is empty. */
function nextSample(expires: Dict<number>): [string, number] | undefined {
  let it = cursors.get(expires);
  if (it === undefined) {
    it = expires.entries();
    cursors.set(expires, it);
  }
  let r = it.next();
  if (r.done) {
    // Wrapped around: start a new pass.
    it = expires.entries();
    cursors.set(expires, it);
    r = it.next();
    if (r.done) return undefined;
  }
  return r.value;
}

function effortOf(server: Server): number {
  const e = server.config.get<number | undefined>('active-expire-effort');
  return typeof e === 'number' && e >= 1 && e <= 10 ? e - 1 : 0;
}

/**
 * One slow active expiry cycle; registered as a cron task. Does nothing when
 * DEBUG SET-ACTIVE-EXPIRE 0 turned it off, or on a replica (the master sends
 * the DELs).
 */
export function activeExpireCycle(server: Server): void {
  if (!server.activeExpireEnabled || server.isReplica) return;
  const ks = server.keyspace;
  if (!ks.deleteExpired) return;
  let st = states.get(server);
  if (st === undefined) {
    st = { currentDb: 0, timelimitExit: false };
    states.set(server, st);
  }
  const effort = effortOf(server);
  const keysPerLoop = ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP + Math.floor(ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP / 4) * effort;
  const slowTimePerc = ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC + 2 * effort;
  const acceptableStale = ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - effort;
  const hz = Math.min(Math.max(server.config.num('hz') || 10, 1), 500);
  const dbs = ks.dbs;
  const dbnum = dbs.length;
  let dbsPerCall = CRON_DBS_PER_CALL;
  if (dbsPerCall > dbnum || st.timelimitExit) dbsPerCall = dbnum;
  // Time limit in microseconds: SLOW_TIME_PERC percent of one cron period.
  let timelimit = Math.floor((slowTimePerc * 1000000) / hz / 100);
  if (timelimit <= 0) timelimit = 1;
  st.timelimitExit = false;
  const start = monotonicMs();
  // Expired keys are judged against the real clock; commands refresh their own.
  ks.tick();
  let totalSampled = 0;
  let totalExpired = 0;
  let iteration = 0;
  const stats = ks.stats;

  for (let j = 0; j < dbsPerCall && !st.timelimitExit; j++) {
    const db: Db = dbs[st.currentDb % dbnum];
    st.currentDb = (st.currentDb + 1) % dbnum;
    let expired = 0;
    let sampled = 0;
    do {
      iteration++;
      const expires = db.expires;
      let num = expires.size;
      if (num === 0) {
        db.avgTtl = 0;
        break;
      }
      const now = wallMs();
      expired = 0;
      sampled = 0;
      let ttlSum = 0;
      let ttlSamples = 0;
      if (num > keysPerLoop) num = keysPerLoop;
      while (sampled < num) {
        const e = nextSample(expires);
        if (e === undefined) break;
        const when = e[1];
        if (now > when) {
          // Still there? (the iterator only yields live entries, but be safe)
          if (db.dict.has(e[0])) {
            db.deleteExpiredKey(e[0]);
            expired++;
          } else {
            expires.delete(e[0]);
          }
        } else {
          const ttl = when - now;
          if (ttl > 0) {
            ttlSum += ttl;
            ttlSamples++;
          }
        }
        sampled++;
      }
      totalExpired += expired;
      totalSampled += sampled;
      if (ttlSamples > 0) {
        const avg = Math.trunc(ttlSum / ttlSamples);
        if (db.avgTtl === 0) db.avgTtl = avg;
        db.avgTtl = Math.trunc(db.avgTtl / 50) * 49 + Math.trunc(avg / 50);
      }
      if ((iteration & 0xf) === 0) {
        const elapsed = (monotonicMs() - start) * 1000;
        if (elapsed > timelimit) {
          st.timelimitExit = true;
          stats.expiredTimeCapReachedCount++;
          break;
        }
      }
    } while (sampled === 0 || Math.floor((expired * 100) / sampled) > acceptableStale);
  }

  const elapsedMs = monotonicMs() - start;
  stats.expireCycleCpuMs += elapsedMs;
  const perc = totalSampled > 0 ? totalExpired / totalSampled : 0;
  stats.expiredStalePerc = perc * 0.05 + stats.expiredStalePerc * 0.95;
}

// ---------------------------------------------------------------------------
// Exact 64-bit expire times.
//
// db.expires holds numbers, exact up to 2^53 ms (year 287396). Times beyond
// that (PEXPIREAT k 9223372036854775807) are also kept exactly here, keyed by
// the expires dict (so they follow SWAPDB and die with FLUSHDB). An exact entry
// counts only while db.expires still holds its rounded value, so writers that
// do not know about this side table (SET PXAT, RESTORE, ...) cannot be shadowed
// by a stale entry.

const exactBig = new WeakMap<Dict<number>, Dict<bigint>>();

/** Sets a key's expire time (absolute ms), exactly even beyond 2^53. */
export function setExpireExact(db: Db, key: string, when: number | bigint): void {
  if (typeof when === 'number') {
    db.setExpire(key, when);
    return;
  }
  const approx = Number(when);
  db.setExpire(key, approx);
  if (Number.isSafeInteger(approx)) return;
  let m = exactBig.get(db.expires);
  if (m === undefined) {
    m = new Dict();
    exactBig.set(db.expires, m);
  }
  m.set(key, when);
}

/** A key's expire time (absolute ms), a bigint when beyond 2^53, undefined if none. */
export function getExpireExact(db: Db, key: string): number | bigint | undefined {
  const w = db.expires.get(key);
  if (w === undefined || w <= Number.MAX_SAFE_INTEGER) return w;
  const m = exactBig.get(db.expires);
  if (m === undefined) return w;
  const b = m.get(key);
  if (b === undefined || Number(b) !== w) {
    if (b !== undefined) m.delete(key);
    return w > 0 ? BigInt(w) : w;
  }
  return b;
}

/** Copies src's expire time (if any) to dstKey in dst, exactly. */
export function copyExpire(src: Db, key: string, dst: Db, dstKey: string): void {
  const w = getExpireExact(src, key);
  if (w !== undefined) setExpireExact(dst, dstKey, w);
}
