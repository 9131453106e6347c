// List commands compared byte for byte with the reference redis-server.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));
beforeEach(async () => {
  if (pair) {
    await pair.resp(2);
    await pair.both('FLUSHALL');
  }
});

async function all(cmds: Args[]): Promise<void> {
  await pair.checkAll(cmds);
}

test('LPUSH/RPUSH/LPUSHX/RPUSHX', { skip }, async () => {
  await all([
    ['LPUSH', 'l', 'a'],
    ['LPUSH', 'l', 'b', 'c', 'd'],
    ['RPUSH', 'l', '1', '2', '-3', '9223372036854775807', '9223372036854775808', '01'],
    ['LRANGE', 'l', 0, -1],
    ['LPUSHX', 'nokey', 'a'],
    ['RPUSHX', 'nokey', 'a', 'b'],
    ['EXISTS', 'nokey'],
    ['LPUSHX', 'l', 'x', 'y'],
    ['RPUSHX', 'l', 'z'],
    ['LRANGE', 'l', 0, -1],
    ['SET', 's', 'v'],
    ['LPUSH', 's', 'a'],
    ['RPUSH', 's', 'a'],
    ['LPUSHX', 's', 'a'],
    ['RPUSHX', 's', 'a'],
    ['LPUSH', 'l'],
    ['RPUSH'],
    ['LPUSHX', 'l'],
    ['RPUSH', 'e', ''],
    ['LRANGE', 'e', 0, -1],
    ['RPUSH', Buffer.from([0, 255, 13, 10]), Buffer.from([1, 0, 2])],
    ['LRANGE', Buffer.from([0, 255, 13, 10]), 0, -1],
    ['TYPE', 'l'],
  ]);
});

test('LPOP/RPOP with and without count', { skip }, async () => {
  await all([
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
    ['LPOP', 'l'],
    ['RPOP', 'l'],
    ['LPOP', 'l', 0],
    ['RPOP', 'l', 0],
    ['LPOP', 'l', 2],
    ['RPUSH', 'l', 'x', 'y', 'z'],
    ['RPOP', 'l', 2],
    ['LPOP', 'l', 100],
    ['EXISTS', 'l'],
    ['LPOP', 'l'],
    ['RPOP', 'l'],
    ['LPOP', 'l', 0],
    ['LPOP', 'l', 3],
    ['RPOP', 'l', 3],
    ['LPOP', 'l', -1],
    ['RPOP', 'l', 'x'],
    ['LPOP', 'l', '1.5'],
    ['LPOP', 'l', 1, 2],
    ['LPOP'],
    ['SET', 's', 'v'],
    ['LPOP', 's'],
    ['RPOP', 's', 2],
    ['LPOP', 's', -1],
    ['RPUSH', 'm', 'only'],
    ['RPOP', 'm', 1],
    ['EXISTS', 'm'],
  ]);
});

test('LPOP/RPOP RESP3 nulls', { skip }, async () => {
  await pair.resp(3);
  await all([
    ['LPOP', 'nokey'],
    ['LPOP', 'nokey', 2],
    ['RPOP', 'nokey', 0],
    ['RPUSH', 'l', 'a'],
    ['LPOP', 'l', 0],
    ['RPOP', 'l', 5],
    ['LINDEX', 'l', 0],
    ['LPOS', 'l', 'a'],
    ['LMPOP', 1, 'l', 'LEFT'],
    ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'],
    ['BLPOP', 'l', '0.01'],
    ['BLMOVE', 'l', 'm', 'LEFT', 'LEFT', '0.01'],
    ['BRPOPLPUSH', 'l', 'm', '0.01'],
    ['BLMPOP', '0.01', 1, 'l', 'LEFT'],
  ]);
});

