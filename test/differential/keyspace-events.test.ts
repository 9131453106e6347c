// Keyspace notifications as published, compared with redis-server: a
// PSUBSCRIBE * connection on each server sees every message the commands of
// another connection cause (channel, payload, order), for every command
// family, then under narrower notify-keyspace-events masks.

import { test, before, after } from 'node:test';
import { startPair, skipReason, type DiffPair, type Args } from '../helpers/differential.js';
import { MultiConn } from '../helpers/pubsub.js';

const skip = skipReason();
const timeout = 60000;
let pair: DiffPair;
let m: MultiConn;
before(async () => {
  if (skip) return;
  pair = (await startPair())!;
  m = await MultiConn.open(pair, 2);
  await m.step(1, ['PSUBSCRIBE', '*']);
});
after(async () => {
  if (m) m.close();
  if (pair) await pair.close();
});

/** Sets the mask on both, flushes, then runs the commands on connection 0, comparing everything received. */
async function run(flags: string, cmds: Args[], opts: { mask?: (f: string) => string } = {}): Promise<void> {
  await m.step(0, ['CONFIG', 'SET', 'notify-keyspace-events', flags]);
  await m.step(0, ['FLUSHALL']);
  for (const c of cmds) await m.step(0, c, opts);
  await m.step(0, ['CONFIG', 'SET', 'notify-keyspace-events', '']);
}

/** Replies that depend on Redis's randomness: the events are what is compared. */
const unorderedReply = (f: string) => (f.startsWith('*') && !f.includes('pmessage') ? f.split('\r\n').length.toString() : f);

const GENERIC: Args[] = [
  ['SET', 'k', 'v'],
  ['DEL', 'k', 'nokey'],
  ['MSET', 'a', '1', 'b', '2', 'c', '3'],
  ['UNLINK', 'a', 'b'],
  ['EXPIRE', 'c', '100'],
  ['PEXPIRE', 'c', '100000'],
  ['EXPIREAT', 'c', '99999999999'],
  ['EXPIRE', 'c', '100', 'NX'],
  ['EXPIRE', 'c', '10', 'GT'],
  ['PERSIST', 'c'],
  ['PERSIST', 'c'],
  ['EXPIRE', 'c', '-1'],
  ['SET', 'c', '1'],
  ['PEXPIREAT', 'c', '1'],
  ['SET', 'r1', 'v'],
  ['RENAME', 'r1', 'r2'],
  ['RENAME', 'r2', 'r2'],
  ['SET', 'r3', 'x'],
  ['RENAMENX', 'r2', 'r3'],
  ['RENAMENX', 'r2', 'r4'],
  ['RENAME', 'nokey', 'x'],
  ['MOVE', 'r4', '1'],
  ['MOVE', 'r3', '1'],
  ['SET', 'r3', 'again'],
  ['MOVE', 'r3', '1'],
  ['COPY', 'r3', 'r5'],
  ['COPY', 'r3', 'r5'],
  ['COPY', 'r3', 'r5', 'REPLACE'],
  ['COPY', 'r3', 'r6', 'DB', '2'],
  ['SELECT', '2'],
  ['SET', 'in2', 'x'],
  ['EXPIRE', 'in2', '50'],
  ['DEL', 'in2', 'r6'],
  ['SELECT', '0'],
  ['SWAPDB', '0', '1'],
  ['TOUCH', 'r3'],
  ['RPUSH', 'src', '3', '1', '2'],
  ['SORT', 'src', 'STORE', 'dst'],
  ['SORT', 'nokey', 'STORE', 'dst'],
  ['FLUSHDB'],
];

