// The LFU counter kept in an object's lru field under an LFU maxmemory-policy:
// Redis's LFULogIncr (logarithmic, random) and LFUDecrAndReturn (decay per
// lfu-decay-time minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyspace } from '../../src/db/keyspace.js';
import { RObj, ObjType, Enc } from '../../src/db/robj.js';

function lfuKeyspace(logFactor: number, decayTime: number): Keyspace {
  const ks = new Keyspace(1);
  ks.lfu = true;
  ks.lfuLogFactor = logFactor;
  ks.lfuDecayTime = decayTime;
  return ks;
}

const minutes = (ks: Keyspace): number => Math.floor(ks.now / 60000) & 65535;

test('a new object starts at LFU_INIT_VAL (5) stamped with the current minute', () => {
  const ks = lfuKeyspace(10, 1);
  const lru = ks.freshLru();
  assert.equal(lru & 255, 5);
  assert.equal(lru >>> 8, minutes(ks));
});

test('an access adds one with probability 1 / ((counter - 5) * lfu-log-factor + 1)', () => {
  const ks = lfuKeyspace(10, 1);
  const o = new RObj(ObjType.String, Enc.Raw, 'v', 0);
  // At or below the initial value the probability is 1.
  for (const start of [0, 3, 5]) {
    o.lru = (minutes(ks) << 8) | start;
    ks.touch(o);
    assert.equal(o.lru & 255, start + 1, `from ${start}`);
  }
  // From 6 the probability is 1/11: about 1818 of 20000 accesses.
  let grew = 0;
  for (let i = 0; i < 20000; i++) {
    o.lru = (minutes(ks) << 8) | 6;
    ks.touch(o);
    if ((o.lru & 255) === 7) grew++;
  }
  assert.ok(grew > 1500 && grew < 2150, `grew ${grew} times`);
  // The counter saturates at 255.
  o.lru = (minutes(ks) << 8) | 255;
  ks.touch(o);
  assert.equal(o.lru & 255, 255);
});

test('the counter decays by one per lfu-decay-time minutes, to 0; lfu-decay-time 0 never decays', () => {
  const ks = lfuKeyspace(10, 2);
  const now = minutes(ks);
  const stamped = (ago: number, counter: number): number => (((now - ago + 65536) & 65535) << 8) | counter;
  assert.equal(ks.lfuDecrAndReturn(stamped(0, 9)), 9);
  assert.equal(ks.lfuDecrAndReturn(stamped(1, 9)), 9);
  assert.equal(ks.lfuDecrAndReturn(stamped(6, 9)), 6);
  assert.equal(ks.lfuDecrAndReturn(stamped(100, 9)), 0);
  ks.lfuDecayTime = 0;
  assert.equal(ks.lfuDecrAndReturn(stamped(100, 9)), 9);
});
