// Random sequences of list commands, replies compared with the reference server.
import { test } from 'node:test';
import fc from 'fast-check';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

const key = fc.constantFrom('a', 'b', 's');
const val = fc.oneof(fc.constantFrom('x', 'y', 'z', '1', '-2', '', '300'), fc.string({ maxLength: 5 }));
const idx = fc.integer({ min: -8, max: 8 });
const side = fc.constantFrom('LEFT', 'RIGHT');

const command: fc.Arbitrary<Args> = fc.oneof(
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, fc.array(val, { minLength: 1, maxLength: 4 })).map(([c, k, vs]) => [c, k, ...vs]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key).map(([c, k]) => [c, k]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.integer({ min: -1, max: 5 })).map(([c, k, n]) => [c, k, n]),
  fc.tuple(key).map(([k]) => ['LLEN', k]),
  fc.tuple(key, idx, idx).map(([k, s, e]) => ['LRANGE', k, s, e]),
  fc.tuple(key, idx).map(([k, i]) => ['LINDEX', k, i]),
  fc.tuple(key, idx, val).map(([k, i, v]) => ['LSET', k, i, v]),
  fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), val, val).map(([k, w, p, v]) => ['LINSERT', k, w, p, v]),
  fc.tuple(key, fc.integer({ min: -3, max: 3 }), val).map(([k, n, v]) => ['LREM', k, n, v]),
  fc.tuple(key, idx, idx).map(([k, s, e]) => ['LTRIM', k, s, e]),
  fc.tuple(key, val, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 6 })).map(([k, v, r, n, m]) => [
    'LPOS', k, v, 'RANK', r, 'COUNT', n, 'MAXLEN', m,
  ]),
  fc.tuple(key, val).map(([k, v]) => ['LPOS', k, v]),
  fc.tuple(key, key, side, side).map(([a, b, f, t]) => ['LMOVE', a, b, f, t]),
  fc.tuple(key, key).map(([a, b]) => ['RPOPLPUSH', a, b]),
  fc.tuple(key, key, side, fc.integer({ min: 1, max: 4 })).map(([a, b, w, n]) => ['LMPOP', 2, a, b, w, 'COUNT', n]),
  fc.tuple(key, key).map(([a, b]) => ['BLPOP', a, b, '0.001']),
  fc.constant<Args>(['SET', 's', 'str']),
  fc.constant<Args>(['DEL', 's']),
);

test('random list command sequences match the reference', { skip }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), async (cmds) => {
      await pair.both('FLUSHALL');
      for (const c of cmds) await pair.check(...c);
      for (const k of ['a', 'b']) await pair.check('LRANGE', k, 0, -1);
    }),
    { numRuns: 150 },
  );
});