const STRINGS: Args[] = [
  ['SET', 's', 'v'],
  ['SET', 's', 'v', 'NX'],
  ['SET', 's', 'w', 'XX', 'GET'],
  ['SET', 's', 'v', 'EX', '100'],
  ['SET', 's', 'v', 'KEEPTTL'],
  ['SET', 's', 'v', 'PXAT', '99999999999999'],
  ['SETNX', 's', 'x'],
  ['SETNX', 's2', 'x'],
  ['SETEX', 's3', '100', 'x'],
  ['PSETEX', 's4', '100000', 'x'],
  ['MSETNX', 'n1', '1', 'n2', '2'],
  ['MSETNX', 'n1', '1', 'n3', '2'],
  ['GETSET', 's', 'new'],
  ['GETDEL', 's'],
  ['GETDEL', 's'],
  ['GETEX', 's2', 'EX', '100'],
  ['GETEX', 's2', 'PERSIST'],
  ['GETEX', 's2'],
  ['APPEND', 's2', 'more'],
  ['APPEND', 'fresh', 'x'],
  ['SETRANGE', 's2', '10', 'abc'],
  ['SETRANGE', 'empty', '0', ''],
  ['INCR', 'i'],
  ['INCRBY', 'i', '5'],
  ['DECR', 'i'],
  ['DECRBY', 'i', '2'],
  ['INCRBYFLOAT', 'i', '1.5'],
  ['INCR', 's2'],
  ['SETBIT', 'bits', '7', '1'],
  ['SETBIT', 'bits', '7', '1'],
  ['BITFIELD', 'bf', 'SET', 'u8', '0', '200', 'INCRBY', 'u8', '0', '100'],
  ['BITFIELD', 'bf', 'GET', 'u8', '0'],
  ['BITOP', 'AND', 'dest', 'bits', 'bf'],
  ['BITOP', 'OR', 'dest', 'nokey'],
  ['PFADD', 'hll', 'a', 'b'],
  ['PFADD', 'hll', 'a'],
  ['PFADD', 'hll2', 'c'],
  ['PFMERGE', 'hll3', 'hll', 'hll2'],
  ['PFCOUNT', 'hll', 'hll2'],
  ['LCS', 'n1', 'n2'],
];

const LISTS: Args[] = [
  ['LPUSH', 'l', 'a', 'b'],
  ['RPUSH', 'l', 'c'],
  ['LPUSHX', 'l', 'x'],
  ['RPUSHX', 'nokey', 'x'],
  ['LINSERT', 'l', 'BEFORE', 'a', 'ins'],
  ['LINSERT', 'l', 'BEFORE', 'zz', 'ins'],
  ['LSET', 'l', '0', 'set'],
  ['LREM', 'l', '0', 'ins'],
  ['LTRIM', 'l', '0', '2'],
  ['LPOP', 'l'],
  ['RPOP', 'l', '5'],
  ['RPUSH', 'l', '1', '2', '3', '4'],
  ['RPOPLPUSH', 'l', 'l2'],
  ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
  ['LMOVE', 'l2', 'l2', 'LEFT', 'LEFT'],
  ['LMPOP', '2', 'nokey', 'l', 'LEFT', 'COUNT', '10'],
  ['BLPOP', 'l2', '0'],
  ['BLMOVE', 'l2', 'l3', 'RIGHT', 'LEFT', '0'],
  ['BRPOPLPUSH', 'l3', 'l3', '0'],
  ['BLMPOP', '0', '1', 'l3', 'RIGHT', 'COUNT', '1'],
  ['LTRIM', 'l3', '1', '0'],
];

const HASHES: Args[] = [
  ['HSET', 'h', 'a', '1', 'b', '2'],
  ['HSET', 'h', 'a', '1'],
  ['HSETNX', 'h', 'a', '1'],
  ['HSETNX', 'h', 'c', '1'],
  ['HMSET', 'h', 'd', '1'],
  ['HINCRBY', 'h', 'a', '2'],
  ['HINCRBYFLOAT', 'h', 'a', '0.5'],
  ['HDEL', 'h', 'a', 'nope'],
  ['HDEL', 'h', 'nope'],
  ['HDEL', 'h', 'b', 'c', 'd'],
  ['HGET', 'h', 'a'],
];