test('LLEN, LINDEX, LRANGE edge indexes', { skip }, async () => {
  const cmds: Args[] = [['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f']];
  for (const [s, e] of [
    [0, -1], [0, 0], [-1, -1], [-100, 100], [2, 1], [5, 10], [6, 10], [-6, -5], [-7, -7], [3, -3], [0, -7],
    ['9223372036854775807', '-9223372036854775808'], ['-9223372036854775808', '9223372036854775807'],
  ]) cmds.push(['LRANGE', 'l', s, e]);
  for (const i of [0, 5, 6, -1, -6, -7, '9223372036854775807', '-9223372036854775808']) cmds.push(['LINDEX', 'l', i]);
  cmds.push(
    ['LLEN', 'l'],
    ['LLEN', 'nokey'],
    ['LINDEX', 'nokey', 0],
    ['LINDEX', 'nokey', 'x'],
    ['LINDEX', 'l', 'x'],
    ['LINDEX', 'l', '1.0'],
    ['LRANGE', 'nokey', 0, -1],
    ['LRANGE', 'nokey', 'x', -1],
    ['LRANGE', 'l', 'x', -1],
    ['LRANGE', 'l', 0, '9223372036854775808'],
    ['SET', 's', 'v'],
    ['LLEN', 's'],
    ['LINDEX', 's', 0],
    ['LRANGE', 's', 0, -1],
    ['LRANGE', 's', 'x', -1],
    ['LLEN'],
    ['LINDEX', 'l'],
    ['LRANGE', 'l', 0],
  );
  await all(cmds);
});

test('LSET', { skip }, async () => {
  await all([
    ['LSET', 'nokey', 0, 'x'],
    ['LSET', 'nokey', 'x', 'x'],
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['LSET', 'l', 0, 'A'],
    ['LSET', 'l', -1, 'C'],
    ['LSET', 'l', 3, 'x'],
    ['LSET', 'l', -4, 'x'],
    ['LSET', 'l', 'x', 'x'],
    ['LSET', 'l', 1, 'x'.repeat(10000)],
    ['LRANGE', 'l', 0, -1],
    ['LSET', 'l', 1, '12'],
    ['LRANGE', 'l', 0, -1],
    ['SET', 's', 'v'],
    ['LSET', 's', 0, 'x'],
    ['LSET', 'l', 0],
  ]);
});

test('LINSERT', { skip }, async () => {
  await all([
    ['LINSERT', 'nokey', 'BEFORE', 'a', 'x'],
    ['LINSERT', 'nokey', 'MIDDLE', 'a', 'x'],
    ['RPUSH', 'l', 'a', 'b', 'c', 'b'],
    ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
    ['LINSERT', 'l', 'after', 'b', 'y'],
    ['LINSERT', 'l', 'AFTER', 'c', 'z'],
    ['LINSERT', 'l', 'BEFORE', 'a', 'first'],
    ['LINSERT', 'l', 'AFTER', 'b', 'last'],
    ['LINSERT', 'l', 'BEFORE', 'nope', 'x'],
    ['LINSERT', 'l', 'MIDDLE', 'a', 'x'],
    ['LRANGE', 'l', 0, -1],
    ['SET', 's', 'v'],
    ['LINSERT', 's', 'BEFORE', 'a', 'x'],
    ['LINSERT', 's', 'MIDDLE', 'a', 'x'],
    ['LINSERT', 'l', 'BEFORE', 'a'],
  ]);
});

test('LREM', { skip }, async () => {
  const seed: Args = ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a'];
  await all([
    seed,
    ['LREM', 'l', 2, 'a'],
    ['LRANGE', 'l', 0, -1],
    ['LREM', 'l', -1, 'a'],
    ['LRANGE', 'l', 0, -1],
    ['LREM', 'l', 0, 'b'],
    ['LRANGE', 'l', 0, -1],
    ['LREM', 'l', 0, 'nope'],
    ['LREM', 'l', 0, 'a'],
    ['LREM', 'l', 0, 'c'],
    ['EXISTS', 'l'],
    ['LREM', 'nokey', 0, 'a'],
    ['LREM', 'nokey', 'x', 'a'],
    ['LREM', 'l', 'x', 'a'],
    seed,
    ['LREM', 'l', -100, 'a'],
    ['LRANGE', 'l', 0, -1],
    ['SET', 's', 'v'],
    ['LREM', 's', 0, 'a'],
  ]);
});

