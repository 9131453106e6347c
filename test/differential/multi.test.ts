// Transactions (MULTI, EXEC, DISCARD, WATCH, UNWATCH) compared byte for byte
// with the reference: replies and errors in RESP2 and RESP3, queue-time
// rejections, runtime errors inside EXEC, blocking commands inside MULTI,
// WATCH touched (or not) by every family's writes, by expiry, FLUSHDB,
// FLUSHALL, SWAPDB, MOVE and COPY; CLIENT LIST multi=/multi-mem=, command
// stats, error stats, the slowlog and MONITOR around a transaction.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import type { RawClient } from '../helpers/resp.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));
beforeEach(async () => {
  if (pair) {
    await pair.resp(2);
    await pair.both('DISCARD');
    await pair.both('UNWATCH');
    await pair.both('SELECT', 0);
    await pair.both('FLUSHALL');
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function basics(): Promise<void> {
  await pair.checkAll([
    ['RPUSH', 'l', 'a', 'b', 'c'],
    ['MULTI'],
    ['LRANGE', 'l', 0, -1],
    ['PING'],
    ['SET', 'k', 'v'],
    ['INCR', 'k'], // a runtime error does not stop the others
    ['LPUSH', 'k', 'x'], // WRONGTYPE
    ['GET', 'k'],
    ['HSET', 'h', 'f', 'v'],
    ['HGETALL', 'h'],
    ['SPOP', 'nokey'],
    ['EXEC'],
    ['MULTI'],
    ['EXEC'], // empty transaction
    ['MULTI'],
    ['DEL', 'l'],
    ['DISCARD'],
    ['LRANGE', 'l', 0, -1],
    ['EXEC'],
    ['DISCARD'],
    // The command MULTI/EXEC/DISCARD/WATCH/UNWATCH errors.
    ['MULTI'],
    ['MULTI'],
    ['WATCH', 'x'],
    ['PING'],
    ['EXEC'],
    ['MULTI', 'x'],
    ['EXEC', 'x'],
    ['DISCARD', 'x'],
    ['WATCH'],
    ['UNWATCH', 'x'],
    ['UNWATCH'],
    ['multi'],
    ['Exec'],
  ]);
}

test('MULTI/EXEC/DISCARD basics and errors, RESP2 and RESP3', { skip }, async () => {
  await basics();
  await pair.both('FLUSHALL');
  await pair.resp(3);
  await basics();
});

test('queue-time errors abort the transaction with EXECABORT', { skip }, async () => {
  for (const bad of [
    ['NOSUCHCOMMAND', 'a', 'b'],
    ['SET', 'k'],
    ['GET'],
    ['CONFIG', 'NOSUCH'],
    ['CONFIG'],
    ['OBJECT', 'ENCODING'],
    ['SHUTDOWN'], // flagged no-multi
    ['SHUTDOWN', 'NOSAVE'],
    ['DISCARD', 'x'],
    ['WATCH'],
    ['MULTI', 'x'],
  ] as Args[]) {
    await pair.checkAll([['MULTI'], ['SET', 'a', '1'], bad, ['SET', 'b', '2'], ['EXEC'], ['EXISTS', 'a', 'b'], ['PING']]);
  }
  // Runtime errors inside EXEC do not abort it.
  await pair.checkAll([
    ['SET', 's', 'text'],
    ['MULTI'],
    ['INCR', 's'],
    ['INCR', 'n'],
    ['HSET', 's', 'f', 'v'],
    ['CONFIG', 'SET', 'nosuchparam', '1'],
    ['INCR', 'n'],
    ['EXEC'],
    ['GET', 'n'],
  ]);
  await pair.resp(3);
  await pair.checkAll([['MULTI'], ['SET', 'a', '1'], ['NOSUCH'], ['EXEC'], ['MULTI'], ['SET', 'a', '1'], ['EXEC', 'x'], ['EXEC']]);
});

test('a rejected EXEC discards the transaction: EXECABORT with the reason', { skip }, async () => {
  await pair.checkAll([
    ['MULTI'],
    ['SET', 'a', '1'],
    ['EXEC', 'extra'],
    ['EXEC'],
    ['EXISTS', 'a'],
    ['EXEC', 'extra'], // outside MULTI too
    ['DISCARD', 'extra'],
  ]);
  // NOAUTH: EXEC is rejected like any command, and aborts.
  const [s, r] = await pair.connectMore();
  try {
    await pair.both('CONFIG', 'SET', 'requirepass', 'pw');
    for (const args of [['EXEC'], ['MULTI'], ['DISCARD'], ['WATCH', 'a'], ['UNWATCH'], ['EXEC', 'x']]) {
      const [a, b] = await Promise.all([s.call(...args), r.call(...args)]);
      assert.equal(a, b, args.join(' '));
    }
  } finally {
    await pair.both('CONFIG', 'SET', 'requirepass', '');
    s.close();
    r.close();
  }
});

test('blocking commands inside MULTI answer as if timed out, RESP2 and RESP3', { skip }, async () => {
  for (const v of [2, 3] as const) {
    await pair.resp(v);
    await pair.both('XGROUP', 'CREATE', 'st', 'g', '$', 'MKSTREAM');
    await pair.checkAll([
      ['MULTI'],
      ['BLPOP', 'nokey', 0],
      ['BRPOP', 'nokey', 'nokey2', 0],
      ['BLMOVE', 'nokey', 'x', 'LEFT', 'LEFT', 0],
      ['BRPOPLPUSH', 'nokey', 'x', 0],
      ['BLMPOP', 0, 1, 'nokey', 'LEFT'],
      ['BZPOPMIN', 'nozset', 0],
      ['BZPOPMAX', 'nozset', 0],
      ['BZMPOP', 0, 1, 'nozset', 'MIN'],
      ['XREAD', 'BLOCK', 0, 'STREAMS', 'st', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 0, 'STREAMS', 'st', '>'],
      ['RPUSH', 'k', 'v'],
      ['BLPOP', 'k', 0],
      ['ZADD', 'z', 1, 'm'],
      ['BZPOPMIN', 'z', 0],
      ['EXEC'],
    ]);
    await pair.both('FLUSHALL');
  }
});

test('EXEC after a touched WATCH: the null array in RESP2 and RESP3; WATCH/UNWATCH/DISCARD rules', { skip }, async () => {
  const [so, ro] = await pair.connectMore();
  const other = async (...args: Args) => {
    const [a, b] = await Promise.all([so.call(...args), ro.call(...args)]);
    assert.equal(a, b, args.join(' '));
  };
  try {
    for (const v of [2, 3] as const) {
      await pair.resp(v);
      await pair.checkAll([['SET', 'x', 30], ['WATCH', 'x'], ['MULTI'], ['PING'], ['EXEC']]);
      await pair.checkAll([['WATCH', 'x', 'y', 'z'], ['WATCH', 'k']]);
      await other('SET', 'x', 40);
      await pair.checkAll([['MULTI'], ['PING'], ['INCR', 'x'], ['EXEC'], ['GET', 'x']]);
      // Once EXEC ran (or failed) the keys are no longer watched.
      await pair.checkAll([['WATCH', 'x'], ['MULTI'], ['PING'], ['EXEC']]);
      await other('SET', 'x', 1);
      await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
      // UNWATCH clears the mark; DISCARD too.
      await pair.checkAll([['WATCH', 'x'], ['SET', 'x', 2], ['UNWATCH'], ['MULTI'], ['PING'], ['EXEC']]);
      await pair.checkAll([['WATCH', 'x'], ['SET', 'x', 2], ['MULTI'], ['DISCARD'], ['MULTI'], ['INCR', 'x'], ['EXEC']]);
      // A touched transaction with a queue-time error: EXECABORT wins.
      await pair.checkAll([['WATCH', 'x'], ['SET', 'x', 5], ['MULTI'], ['NOSUCH'], ['EXEC']]);
      // Watching after the touch: still failed; a key watched twice.
      await pair.checkAll([['WATCH', 'x'], ['SET', 'x', 5], ['WATCH', 'y'], ['MULTI'], ['PING'], ['EXEC']]);
      await pair.checkAll([['WATCH', 'x', 'x'], ['WATCH', 'x'], ['MULTI'], ['PING'], ['EXEC']]);
      // The db a key belongs to is remembered.
      await pair.checkAll([['SELECT', 5], ['SET', 'x', 30], ['WATCH', 'x'], ['SELECT', 1], ['SET', 'x', 10], ['SELECT', 5], ['MULTI'], ['PING'], ['EXEC']]);
      await pair.checkAll([['WATCH', 'x'], ['SELECT', 1], ['MULTI'], ['PING'], ['EXEC'], ['SELECT', 0]]);
      await other('SELECT', 5);
      await pair.checkAll([['SELECT', 5], ['WATCH', 'x'], ['SELECT', 0]]);
      await other('DEL', 'x');
      await other('SELECT', 0);
      await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
      // A write inside the transaction to its own watched key does not fail it.
      await pair.checkAll([['WATCH', 'x'], ['MULTI'], ['SET', 'x', 'mine'], ['EXEC'], ['GET', 'x']]);
      await pair.both('FLUSHALL');
    }
  } finally {
    so.close();
    ro.close();
  }
});

/**
 * One WATCH case: `setup` on the main connection, WATCH of `watch` (in db
 * `db`, default 0), then `touch` from another connection (db 0 unless it
 * SELECTs), then MULTI/PING/EXEC: EXEC fails exactly when Redis's does.
 */
interface WatchCase {
  setup?: Args[];
  watch: string[];
  touch: Args[];
  db?: number;
}

const W = (setup: Args[], watch: string | string[], ...touch: Args[]): WatchCase => ({ setup, watch: Array.isArray(watch) ? watch : [watch], touch });

const WATCH_CASES: WatchCase[] = [
  // Strings
  W([], 'k', ['SET', 'k', 'v']),
  W([['SET', 'k', 'v']], 'k', ['SET', 'k', 'v']),
  W([['SET', 'k', 'v']], 'k', ['SET', 'k', 'w', 'NX']),
  W([], 'k', ['SET', 'k', 'w', 'XX']),
  W([['SET', 'k', 'v']], 'k', ['SET', 'k', 'w', 'XX', 'GET']),
  W([['SET', 'k', 'v']], 'k', ['SETNX', 'k', 'w']),
  W([], 'k', ['SETNX', 'k', 'w']),
  W([['SET', 'k', 'v']], 'k', ['GETSET', 'k', 'w']),
  W([['SET', 'k', 'v']], 'k', ['GETDEL', 'k']),
  W([], 'k', ['GETDEL', 'k']),
  W([['SET', 'k', 'v']], 'k', ['GETEX', 'k']),
  W([['SET', 'k', 'v']], 'k', ['GETEX', 'k', 'EX', 100]),
  W([['SET', 'k', 'v']], 'k', ['GETEX', 'k', 'PERSIST']),
  W([['SET', 'k', 'v', 'EX', 100]], 'k', ['GETEX', 'k', 'PERSIST']),
  W([['SET', 'k', 'v']], 'k', ['APPEND', 'k', 'x']),
  W([['SET', 'k', 'v']], 'k', ['APPEND', 'k', '']),
  W([['SET', 'k', 'v']], 'k', ['SETRANGE', 'k', 0, '']),
  W([['SET', 'k', 'v']], 'k', ['SETRANGE', 'k', 0, 'v']),
  W([], 'k', ['SETRANGE', 'k', 0, '']),
  W([['SET', 'k', 1]], 'k', ['INCR', 'k']),
  W([['SET', 'k', 'x']], 'k', ['INCR', 'k']),
  W([], 'k', ['DECRBY', 'k', 5]),
  W([], 'k', ['INCRBYFLOAT', 'k', '1.5']),
  W([], ['a', 'b'], ['MSET', 'b', 1]),
  W([['SET', 'a', 1]], ['a', 'b'], ['MSETNX', 'b', 1, 'a', 2]),
  W([], 'k', ['SETEX', 'k', 100, 'v']),
  W([], 'k', ['PSETEX', 'k', 100000, 'v']),
  W([['SET', 'k', 'v']], 'k', ['GET', 'k'], ['STRLEN', 'k'], ['GETRANGE', 'k', 0, 1], ['LCS', 'k', 'k'], ['EXISTS', 'k'], ['TYPE', 'k']),
  // Bits and HyperLogLog
  W([], 'k', ['SETBIT', 'k', 7, 0]),
  W([['SETBIT', 'k', 7, 1]], 'k', ['SETBIT', 'k', 7, 1]),
  W([['SETBIT', 'k', 7, 1]], 'k', ['SETBIT', 'k', 7, 0]),
  W([['SETBIT', 'k', 7, 1]], 'k', ['BITFIELD', 'k', 'GET', 'u8', 0]),
  W([['SETBIT', 'k', 7, 1]], 'k', ['BITFIELD', 'k', 'SET', 'u8', 0, 1]),
  W([['SETBIT', 'k', 7, 1]], 'k', ['BITFIELD', 'k', 'INCRBY', 'u2', 0, 0]),
  W([['SET', 'a', 'x']], 'd', ['BITOP', 'NOT', 'd', 'a']),
  W([], 'd', ['BITOP', 'OR', 'd', 'nokey']),
  W([['SET', 'd', 'v']], 'd', ['BITOP', 'OR', 'd', 'nokey']),
  W([['PFADD', 'h', 'a']], 'h', ['PFADD', 'h', 'a']),
  W([['PFADD', 'h', 'a']], 'h', ['PFADD', 'h', 'b']),
  W([['PFADD', 'h', 'a']], 'h', ['PFCOUNT', 'h']),
  W([['PFADD', 'h', 'a'], ['PFCOUNT', 'h']], 'h', ['PFCOUNT', 'h']),
  W([['PFADD', 'h', 'a'], ['PFADD', 'h2', 'b']], 'd', ['PFMERGE', 'd', 'h', 'h2']),
  // Keys
  W([['SET', 'k', 'v']], 'k', ['DEL', 'k']),
  W([], 'k', ['DEL', 'k']),
  W([['SET', 'k', 'v']], 'k', ['UNLINK', 'k']),
  W([['SET', 'k', 'v']], 'k', ['EXPIRE', 'k', 100]),
  W([], 'k', ['EXPIRE', 'k', 100]),
  W([['SET', 'k', 'v']], 'k', ['EXPIRE', 'k', 100, 'XX']),
  W([['SET', 'k', 'v']], 'k', ['EXPIRE', 'k', 0]),
  W([['SET', 'k', 'v']], 'k', ['PEXPIREAT', 'k', 1]),
  W([['SET', 'k', 'v', 'EX', 100]], 'k', ['PERSIST', 'k']),
  W([['SET', 'k', 'v']], 'k', ['PERSIST', 'k']),
  W([['SET', 'k', 'v']], 'k', ['TOUCH', 'k'], ['OBJECT', 'ENCODING', 'k'], ['TTL', 'k'], ['RANDOMKEY'], ['KEYS', '*'], ['SCAN', 0], ['DBSIZE']),
  W([['SET', 'a', 'v']], 'a', ['RENAME', 'a', 'b']),
  W([['SET', 'a', 'v']], 'b', ['RENAME', 'a', 'b']),
  W([['SET', 'a', 'v'], ['SET', 'b', 'v']], 'b', ['RENAMENX', 'a', 'b']),
  W([['SET', 'a', 'v']], 'a', ['RENAME', 'a', 'a']),
  W([['SET', 'a', 'v']], 'a', ['MOVE', 'a', 1]),
  W([['SET', 'a', 'v']], 'b', ['COPY', 'a', 'b']),
  W([['SET', 'a', 'v']], 'a', ['COPY', 'a', 'b']),
  W([['SET', 'a', 'v'], ['SET', 'b', 'w']], 'b', ['COPY', 'a', 'b']),
  W([['SET', 'a', 'v'], ['SET', 'b', 'w']], 'b', ['COPY', 'a', 'b', 'REPLACE']),
  W([['RPUSH', 'l', 3, 1, 2]], 'd', ['SORT', 'l', 'STORE', 'd']),
  W([['RPUSH', 'l', 1]], 'l', ['SORT', 'nolist', 'STORE', 'l']),
  W([], 'd', ['SORT', 'nolist', 'STORE', 'd']),
  W([['RPUSH', 'l', 3, 1, 2]], 'l', ['SORT', 'l'], ['SORT_RO', 'l']),
  W([['SET', 'k', 'v']], 'k', ['FLUSHDB']),
  W([], 'k', ['FLUSHDB']),
  W([['SET', 'k', 'v']], 'k', ['FLUSHALL']),
  W([], 'k', ['FLUSHALL']),
  W([['SET', 'k', 'v']], 'other', ['FLUSHALL']),
  W([['SET', 'k', 'v']], 'k', ['SWAPDB', 0, 1]),
  W([['SELECT', 1], ['SET', 'k', 'v'], ['SELECT', 0]], 'k', ['SWAPDB', 0, 1]),
  W([['SELECT', 1], ['SET', 'k', 'v'], ['SELECT', 0]], 'k', ['SWAPDB', 1, 2]),
  W([], 'k', ['SWAPDB', 0, 1]),
  W([['SET', 'k', 'v']], 'k', ['SWAPDB', 0, 0]),
  W([], 'k', ['DEBUG', 'POPULATE', 10, 'k']),
  W([], 'k:1', ['DEBUG', 'POPULATE', 10, 'k']),
  // Lists
  W([], 'l', ['LPUSH', 'l', 'a']),
  W([], 'l', ['LPUSHX', 'l', 'a']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LPOP', 'l']),
  W([], 'l', ['LPOP', 'l']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['RPOP', 'l', 5]),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LSET', 'l', 0, 'a']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LINSERT', 'l', 'BEFORE', 'zz', 'x']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LINSERT', 'l', 'BEFORE', 'a', 'x']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LREM', 'l', 0, 'zz']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LREM', 'l', 0, 'a']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LTRIM', 'l', 0, -1]),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LTRIM', 'l', 1, 0]),
  W([['RPUSH', 'l', 'a', 'b']], 'd', ['LMOVE', 'l', 'd', 'LEFT', 'RIGHT']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['RPOPLPUSH', 'l', 'l']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LMPOP', 2, 'nokey', 'l', 'LEFT']),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['BLPOP', 'l', 0]),
  W([['RPUSH', 'l', 'a', 'b']], 'l', ['LRANGE', 'l', 0, -1], ['LINDEX', 'l', 0], ['LLEN', 'l'], ['LPOS', 'l', 'a']),
  // Hashes
  W([], 'h', ['HSET', 'h', 'f', 'v']),
  W([['HSET', 'h', 'f', 'v']], 'h', ['HSET', 'h', 'f', 'v']),
  W([['HSET', 'h', 'f', 'v']], 'h', ['HSETNX', 'h', 'f', 'w']),
  W([['HSET', 'h', 'f', 'v']], 'h', ['HDEL', 'h', 'nofield']),
  W([['HSET', 'h', 'f', 'v']], 'h', ['HDEL', 'h', 'f']),
  W([], 'h', ['HINCRBY', 'h', 'n', 0]),
  W([], 'h', ['HINCRBYFLOAT', 'h', 'n', '0.5']),
  W([], 'h', ['HMSET', 'h', 'a', 1]),
  W([['HSET', 'h', 'f', 'v']], 'h', ['HGET', 'h', 'f'], ['HGETALL', 'h'], ['HRANDFIELD', 'h'], ['HSCAN', 'h', 0], ['HSTRLEN', 'h', 'f']),
  // Sets
  W([['SADD', 's', 'a']], 's', ['SADD', 's', 'a']),
  W([['SADD', 's', 'a']], 's', ['SADD', 's', 'b']),
  W([['SADD', 's', 'a']], 's', ['SREM', 's', 'b']),
  W([['SADD', 's', 'a', 'b']], 's', ['SREM', 's', 'b']),
  W([['SADD', 's', 'a']], 's', ['SPOP', 's']),
  W([['SADD', 's', 'a', 'b']], 's', ['SPOP', 's', 0]),
  W([['SADD', 's', 'a', 'b']], 's', ['SPOP', 's', 5]),
  W([['SADD', 's', 'a'], ['SADD', 'd', 'a']], 'd', ['SMOVE', 's', 'd', 'a']),
  W([['SADD', 's', 'a'], ['SADD', 'd', 'a']], 's', ['SMOVE', 's', 'd', 'a']),
  W([['SADD', 's', 'a']], 's', ['SMOVE', 's', 'd', 'b']),
  W([['SADD', 's', 'a']], 'd', ['SMOVE', 's', 'd', 'a']),
  W([['SADD', 's', 'a']], 's', ['SMOVE', 's', 's', 'a']),
  W([['SADD', 's', 'a']], 'd', ['SINTERSTORE', 'd', 's', 'nokey']),
  W([['SADD', 's', 'a'], ['SADD', 'd', 'x']], 'd', ['SINTERSTORE', 'd', 's', 'nokey']),
  W([['SADD', 's', 'a']], 'd', ['SUNIONSTORE', 'd', 's']),
  W([['SADD', 's', 'a']], 's', ['SUNIONSTORE', 'd', 's']),
  W([['SADD', 's', 'a']], 'd', ['SDIFFSTORE', 'd', 's', 's']),
  W([['SADD', 's', 'a']], 's', ['SMEMBERS', 's'], ['SISMEMBER', 's', 'a'], ['SRANDMEMBER', 's'], ['SCARD', 's'], ['SINTER', 's', 's'], ['SINTERCARD', 1, 's']),
  // Sorted sets
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZADD', 'z', 1, 'a']),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZADD', 'z', 2, 'a']),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZADD', 'z', 'XX', 1, 'b']),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZADD', 'z', 'GT', 0, 'a']),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZINCRBY', 'z', 0, 'a']),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZREM', 'z', 'b']),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZPOPMIN', 'z']),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZPOPMIN', 'z', 0]),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZREMRANGEBYSCORE', 'z', 5, 6]),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZREMRANGEBYRANK', 'z', 0, 0]),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZREMRANGEBYLEX', 'z', '[x', '[y']),
  W([['ZADD', 'z', 1, 'a']], 'd', ['ZUNIONSTORE', 'd', 1, 'z']),
  W([['ZADD', 'z', 1, 'a'], ['ZADD', 'd', 1, 'a']], 'd', ['ZINTERSTORE', 'd', 2, 'z', 'nokey']),
  W([], 'd', ['ZINTERSTORE', 'd', 2, 'z', 'nokey']),
  W([['ZADD', 'z', 1, 'a']], 'd', ['ZRANGESTORE', 'd', 'z', 0, -1]),
  W([['ZADD', 'z', 1, 'a']], 'd', ['ZRANGESTORE', 'd', 'z', 5, 6]),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZMPOP', 1, 'z', 'MAX']),
  W([['ZADD', 'z', 1, 'a']], 'z', ['BZPOPMAX', 'z', 0]),
  W([['ZADD', 'z', 1, 'a']], 'z', ['ZRANGE', 'z', 0, -1], ['ZSCORE', 'z', 'a'], ['ZRANK', 'z', 'a'], ['ZCARD', 'z'], ['ZRANDMEMBER', 'z'], ['ZUNION', 1, 'z']),
  // Geo
  W([], 'g', ['GEOADD', 'g', 13.361389, 38.115556, 'Palermo']),
  W([['GEOADD', 'g', 13.361389, 38.115556, 'Palermo']], 'g', ['GEOADD', 'g', 'NX', 13.361389, 38.115556, 'Palermo']),
  W([['GEOADD', 'g', 13.361389, 38.115556, 'Palermo']], 'd', ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km']),
  W([['GEOADD', 'g', 13.361389, 38.115556, 'Palermo']], 'd', ['GEORADIUS', 'g', 15, 37, 200, 'km', 'STORE', 'd']),
  W([['GEOADD', 'g', 13.361389, 38.115556, 'Palermo']], 'g', ['GEOPOS', 'g', 'Palermo'], ['GEODIST', 'g', 'Palermo', 'Palermo'], ['GEOSEARCH', 'g', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km']),
  // Streams
  W([], 'x', ['XADD', 'x', '1-1', 'f', 'v']),
  W([], 'x', ['XADD', 'x', 'NOMKSTREAM', '*', 'f', 'v']),
  W([['XADD', 'x', '1-1', 'f', 'v']], 'x', ['XDEL', 'x', '2-2']),
  W([['XADD', 'x', '1-1', 'f', 'v']], 'x', ['XDEL', 'x', '1-1']),
  W([['XADD', 'x', '1-1', 'f', 'v']], 'x', ['XTRIM', 'x', 'MAXLEN', 5]),
  W([['XADD', 'x', '1-1', 'f', 'v']], 'x', ['XTRIM', 'x', 'MAXLEN', 0]),
  W([['XADD', 'x', '1-1', 'f', 'v']], 'x', ['XSETID', 'x', '5-5']),
  W([['XADD', 'x', '1-1', 'f', 'v']], 'x', ['XGROUP', 'CREATE', 'x', 'g', 0]),
  W([], 'x', ['XGROUP', 'CREATE', 'x', 'g', 0, 'MKSTREAM']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0]], 'x', ['XGROUP', 'SETID', 'x', 'g', '$']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0]], 'x', ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0]], 'x', ['XGROUP', 'DELCONSUMER', 'x', 'g', 'c']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0]], 'x', ['XGROUP', 'DESTROY', 'x', 'g']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0]], 'x', ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', '$']], 'x', ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>']], 'x', ['XACK', 'x', 'g', '1-1']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>']], 'x', ['XACK', 'x', 'g', '9-9']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>']], 'x', ['XCLAIM', 'x', 'g', 'd', 0, '1-1']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>']], 'x', ['XAUTOCLAIM', 'x', 'g', 'd', 0, '0']),
  W([['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', 0]], 'x', ['XRANGE', 'x', '-', '+'], ['XREAD', 'STREAMS', 'x', 0], ['XINFO', 'STREAM', 'x'], ['XPENDING', 'x', 'g'], ['XLEN', 'x']),
  // Other dbs
  { setup: [['SELECT', 1], ['SET', 'k', 'v'], ['SELECT', 0]], watch: ['k'], db: 1, touch: [['SELECT', 1], ['DEL', 'k'], ['SELECT', 0]] },
  { setup: [['SET', 'k', 'v']], watch: ['k'], db: 1, touch: [['MOVE', 'k', 1]] },
  { setup: [['SET', 'k', 'v']], watch: ['k'], db: 1, touch: [['COPY', 'k', 'k', 'DB', 1]] },
  { setup: [['SET', 'k', 'v']], watch: ['k'], db: 1, touch: [['DEL', 'k']] },
  { setup: [['SET', 'k', 'v']], watch: ['k'], db: 1, touch: [['FLUSHDB']] },
  { setup: [['SET', 'k', 'v']], watch: ['k'], db: 1, touch: [['SWAPDB', 1, 0]] },
  { setup: [['SELECT', 1], ['SET', 'k', 'v'], ['SELECT', 0]], watch: ['k'], db: 1, touch: [['FLUSHALL']] },
];