const SETS: Args[] = [
  ['SADD', 's', 'a', 'b', 'c'],
  ['SADD', 's', 'a'],
  ['SREM', 's', 'a', 'x'],
  ['SREM', 's', 'x'],
  ['SMOVE', 's', 't', 'b'],
  ['SMOVE', 's', 't', 'b'],
  ['SMOVE', 's', 's', 'c'],
  ['SADD', 'u', '1', '2'],
  ['SINTERSTORE', 'd', 't', 'u'],
  ['SUNIONSTORE', 'd', 't', 'u'],
  ['SDIFFSTORE', 'd', 'u', 't'],
  ['SDIFFSTORE', 'd', 'u', 'u'],
  ['SPOP', 'u', '10'],
  ['SADD', 'v', 'x'],
  ['SPOP', 'v'],
  ['SINTERCARD', '1', 't'],
];

const ZSETS: Args[] = [
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
  ['ZADD', 'z', '1', 'a'],
  ['ZADD', 'z', 'XX', 'CH', '5', 'a'],
  ['ZADD', 'z', 'INCR', '1', 'a'],
  ['ZINCRBY', 'z', '1', 'b'],
  ['ZREM', 'z', 'a', 'nope'],
  ['ZREMRANGEBYSCORE', 'z', '100', '200'],
  ['ZREMRANGEBYRANK', 'z', '0', '0'],
  ['ZADD', 'z', '0', 'x', '0', 'y', '0', 'zz'],
  ['ZREMRANGEBYLEX', 'z', '[x', '[y'],
  ['ZPOPMIN', 'z'],
  ['ZPOPMAX', 'z', '2'],
  ['ZADD', 'z2', '1', 'a', '2', 'b'],
  ['ZADD', 'z3', '1', 'b', '2', 'c'],
  ['ZUNIONSTORE', 'out', '2', 'z2', 'z3'],
  ['ZINTERSTORE', 'out', '2', 'z2', 'z3'],
  ['ZDIFFSTORE', 'out', '2', 'z2', 'z3'],
  ['ZINTERSTORE', 'out', '2', 'z2', 'nokey'],
  ['ZRANGESTORE', 'out2', 'z2', '0', '-1'],
  ['ZRANGESTORE', 'out2', 'z2', '5', '6'],
  ['ZMPOP', '1', 'z2', 'MIN'],
  ['BZPOPMIN', 'z2', '0'],
  ['BZPOPMAX', 'z3', '0'],
  ['BZMPOP', '0', '1', 'z3', 'MAX', 'COUNT', '5'],
  ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
  ['GEOSEARCHSTORE', 'g2', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '500', 'km'],
  ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'g3'],
];

const STREAMS: Args[] = [
  ['XADD', 'x', '1-1', 'f', 'v'],
  ['XADD', 'x', '2-1', 'f', 'v'],
  ['XADD', 'x', 'MAXLEN', '1', '3-1', 'f', 'v'],
  ['XADD', 'nokey', 'NOMKSTREAM', '*', 'f', 'v'],
  ['XTRIM', 'x', 'MAXLEN', '0'],
  ['XADD', 'x', '4-1', 'f', 'v'],
  ['XDEL', 'x', '4-1', '9-9'],
  ['XSETID', 'x', '10-1'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'],
  ['XGROUP', 'CREATE', 'x2', 'g', '$', 'MKSTREAM'],
  ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'alice'],
  ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'alice'],
  ['XADD', 'x', '11-1', 'f', 'v'],
  ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 'x', '>'],
  ['XCLAIM', 'x', 'g', 'carol', '0', '11-1'],
  ['XAUTOCLAIM', 'x', 'g', 'dave', '0', '0'],
  ['XACK', 'x', 'g', '11-1'],
  ['XGROUP', 'SETID', 'x', 'g', '0'],
  ['XGROUP', 'DELCONSUMER', 'x', 'g', 'alice'],
  ['XGROUP', 'DESTROY', 'x', 'g'],
  ['XGROUP', 'DESTROY', 'x', 'g'],
];

test('notify-keyspace-events KEA: generic commands', { skip, timeout }, async () => {
  await run('KEA', GENERIC);
});