test('LTRIM', { skip }, async () => {
  const cmds: Args[] = [];
  for (const [s, e] of [[0, -1], [1, -2], [2, 1], [-3, -1], [0, 0], [-100, 100], [5, 100], [6, 10], [-1, 0], [3, 3]]) {
    cmds.push(['DEL', 'l'], ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'], ['LTRIM', 'l', s, e], ['LRANGE', 'l', 0, -1], ['EXISTS', 'l']);
  }
  cmds.push(['LTRIM', 'nokey', 0, 1], ['LTRIM', 'l', 'x', 1], ['LTRIM', 'nokey', 0, 'y'], ['SET', 's', 'v'], ['LTRIM', 's', 0, 1]);
  await all(cmds);
});

test('LPOS options', { skip }, async () => {
  await all([
    ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a'],
    ['LPOS', 'l', 'a'],
    ['LPOS', 'l', 'c'],
    ['LPOS', 'l', 'x'],
    ['LPOS', 'l', 'a', 'RANK', 2],
    ['LPOS', 'l', 'a', 'RANK', -1],
    ['LPOS', 'l', 'a', 'RANK', -3],
    ['LPOS', 'l', 'a', 'RANK', 4],
    ['LPOS', 'l', 'a', 'RANK', -4],
    ['LPOS', 'l', 'a', 'RANK', 0],
    ['LPOS', 'l', 'a', 'COUNT', 0],
    ['LPOS', 'l', 'a', 'COUNT', 2],
    ['LPOS', 'l', 'a', 'COUNT', 2, 'RANK', 2],
    ['LPOS', 'l', 'a', 'COUNT', 0, 'RANK', -1],
    ['LPOS', 'l', 'a', 'COUNT', 0, 'MAXLEN', 4],
    ['LPOS', 'l', 'a', 'MAXLEN', 3, 'RANK', 2],
    ['LPOS', 'l', 'a', 'MAXLEN', 1, 'RANK', -1],
    ['LPOS', 'l', 'x', 'COUNT', 5],
    ['LPOS', 'l', 'a', 'COUNT', -1],
    ['LPOS', 'l', 'a', 'COUNT', 'x'],
    ['LPOS', 'l', 'a', 'MAXLEN', -1],
    ['LPOS', 'l', 'a', 'RANK', 'x'],
    ['LPOS', 'l', 'a', 'RANK'],
    ['LPOS', 'l', 'a', 'FOO', 1],
    ['LPOS', 'nokey', 'a'],
    ['LPOS', 'nokey', 'a', 'COUNT', 1],
    ['LPOS', 'nokey', 'a', 'RANK', 0],
    ['SET', 's', 'v'],
    ['LPOS', 's', 'a'],
    ['LPOS', 's', 'a', 'RANK', 0],
    ['LPOS', 'l'],
  ]);
});

test('LMOVE and RPOPLPUSH', { skip }, async () => {
  const cmds: Args[] = [];
  for (const from of ['LEFT', 'RIGHT']) {
    for (const to of ['LEFT', 'right']) {
      cmds.push(['DEL', 'a', 'b'], ['RPUSH', 'a', '1', '2', '3'], ['RPUSH', 'b', 'x'], ['LMOVE', 'a', 'b', from, to], ['LRANGE', 'a', 0, -1], ['LRANGE', 'b', 0, -1]);
      cmds.push(['LMOVE', 'a', 'a', from, to], ['LRANGE', 'a', 0, -1]);
    }
  }
  cmds.push(
    ['LMOVE', 'nokey', 'b', 'LEFT', 'LEFT'],
    ['LMOVE', 'a', 'b', 'UP', 'LEFT'],
    ['LMOVE', 'a', 'b', 'LEFT', 'DOWN'],
    ['DEL', 'a', 'b'],
    ['RPUSH', 'a', 'only'],
    ['LMOVE', 'a', 'new', 'LEFT', 'RIGHT'],
    ['EXISTS', 'a'],
    ['LRANGE', 'new', 0, -1],
    ['RPUSH', 'r', 'only'],
    ['LMOVE', 'r', 'r', 'LEFT', 'RIGHT'],
    ['LRANGE', 'r', 0, -1],
    ['SET', 's', 'v'],
    ['LMOVE', 's', 'new', 'LEFT', 'LEFT'],
    ['LMOVE', 'new', 's', 'LEFT', 'LEFT'],
    ['LRANGE', 'new', 0, -1],
    ['RPOPLPUSH', 'new', 'other'],
    ['RPOPLPUSH', 'nokey', 'other'],
    ['RPOPLPUSH', 's', 'other'],
    ['RPOPLPUSH', 'other', 's'],
    ['LRANGE', 'other', 0, -1],
    ['RPOPLPUSH', 'other', 'other'],
    ['RPOPLPUSH', 'other'],
  );
  await all(cmds);
});

test('LMPOP', { skip }, async () => {
  await all([
    ['LMPOP', 2, 'a', 'b', 'LEFT'],
    ['RPUSH', 'b', '1', '2', '3', '4'],
    ['LMPOP', 2, 'a', 'b', 'LEFT'],
    ['LMPOP', 2, 'a', 'b', 'RIGHT', 'COUNT', 2],
    ['LMPOP', 2, 'a', 'b', 'right', 'count', 10],
    ['EXISTS', 'b'],
    ['LMPOP', 0, 'a', 'LEFT'],
    ['LMPOP', -1, 'a', 'LEFT'],
    ['LMPOP', 'x', 'a', 'LEFT'],
    ['LMPOP', 1, 'a', 'MIDDLE'],
    ['LMPOP', 2, 'a', 'LEFT'],
    ['LMPOP', 1, 'a', 'LEFT', 'COUNT'],
    ['LMPOP', 1, 'a', 'LEFT', 'COUNT', 0],
    ['LMPOP', 1, 'a', 'LEFT', 'COUNT', -1],
    ['LMPOP', 1, 'a', 'LEFT', 'COUNT', 'x'],
    ['LMPOP', 1, 'a', 'LEFT', 'COUNT', 1, 'COUNT', 1],
    ['LMPOP', 1, 'a', 'LEFT', 'FOO'],
    ['SET', 's', 'v'],
    ['RPUSH', 'c', 'x'],
    ['LMPOP', 2, 's', 'c', 'LEFT'],
    ['LMPOP', 2, 'c', 's', 'LEFT'],
    ['LMPOP', 1],
    ['LMPOP', 1, 'a'],
  ]);
});

test('blocking commands that are served at once, or time out', { skip }, async () => {
  await all([
    ['RPUSH', 'a', '1', '2', '3'],
    ['BLPOP', 'nokey', 'a', 0],
    ['BRPOP', 'nokey', 'a', 1],
    ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', 0],
    ['BRPOPLPUSH', 'b', 'a', 0],
    ['BLMPOP', 0, 2, 'nokey', 'a', 'LEFT', 'COUNT', 5],
    ['EXISTS', 'a'],
    ['BLPOP', 'nokey', '0.01'],
    ['BRPOP', 'nokey', 'other', '0.01'],
    ['BLMOVE', 'nokey', 'b', 'LEFT', 'RIGHT', '0.01'],
    ['BRPOPLPUSH', 'nokey', 'b', '0.01'],
    ['BLMPOP', '0.01', 1, 'nokey', 'LEFT'],
    ['SET', 's', 'v'],
    ['BLPOP', 's', 0],
    ['BLPOP', 'nokey', 's', 0],
    ['BLMOVE', 's', 'b', 'LEFT', 'RIGHT', 0],
    ['RPUSH', 'c', 'x'],
    ['BLMOVE', 'c', 's', 'LEFT', 'RIGHT', 0],
    ['BLMPOP', 0, 1, 's', 'LEFT'],
    ['BLPOP', 'nokey', 'x'],
    ['BLPOP', 'nokey', -1],
    ['BLPOP', 'nokey', 'nan'],
    ['BLPOP', 'nokey', ' 1'],
    ['BLPOP', 'nokey', '1e5000'],
    ['BLPOP', 'nokey', '1e400'],
    // Below a double's range but within a long double's (strtold): a tiny timeout, 1 ms after rounding up, not 0 (forever).
    ['BLPOP', 'nokey', '1e-400'],
    ['BRPOP', 'nokey', '0.' + '0'.repeat(400) + '1'],
    ['BLPOP', 'nokey', '1e-5000'],
    ['BLPOP', 'nokey', 'inf'],
    ['BLPOP', 'nokey', '-inf'],
    ['BLMPOP', '+inf', 1, 'nokey', 'LEFT'],
    ['BRPOP', 'nokey', '0x1p-8'],
    ['BLPOP', 'nokey', '-0.0001x'],
    ['BLMOVE', 'c', 'b', 'UP', 'RIGHT', 'x'],
    ['BLMOVE', 'c', 'b', 'LEFT', 'RIGHT', 'x'],
    ['BRPOPLPUSH', 'c', 'b', -1],
    ['BLMPOP', 'x', 1, 'c', 'LEFT'],
    ['BLMPOP', 0, 0, 'c', 'LEFT'],
    ['BLMPOP', 0, 1, 'c', 'UP'],
    ['BLMPOP', 0, 1, 'c', 'LEFT', 'COUNT', 0],
    ['BLPOP', 'a'],
    ['BLMPOP', 0, 1],
  ]);
});

test('blocking commands inside MULTI do not block', { skip }, async () => {
  await all([
    ['MULTI'],
    ['BLPOP', 'nokey', 0],
    ['BRPOP', 'nokey', 0],
    ['BLMOVE', 'nokey', 'x', 'LEFT', 'LEFT', 0],
    ['BRPOPLPUSH', 'nokey', 'x', 0],
    ['BLMPOP', 0, 1, 'nokey', 'LEFT'],
    ['RPUSH', 'k', 'v'],
    ['BLPOP', 'k', 0],
    ['EXEC'],
  ]);
});

test('keyspace notifications', { skip }, async () => {
  const [ps, pr] = await pair.connectMore();
  await pair.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  try {
    const [a, b] = await Promise.all([ps.call('PSUBSCRIBE', '__key*__:*'), pr.call('PSUBSCRIBE', '__key*__:*')]);
    if (a !== b) return; // pub/sub or notifications not implemented yet
    const cmds: Args[] = [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['LPUSH', 'l', 'z'],
      ['LPOP', 'l'],
      ['RPOP', 'l', 2],
      ['LSET', 'l', 0, 'q'],
      ['LINSERT', 'l', 'BEFORE', 'q', 'p'],
      ['LREM', 'l', 1, 'p'],
      ['LTRIM', 'l', 0, 0],
      ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
      ['RPUSH', 'l', 'x'],
      ['LMPOP', 1, 'l', 'LEFT'],
      ['RPUSHX', 'm', 'y'],
      ['LTRIM', 'm', 5, 6],
    ];
    for (const c of cmds) {
      await pair.check(...c);
    }
    await pair.check('PING');
    // Drain the same number of messages on both and compare.
    const n = 40;
    const got: string[][] = [[], []];
    for (const [i, cl] of [ps, pr].entries()) {
      for (let k = 0; k < n; k++) {
        const r = await Promise.race([cl.read(), new Promise<string>((res) => setTimeout(() => res(''), 200))]);
        if (r === '') break;
        got[i].push(r);
      }
    }
    assert.deepEqual(got[0], got[1]);
  } finally {
    await pair.both('CONFIG', 'SET', 'notify-keyspace-events', '');
    ps.close();
    pr.close();
  }
});

test('wrong arity for every list command', { skip }, async () => {
  await all([
    ['LPUSH'], ['RPUSH', 'k'], ['LPUSHX'], ['RPUSHX', 'k'], ['LPOP'], ['RPOP'], ['LLEN'], ['LLEN', 'a', 'b'],
    ['LRANGE', 'k'], ['LINDEX', 'k'], ['LSET', 'k', 0], ['LINSERT', 'k', 'BEFORE', 'a'], ['LREM', 'k', 0],
    ['LTRIM', 'k', 0], ['LPOS', 'k'], ['LMOVE', 'a', 'b', 'LEFT'], ['RPOPLPUSH', 'a'], ['LMPOP', 1, 'k'],
    ['BLPOP', 'k'], ['BRPOP', 'k'], ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT'], ['BRPOPLPUSH', 'a', 'b'], ['BLMPOP', 0, 1, 'k'],
  ]);
});

test('large values and big lists', { skip }, async () => {
  const big = 'v'.repeat(100000);
  const cmds: Args[] = [['RPUSH', 'l', big, 'small', big]];
  const many: Args = ['RPUSH', 'n'];
  for (let i = 0; i < 3000; i++) many.push(String(i % 7 === 0 ? 'x'.repeat(i % 100) : i));
  cmds.push(many, ['LLEN', 'n'], ['LRANGE', 'n', 1000, 1100], ['LINDEX', 'n', -1], ['LPOS', 'n', '70', 'COUNT', 0]);
  cmds.push(['LREM', 'n', 0, ''], ['LLEN', 'n'], ['LTRIM', 'n', 100, -100], ['LRANGE', 'n', 0, 10], ['LINSERT', 'n', 'AFTER', '500', big]);
  cmds.push(['LRANGE', 'l', 0, -1], ['LPOP', 'l', 2], ['LRANGE', 'n', 395, 400]);
  await all(cmds);
});

test('encodings: listpack to quicklist past list-max-listpack-size and back at half, as Redis 7.2', { skip }, async () => {
  const enc = (key: string): Args => ['OBJECT', 'ENCODING', key];
  const v = 'x'.repeat(100);
  const cmds: Args[] = [
    ['CONFIG', 'SET', 'list-max-listpack-size', '4'],
    ['RPUSH', 'l', 'a', 'b', 'c'], enc('l'),
    ['RPUSH', 'l', 'd', 'e'], enc('l'),
    ['RPOP', 'l'], enc('l'),
    ['RPOP', 'l', 2], enc('l'),
    ['DEL', 'l'], ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
    ['LINSERT', 'l', 'AFTER', 'b', 'x'], enc('l'),
    ['LREM', 'l', 0, 'x'], ['LREM', 'l', 0, 'a'], enc('l'),
    ['LREM', 'l', 1, 'b'], enc('l'),
    ['DEL', 'l'], ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
    ['LSET', 'l', 10, 'x'.repeat(9000)], enc('l'),
    ['DEL', 'l'], ['RPUSH', 'l', '1', '2', '3', '4', '5', '6'],
    ['LTRIM', 'l', 0, 2], enc('l'),
    ['LTRIM', 'l', 0, 1], enc('l'),
  ];
  for (const move of [['LMOVE', 'l', 'dst', 'RIGHT', 'LEFT'], ['RPOPLPUSH', 'l', 'dst'], ['BLMOVE', 'l', 'dst', 'RIGHT', 'LEFT', 0]]) {
    cmds.push(['DEL', 'l', 'dst'], ['RPUSH', 'l', '1', '2', '3', '4', '5'], move, move, enc('l'), move, enc('l'), enc('dst'));
  }
  cmds.push(['CONFIG', 'SET', 'list-max-listpack-size', '-2'], ['DEL', 'l']);
  for (let i = 0; i < 79; i++) cmds.push(['RPUSH', 'l', v]);
  cmds.push(enc('l'), ['RPUSH', 'l', v], enc('l'), ['LTRIM', 'l', 0, 39], enc('l'), ['LPOP', 'l'], enc('l'));
  cmds.push(['RPUSH', 'big', 'y'.repeat(9000)], enc('big'), ['LMOVE', 'big', 'dst2', 'LEFT', 'RIGHT'], enc('dst2'));
  await all(cmds);
});