test('WATCH is touched exactly by the writes that touch it in Redis (every family, other dbs, flushes, SWAPDB)', { skip }, async () => {
  // Connections of their own, requests sent whole (the corpus is long; wire cuts are tested above).
  const [sm, rm] = await pair.connectMore();
  const [so, ro] = await pair.connectMore();
  const check = async (s: RawClient, r: RawClient, args: Args, what: string): Promise<string> => {
    const [a, b] = await Promise.all([s.call(...args), r.call(...args)]);
    assert.equal(a, b, `${args.join(' ')} (${what})`);
    return a;
  };
  let failed = 0;
  let passed = 0;
  try {
    for (const wc of WATCH_CASES) {
      const what = `WATCH ${wc.watch.join(' ')}; ${wc.touch.map((t) => t.join(' ')).join('; ')}`;
      await check(sm, rm, ['FLUSHALL'], what);
      for (const s of wc.setup ?? []) await check(sm, rm, s, what);
      if (wc.db !== undefined) await check(sm, rm, ['SELECT', wc.db], what);
      await check(sm, rm, ['WATCH', ...wc.watch], what);
      await check(sm, rm, ['SELECT', 0], what);
      for (const t of wc.touch) await check(so, ro, t, what);
      await check(sm, rm, ['MULTI'], what);
      await check(sm, rm, ['PING'], what);
      const r = await check(sm, rm, ['EXEC'], what);
      assert.ok(r === '*-1\r\n' || r === '*1\r\n+PONG\r\n', `${what}: ${r}`);
      if (r === '*-1\r\n') failed++;
      else passed++;
      await check(so, ro, ['SELECT', 0], what);
    }
  } finally {
    for (const c of [sm, rm, so, ro]) c.close();
  }
  // Both outcomes are well represented: the cases test something.
  assert.ok(failed > 60 && passed > 40, `failed ${failed}, passed ${passed}`);
});

