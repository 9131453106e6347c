// Side effects of scripts and functions against the reference: the dirty
// counter, keyspace notifications and the replication stream. A script's
// writes go out as its effects (never the EVAL itself), several wrapped in
// MULTI ... EXEC, one alone, nothing for a read-only script; the same inside
// MULTI/EXEC, with SELECT inside a script, and for FUNCTION LOAD/DELETE/FLUSH.

import { test, before, after } from 'node:test';
import { skipReason } from '../helpers/differential.js';
import { EffectsPair } from '../helpers/effects.js';

const skip = skipReason();
let fx: EffectsPair;
before(async () => {
  if (!skip) fx = await EffectsPair.start();
});
after(async () => {
  if (fx) await fx.close();
});

test('EVAL propagates its effects: several as one MULTI/EXEC block, one alone, nothing for reads', { skip }, async () => {
  await fx.reset();
  await fx.effect(['EVAL', "return redis.call('get', 'a')", 0]);
  await fx.effect(['EVAL', "return redis.call('set', 'a', 1)", 0]);
  await fx.effect(['EVAL', "redis.call('set', 'a', 2); redis.call('incr', 'a'); redis.call('rpush', 'l', 'x', 'y'); return redis.call('get', 'a')", 0]);
  await fx.effect(['EVAL', "redis.call('set', 'b', 1); return redis.pcall('incr', 'l')", 0]);
  await fx.effect(['EVAL', "redis.call('set', 'c', 1); error('after a write')", 0]);
  await fx.effect(['EVAL', "redis.call('del', 'nokey'); return 1", 0]);
  // Rewritten commands keep their rewritten form.
  await fx.effect(['EVAL', "redis.call('set', 'e', 'v', 'EX', 100); redis.call('expire', 'a', 100); return redis.call('incrbyfloat', 'f', '1.5')", 0]);
  // SELECT inside the script (the helper watches db 0's notifications; SELECT's own effect on the caller is in scripting.test.ts).
  await fx.effect(['EVAL', "redis.call('select', 1); redis.call('select', 0); redis.call('set', 'in0', 'v')", 0]);
  await fx.effect(['SET', 'after', 'x']);
  await fx.effect(['EVAL', '#!lua flags=no-writes\nreturn redis.call("get", "a")', 0]);
  await fx.effect(['EVAL_RO', "return redis.call('get', 'a')", 0]);
});

test('EVALSHA and FCALL propagate effects like EVAL; FUNCTION LOAD/DELETE/FLUSH count as changes', { skip }, async () => {
  await fx.reset();
  await fx.effect(['SCRIPT', 'LOAD', "redis.call('set', KEYS[1], ARGV[1]); return redis.call('incr', KEYS[2])"], { reply: false });
  await fx.effect(['EVALSHA', '5a51561970fce69b65d18f82817841fe5d6af813', 2, 'k', 'c', 'v']);
  await fx.effect(['FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function('w', function(k, a) redis.call('set', k[1], a[1]); return redis.call('lpush', k[2], a[1]) end)"]);
  await fx.effect(['FCALL', 'w', 2, 'x', 'y', 'val']);
  await fx.effect(['FUNCTION', 'DELETE', 'lib']);
  await fx.effect(['FUNCTION', 'FLUSH']);
});

test('MULTI/EXEC around EVAL: one block with the script\'s effects inside', { skip }, async () => {
  await fx.reset();
  await fx.pair.check('MULTI');
  await fx.pair.check('SET', 'm1', 1);
  await fx.pair.check('EVAL', "redis.call('incr', 'm1'); return redis.call('set', 'm2', 'x')", 0);
  await fx.effect(['EXEC']);
});
