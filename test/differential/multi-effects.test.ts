// Side effects of transactions against the reference: the dirty counter, the
// keyspace notifications and the replication stream. An EXEC's writes are
// propagated as one MULTI ... EXEC block (a lone write unwrapped, nothing for
// reads or writes that changed nothing), and so is any single command that
// propagates several (a lazily expired key's DEL before the write).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, type Args } from '../helpers/differential.js';
import { EffectsPair } from '../helpers/effects.js';

const skip = skipReason();
let fx: EffectsPair;
before(async () => {
  if (!skip) fx = await EffectsPair.start();
});
after(async () => {
  if (fx) await fx.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The notifications and propagation since the last sync are the same on both
 * servers but for the order of the keys in between (SCAN and RANDOMKEY meet
 * expired keys in their hash tables' order): a MULTI/EXEC block must be one
 * on both.
 */
async function sameEffectsAnyOrder(what: string): Promise<void> {
  const { ev, prop } = await fx.sync();
  assert.deepEqual([...fx.events].sort(), [...ev].sort(), `notifications of ${what}`);
  const line = (p: string[]) => p.join(' ');
  const [mine, theirs] = [fx.propagated.map(line), prop.map(line)];
  assert.deepEqual([...mine].sort(), [...theirs].sort(), `propagation of ${what}`);
  const block = (l: string[]) => l[0] === 'MULTI' && l[l.length - 1] === 'EXEC';
  assert.equal(block(mine), block(theirs), `propagation of ${what}: ${mine.join(', ')}`);
  fx.events = [];
  fx.propagated = [];
}

/** MULTI, the queued commands (replies compared), then EXEC's effects compared. */
async function tx(...queued: Args[]): Promise<void> {
  await fx.pair.check('MULTI');
  for (const q of queued) await fx.pair.check(...q);
  await fx.effect(['EXEC']);
}

test('EXEC propagates its writes as one MULTI/EXEC block; one write alone; nothing for reads', { skip }, async () => {
  await fx.reset();
  await tx();
  await tx(['GET', 'a'], ['PING']);
  await tx(['SET', 'foo', 'bar']);
  await tx(['SET', 'a', 1], ['GET', 'a'], ['SET', 'b', 2], ['GET', 'b'], ['INCR', 'c']);
  await tx(['DEL', 'nokey']);
  await tx(['DEL', 'nokey'], ['SET', 'x', 1], ['SADD', 's', 'm'], ['SADD', 's', 'm']);
  // Rewritten commands keep their rewritten form inside the block.
  await tx(['INCRBYFLOAT', 'f', '1.5'], ['EXPIRE', 'f', 100], ['SET', 'g', 'v', 'EX', 100], ['GETEX', 'g', 'PERSIST']);
  // A runtime error inside: the other writes still go out.
  await tx(['SET', 's2', 'text'], ['INCR', 's2'], ['LPUSH', 's2', 'x'], ['SET', 's3', 'v']);
  await tx(['SET', 'x', 1], ['FLUSHALL']);
  await tx(['FLUSHDB']);
  await tx(['RPUSH', 'l', 'a', 'b', 'c'], ['BLPOP', 'l', 0], ['BLMOVE', 'l', 'l2', 'LEFT', 'RIGHT', 0], ['BLPOP', 'empty', 0]);
  await tx(['ZADD', 'z', 1, 'a', 2, 'b'], ['BZPOPMIN', 'z', 0], ['ZPOPMAX', 'z']);
});

test('failed and aborted EXECs propagate nothing', { skip }, async () => {
  await fx.reset();
  await fx.effect(['SET', 'w', 1]);
  await fx.effect(['WATCH', 'w']);
  await fx.effect(['SET', 'w', 2]);
  await tx(['SET', 'w', 3], ['SET', 'other', 1]);
  await fx.pair.check('MULTI');
  await fx.pair.check('SET', 'a', 1);
  await fx.pair.check('NOSUCH');
  await fx.effect(['EXEC']);
  await fx.pair.check('MULTI');
  await fx.pair.check('SET', 'a', 1);
  await fx.effect(['EXEC', 'x']);
  await fx.pair.check('MULTI');
  await fx.pair.check('SET', 'a', 1);
  await fx.effect(['DISCARD']);
});

test('XREADGROUP inside MULTI: its XCLAIMs go out inside the block', { skip }, async () => {
  await fx.reset();
  await fx.effect(['XADD', 'st', '1-1', 'foo', 'bar']);
  await fx.effect(['XADD', 'st', '2-1', 'foo2', 'bar2']);
  await fx.effect(['XADD', 'st', '3-1', 'foo3', 'bar3']);
  await fx.effect(['XGROUP', 'CREATE', 'st', 'g', 0]);
  await tx(['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', 2, 'STREAMS', 'st', '>'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'st', '>']);
  // One command that propagates several: wrapped too.
  await fx.effect(['XADD', 'st', '4-1', 'a', 'b']);
  await fx.effect(['XADD', 'st', '5-1', 'a', 'b']);
  await fx.effect(['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'st', '>'], { same: (a, b) => /^\d+$/.test(a) && /^\d+$/.test(b) });
});

test('lazily expired keys: a DEL and the write that reaped it as one block; several DELs too, unless SCAN or RANDOMKEY', { skip }, async () => {
  await fx.reset();
  await fx.pair.both('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
  try {
    await fx.effect(['SET', 'k', 'v', 'PX', 1], { reply: true, same: () => true });
    await sleep(5);
    await fx.effect(['SET', 'k', 'v2']);
    await fx.effect(['SET', 'k', 'v', 'PX', 1], { same: () => true });
    await sleep(5);
    await fx.effect(['INCR', 'k']);
    await fx.effect(['SET', 'k', 'v', 'PX', 1], { same: () => true });
    await sleep(5);
    await fx.effect(['GET', 'k']);
    // Inside EXEC: the DEL joins the block; alone (a read-only EXEC) it goes out unwrapped.
    await fx.effect(['SET', 'k', 'v', 'PX', 1], { same: () => true });
    await fx.effect(['SET', 'k2', 'v', 'PX', 1], { same: () => true });
    await sleep(5);
    await tx(['GET', 'k'], ['SET', 'z', 1]);
    await tx(['GET', 'k2']);
    // Several keys reaped by one command: a block, but for SCAN and RANDOMKEY run alone (and not inside EXEC).
    // (Only expired keys in the db: RANDOMKEY reaps them all.)
    await fx.reset();
    for (const reaper of [['MGET', 'k1', 'k2'], ['EXISTS', 'k1', 'k2'], ['SCAN', 0], ['RANDOMKEY'], ['KEYS', '*'], ['DBSIZE']] as Args[]) {
      await fx.effect(['SET', 'k1', 'v', 'PX', 1], { same: () => true });
      await fx.effect(['SET', 'k2', 'v', 'PX', 1], { same: () => true });
      await sleep(5);
      await fx.pair.both(...reaper);
      await sameEffectsAnyOrder(reaper.join(' '));
    }
    await fx.effect(['SET', 'k1', 'v', 'PX', 1], { same: () => true });
    await fx.effect(['SET', 'k2', 'v', 'PX', 1], { same: () => true });
    await sleep(5);
    await fx.pair.both('MULTI');
    await fx.pair.both('SCAN', 0);
    await fx.pair.both('EXEC');
    await sameEffectsAnyOrder('MULTI SCAN 0 EXEC');
  } finally {
    await fx.pair.both('DEBUG', 'SET-ACTIVE-EXPIRE', 1);
  }
});