test('WATCH and expiry (7.2): lazy and active expiry, stale keys, FLUSHDB and SWAPDB over stale keys', { skip }, async () => {
  await pair.both('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
  try {
    // A key that expires between WATCH and EXEC fails the EXEC, deleted or not.
    await pair.checkAll([['SET', 'k', 1, 'PX', 300], ['WATCH', 'k']]);
    await sleep(350);
    await pair.checkAll([['MULTI'], ['INCR', 'k'], ['EXEC'], ['EXISTS', 'k']]);
    await pair.checkAll([['SET', 'k', 1, 'PX', 300], ['WATCH', 'k']]);
    await sleep(350);
    await pair.checkAll([['GET', 'k'], ['MULTI'], ['PING'], ['EXEC']]);
    // A key already expired when WATCHed: its deletion is no change.
    await pair.checkAll([['SET', 'x', 'foo', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['WATCH', 'x'], ['MULTI'], ['PING'], ['EXEC']]);
    await pair.checkAll([['SET', 'x', 'foo', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['WATCH', 'x'], ['EXISTS', 'x'], ['MULTI'], ['PING'], ['EXEC']]);
    await pair.checkAll([['SET', 'x', 'foo', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['WATCH', 'x'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC']]);
    // ... but writing it is a change.
    await pair.checkAll([['SET', 'x', 'foo', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['WATCH', 'x'], ['SET', 'x', 'bar'], ['MULTI'], ['PING'], ['EXEC']]);
    await pair.checkAll([['SET', 'x', 'foo', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['WATCH', 'x'], ['GET', 'x'], ['SET', 'x', 'bar'], ['MULTI'], ['PING'], ['EXEC']]);
    // SWAPDB: stale key replaced by no key, no key by a stale key, stale by stale, stale by live.
    await pair.checkAll([['FLUSHALL'], ['SELECT', 1], ['SET', 'x', 'foo', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['WATCH', 'x'], ['SWAPDB', 0, 1], ['MULTI'], ['PING'], ['EXEC']]);
    await pair.checkAll([['FLUSHALL'], ['SELECT', 0], ['SET', 'x', 'foo', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['SELECT', 1], ['WATCH', 'x'], ['SWAPDB', 0, 1], ['MULTI'], ['PING'], ['EXEC']]);
    await pair.checkAll([['FLUSHALL'], ['SELECT', 1], ['SET', 'x', 'foo', 'PX', 1], ['SELECT', 0], ['SET', 'x', 'bar', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['SELECT', 1], ['WATCH', 'x'], ['SWAPDB', 0, 1], ['MULTI'], ['PING'], ['EXEC']]);
    await pair.checkAll([['FLUSHALL'], ['SELECT', 1], ['SET', 'x', 'foo', 'PX', 1], ['SELECT', 0], ['SET', 'x', 'bar']]);
    await sleep(5);
    await pair.checkAll([['SELECT', 1], ['WATCH', 'x'], ['SWAPDB', 0, 1], ['MULTI'], ['PING'], ['EXEC'], ['SELECT', 0]]);
    // A no-key WATCH that SWAPDB turned into a stale key, then deleted: no change either.
    await pair.checkAll([['FLUSHALL'], ['SELECT', 0], ['SET', 'x', 'foo', 'PX', 1]]);
    await sleep(5);
    await pair.checkAll([['SELECT', 1], ['WATCH', 'x'], ['SWAPDB', 0, 1], ['DEL', 'x'], ['MULTI'], ['PING'], ['EXEC'], ['SELECT', 0]]);
    // EXPIRE of a watched key touches it.
    await pair.checkAll([['SET', 'x', 'foo'], ['WATCH', 'x'], ['EXPIRE', 'x', 10], ['MULTI'], ['PING'], ['EXEC']]);
  } finally {
    await pair.both('DEBUG', 'SET-ACTIVE-EXPIRE', 1);
  }
  // Active expiry touches the watched key.
  await pair.checkAll([['FLUSHALL'], ['SET', 'x', 'foo', 'PX', 50], ['WATCH', 'x']]);
  const deadline = Date.now() + 5000;
  for (;;) {
    const [a, b] = await pair.both('DBSIZE');
    if (a === ':0\r\n' && b === ':0\r\n') break;
    assert.ok(Date.now() < deadline, 'keys did not expire');
    await sleep(20);
  }
  await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
});

/** The fields of a CLIENT INFO line a transaction changes. */
function txFields(info: string): string {
  return info
    .split(' ')
    .filter((f) => /^(flags|multi|multi-mem|cmd)=/.test(f))
    .join(' ');
}

test('CLIENT LIST/INFO: flags x and d, multi= and multi-mem=, cmd= of queued and rejected commands', { skip }, async () => {
  const [so, ro] = await pair.connectMore();
  const compare = async (what: string) => {
    const [a, b] = await Promise.all([so.call('CLIENT', 'LIST'), ro.call('CLIENT', 'LIST')]);
    const line = (list: string, id: string) => list.split('\n').find((l) => l.startsWith(`id=${id} `)) ?? '';
    assert.equal(txFields(line(a, sid)), txFields(line(b, rid)), what);
  };
  const [sidr, ridr] = await pair.both('CLIENT', 'ID');
  const sid = sidr.slice(1, -2);
  const rid = ridr.slice(1, -2);
  try {
    await compare('idle');
    await pair.check('WATCH', 'a', 'b');
    await compare('watching');
    await pair.check('MULTI');
    await compare('empty MULTI');
    await pair.check('SET', 'foo', 'bar');
    await compare('one queued');
    await pair.check('GET', 'foooooooooo');
    await pair.check('CLIENT', 'INFO');
    await compare('three queued');
    await pair.check('NOSUCH');
    await compare('after an unknown command');
    await pair.check('SET', 'a', 'b');
    await compare('not queued after an error');
    await pair.check('EXEC');
    await compare('after EXEC');
    await pair.checkAll([['WATCH', 'a'], ['SET', 'a', 1], ['MULTI'], ['SET', 'x', 'y']]);
    await compare('dirty CAS: nothing queued');
    await pair.check('EXEC');
    // CLIENT INFO run inside EXEC reports the transaction in progress, and EXEC as the command.
    await pair.check('MULTI');
    await pair.check('SET', 'foo', 'bar');
    const [a, b] = await pair.both('CLIENT', 'INFO');
    assert.equal(a, b);
    const [ea, eb] = await pair.both('EXEC');
    assert.equal(txFields(ea.split('\r\n')[3]), txFields(eb.split('\r\n')[3]));
    assert.match(txFields(ea.split('\r\n')[3]), /flags=x multi=2 multi-mem=\d+ cmd=exec/);
  } finally {
    so.close();
    ro.close();
  }
});

/** INFO commandstats / errorstats without the timings. */
function statsOf(info: string): string[] {
  return info
    .split('\r\n')
    .filter((l) => l.startsWith('cmdstat_') || l.startsWith('errorstat_'))
    .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''))
    .sort();
}

test('commandstats and errorstats: EXEC and its commands, rejected and failed calls', { skip }, async () => {
  await pair.both('CONFIG', 'RESETSTAT');
  await pair.checkAll([
    ['MULTI'],
    ['SET', 'a', 1],
    ['GET', 'a'],
    ['EXEC'],
    ['MULTI'],
    ['SET', 'a', 1],
    ['NOSUCH'],
    ['SET', 'a'],
    ['EXEC'],
    ['EXEC', 'x'],
    ['EXEC'],
    ['DISCARD'],
    ['MULTI'],
    ['INCR', 'x'],
    ['LPUSH', 'x', 1],
    ['EXEC'],
    ['MULTI'],
    ['MULTI'],
    ['WATCH', 'a'],
    ['DISCARD'],
    ['WATCH', 'a'],
    ['SET', 'a', 2],
    ['MULTI'],
    ['GET', 'a'],
    ['EXEC'],
  ]);
  const [a, b] = await pair.both('INFO', 'commandstats');
  const [ea, eb] = await pair.both('INFO', 'errorstats');
  assert.deepEqual(statsOf(a + ea), statsOf(b + eb));
});

test('SLOWLOG logs the commands run by EXEC, not EXEC; rejected and queued commands are not logged', { skip }, async () => {
  await pair.both('CONFIG', 'SET', 'slowlog-log-slower-than', 0);
  try {
    await pair.both('SLOWLOG', 'RESET');
    await pair.checkAll([['MULTI'], ['SET', 'a', 1], ['GET', 'a'], ['NOSUCH'], ['EXEC'], ['MULTI'], ['SET', 'a', 1], ['INCR', 'a'], ['EXEC'], ['EXEC', 'x']]);
    const [a, b] = await Promise.all([pair.spinel.value('SLOWLOG', 'GET', 100), pair.redis.value('SLOWLOG', 'GET', 100)]);
    const argvs = (v: unknown) => (v as unknown[][]).map((e) => e[3]);
    assert.deepEqual(argvs(a), argvs(b));
  } finally {
    await pair.both('CONFIG', 'SET', 'slowlog-log-slower-than', 10000);
  }
});

test('MONITOR: MULTI, the commands EXEC ran, then EXEC; failed and aborted EXECs', { skip }, async () => {
  const [ma, mb] = await pair.connectMore();
  try {
    await Promise.all([ma.call('MONITOR'), mb.call('MONITOR')]);
    await pair.checkAll([
      ['MULTI'],
      ['SET', 'a', 1],
      ['GET', 'a'],
      ['SELECT', 2],
      ['CONFIG', 'GET', 'maxmemory'], // admin: not shown
      ['EXEC'],
      ['SELECT', 0],
      ['MULTI'],
      ['SET', 'a', 1],
      ['NOSUCH'],
      ['SET', 'a'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'a', 1],
      ['EXEC', 'x'],
      ['EXEC', 'x'],
      ['MULTI'],
      ['SET', 'a', 1],
      ['DISCARD'],
      ['WATCH', 'a'],
      ['SET', 'a', 2],
      ['MULTI'],
      ['INCR', 'a'],
      ['EXEC'],
      ['PING', 'end'],
    ]);
    const lines = async (m: RawClient) => {
      const out: string[] = [];
      for (;;) {
        const l = await m.read();
        out.push(l.replace(/^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, '+T [$1 ADDR]'));
        if (l.includes('"PING" "end"')) return out;
      }
    };
    const [la, lb] = await Promise.all([lines(ma), lines(mb)]);
    assert.deepEqual(la, lb);
  } finally {
    ma.close();
    mb.close();
  }
});