test('notify-keyspace-events KEA: strings, bitmaps, HyperLogLog', { skip, timeout }, async () => {
  await run('KEA', STRINGS);
});

test('notify-keyspace-events KEA: lists, including blocking commands served at once', { skip, timeout }, async () => {
  await run('KEA', LISTS);
});

test('notify-keyspace-events KEA: hashes and sets', { skip, timeout }, async () => {
  await run('KEA', HASHES);
  await run('KEA', SETS, { mask: unorderedReply });
});

test('notify-keyspace-events KEA: sorted sets and geo', { skip, timeout }, async () => {
  await run('KEA', ZSETS);
});

test('notify-keyspace-events KEA: streams', { skip, timeout }, async () => {
  await run('KEA', STREAMS, { mask: (f) => f.replace(/\r\n:\d{10,}\r\n/g, '\r\n:T\r\n') });
});

test('masks select event classes and the keyspace/keyevent channels', { skip, timeout }, async () => {
  const all = [...GENERIC.slice(0, 14), ...STRINGS.slice(0, 12), ...LISTS.slice(0, 6), ...HASHES.slice(0, 4), ...SETS.slice(0, 4), ...ZSETS.slice(0, 5), ...STREAMS.slice(0, 3)];
  for (const flags of ['K', 'E', 'A', 'Kg', 'E$', 'Kl', 'Es', 'Kh', 'Ez', 'Kx', 'Et', 'KEg$', 'Elshz', 'KEn', 'En', 'Kd', 'KEe', 'gKE']) {
    await run(flags, all, { mask: unorderedReply });
  }
});

test('new (n) and key-miss (m) events', { skip, timeout }, async () => {
  const cmds: Args[] = [
    ['SET', 'a', '1'],
    ['SET', 'a', '2'],
    ['GET', 'a'],
    ['GET', 'missing'],
    ['MGET', 'a', 'm1', 'm2'],
    ['LPUSH', 'l', 'x'],
    ['LPUSH', 'l', 'y'],
    ['LRANGE', 'nolist', '0', '-1'],
    ['HGET', 'noh', 'f'],
    ['HSET', 'h', 'f', 'v'],
    ['SADD', 's', 'm'],
    ['ZADD', 'z', '1', 'm'],
    ['XADD', 'x', '1-1', 'f', 'v'],
    ['ZSCORE', 'noz', 'm'],
    ['EXISTS', 'nothing'],
    ['TYPE', 'nothing'],
    ['OBJECT', 'ENCODING', 'nothing'],
    ['RENAME', 'a', 'b'],
    ['COPY', 'b', 'c'],
    ['SINTERSTORE', 'd', 's', 's'],
    ['INCR', 'counter'],
    ['GETRANGE', 'nothing', '0', '1'],
    ['STRLEN', 'nothing'],
  ];
  for (const flags of ['KEn', 'KEm', 'Em', 'KEA', 'KEAmn']) await run(flags, cmds);
});

test('expired: lazy expiry on access and active expiry', { skip, timeout }, async () => {
  await m.step(0, ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
  await m.step(0, ['FLUSHALL']);
  await m.step(0, ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
  await m.step(0, ['SET', 'lazy', 'v', 'PX', '20']);
  await new Promise((r) => setTimeout(r, 60));
  await m.step(0, ['GET', 'lazy']);
  await m.step(0, ['SET', 'lazy2', 'v', 'PX', '20']);
  await new Promise((r) => setTimeout(r, 60));
  await m.step(0, ['EXISTS', 'lazy2']);
  await m.step(0, ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
  await m.step(0, ['SET', 'active', 'v', 'PX', '20']);
  await m.step(0, ['HSET', 'active2', 'f', 'v']);
  await m.step(0, ['PEXPIRE', 'active2', '20']);
  await new Promise((r) => setTimeout(r, 400));
  // The active cycle samples keys in hash order: compare the messages as a set.
  await m.settle('active expiry', { unordered: true });
  await m.step(0, ['CONFIG', 'SET', 'notify-keyspace-events', '']);
});
