// The WATCH tables (src/server/watch.ts) on a server without sockets: who
// watches what, what a touch marks and unwatches, the 7.2 expiry rules, and
// the flush/swap decisions of touchAllWatchedKeysInDb.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../../src/server/server.js';
import { Config } from '../../src/config/config.js';
import { ClientFlag, type Client } from '../../src/server/client.js';
import { RObj, ObjType, Enc } from '../../src/db/robj.js';
import { watchKey, unwatchAllKeys, touchWatchedKey, touchAllWatchedKeysInDb, isWatchedKeyExpired, watchedCount } from '../../src/server/watch.js';
import type { Db } from '../../src/db/keyspace.js';

function setup(): { server: Server; db0: Db; db1: Db; a: Client; b: Client } {
  const server = new Server(new Config());
  return { server, db0: server.keyspace.dbs[0], db1: server.keyspace.dbs[1], a: server.createClient(null), b: server.createClient(null) };
}

const str = (v: string) => new RObj(ObjType.String, Enc.Embstr, v, 0);
const dirty = (c: Client) => (c.flags & ClientFlag.DirtyCas) !== 0;

test('WATCH records each (db, key) once per client, in both tables; unwatch empties them', () => {
  const { db0, db1, a, b } = setup();
  watchKey(a, 'k');
  watchKey(a, 'k');
  watchKey(b, 'k');
  a.db = db1;
  watchKey(a, 'k');
  assert.equal(watchedCount(a), 2);
  assert.equal(db0.watchedKeys.get('k')!.size, 2);
  assert.equal(db1.watchedKeys.get('k')!.size, 1);
  unwatchAllKeys(a);
  assert.equal(watchedCount(a), 0);
  assert.equal(a.watchedKeys, null);
  assert.equal(db0.watchedKeys.get('k')!.size, 1);
  assert.equal(db1.watchedKeys.size, 0);
  unwatchAllKeys(b);
  assert.equal(db0.watchedKeys.size, 0);
});

test('a touch marks every watcher of the key in that db, and they stop watching', () => {
  const { db0, db1, a, b } = setup();
  watchKey(a, 'k');
  watchKey(a, 'other');
  watchKey(b, 'k2');
  db1.setKey('k', str('v'));
  assert.equal(dirty(a), false, 'another db');
  db0.setKey('k', str('v'));
  assert.equal(dirty(a), true);
  assert.equal(dirty(b), false);
  assert.equal(watchedCount(a), 0);
  assert.deepEqual([...db0.watchedKeys.keys()], ['k2']);
  // A direct touch of an unwatched key is a no-op.
  touchWatchedKey(db0, 'nobody');
  assert.equal(dirty(b), false);
});

test('7.2 expiry: a key expired when watched is no change when deleted, a change when written; one that expires later fails EXEC', () => {
  const { server, db0, a, b } = setup();
  const ks = server.keyspace;
  db0.setKey('stale', str('v'));
  db0.setExpire('stale', ks.now - 10);
  watchKey(a, 'stale');
  assert.equal(isWatchedKeyExpired(a), false, 'already expired when watched: ignored');
  db0.expireIfNeeded('stale'); // lazy deletion
  assert.equal(dirty(a), false);
  db0.setKey('stale', str('new'));
  assert.equal(dirty(a), true, 'absent now, then written');
  db0.setKey('live', str('v'));
  db0.setExpire('live', ks.now + 1000);
  watchKey(b, 'live');
  assert.equal(isWatchedKeyExpired(b), false);
  ks.now += 2000;
  assert.equal(isWatchedKeyExpired(b), true, 'expired since WATCH, not deleted yet');
});

test('flush and swap: touched only where a key is (or would be) there and the change is a logical one', () => {
  const { server, db0, db1, a, b } = setup();
  const ks = server.keyspace;
  const fresh = () => {
    for (const c of [a, b]) {
      unwatchAllKeys(c);
      c.flags &= ~ClientFlag.DirtyCas;
      c.db = db0;
    }
    db0.flush();
    db1.flush();
  };
  // FLUSHDB: an existing key touches, an absent one does not.
  db0.setKey('x', str('1'));
  watchKey(a, 'x');
  watchKey(b, 'y');
  touchAllWatchedKeysInDb(db0, null);
  assert.deepEqual([dirty(a), dirty(b)], [true, false]);
  // SWAPDB: a key absent here but present in the other db touches.
  fresh();
  db1.setKey('x', str('1'));
  watchKey(a, 'x');
  touchAllWatchedKeysInDb(db0, db1);
  assert.equal(dirty(a), true);
  // A stale key replaced by nothing, an absent one by a stale key: no change.
  fresh();
  db0.setKey('x', str('1'));
  db0.setExpire('x', ks.now - 1);
  watchKey(a, 'x');
  db1.setKey('y', str('1'));
  db1.setExpire('y', ks.now - 1);
  watchKey(b, 'y');
  touchAllWatchedKeysInDb(db0, db1);
  assert.deepEqual([dirty(a), dirty(b)], [false, false]);
  // ... and the absent key now counts as expired: deleting it later changes nothing either.
  assert.equal(isWatchedKeyExpired(b), false);
});
