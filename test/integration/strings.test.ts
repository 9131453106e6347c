// String commands in-process: WRONGTYPE against a List RObj stored directly,
// the stored representation (numbers for safe ints, exact strings beyond
// 2^53, encodings), SET over a string reusing its object, absolute expire times, propagation rewrites, the size
// limits, and a pipelined burst of the benchmark commands.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, encodeCommand } from '../helpers/resp.js';
import { RObj, ObjType, Enc } from '../../src/db/robj.js';

let s: SpinelHandle;
let c: RawClient;
let propagated: string[][] = [];
before(async () => {
  s = await startSpinel({ 'proto-max-bulk-len': 2 * 1024 * 1024 });
  s.server.propagateTargets.push((_db, argv) => propagated.push(argv.slice()));
  c = await RawClient.connect(s.port);
});
after(async () => {
  c.close();
  await s.close();
});

const db = () => s.server.keyspace.dbs[0];
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';

test('every command answers WRONGTYPE (or nil for MGET) on a list key', async () => {
  db().setKey('lst', new RObj(ObjType.List, Enc.Listpack, ['a'], 0));
  const cmds: string[][] = [
    ['GET', 'lst'], ['GETSET', 'lst', 'x'], ['GETDEL', 'lst'], ['GETEX', 'lst'], ['GETEX', 'lst', 'PERSIST'],
    ['STRLEN', 'lst'], ['APPEND', 'lst', 'x'], ['SETRANGE', 'lst', '0', 'x'], ['SETRANGE', 'lst', '0', ''],
    ['GETRANGE', 'lst', '0', '1'], ['SUBSTR', 'lst', '0', '1'], ['INCR', 'lst'], ['DECR', 'lst'], ['INCRBY', 'lst', '1'],
    ['DECRBY', 'lst', '1'], ['INCRBYFLOAT', 'lst', '1'], ['SET', 'lst', 'v', 'GET'],
  ];
  for (const cmd of cmds) assert.equal(await c.call(...cmd), WRONGTYPE, cmd.join(' '));
  assert.equal(await c.call('MGET', 'lst', 'nokey'), '*2\r\n$-1\r\n$-1\r\n');
  assert.equal(await c.call('LCS', 'lst', 'nokey'), '-ERR The specified keys must contain string values\r\n');
  assert.equal(await c.call('SETNX', 'lst', 'v'), ':0\r\n');
  assert.equal(await c.call('MSETNX', 'lst', 'v', 'k2', 'v'), ':0\r\n');
  assert.equal(db().peek('lst')!.type, ObjType.List);
  assert.equal(await c.call('SET', 'lst', 'v'), '+OK\r\n');
  assert.equal(db().peek('lst')!.type, ObjType.String);
});

test('integers are stored exactly: numbers in the safe range, decimal text beyond', async () => {
  await c.call('SET', 'n', '9007199254740990');
  assert.equal(db().peek('n')!.value, 9007199254740990);
  assert.equal(await c.call('INCR', 'n'), ':9007199254740991\r\n');
  assert.equal(db().peek('n')!.value, 9007199254740991);
  assert.equal(await c.call('INCR', 'n'), ':9007199254740992\r\n');
  assert.equal(db().peek('n')!.value, '9007199254740992');
  assert.equal(db().peek('n')!.enc, Enc.Int);
  assert.equal(await c.call('INCRBY', 'n', '9214364837600034815'), ':9223372036854775807\r\n');
  assert.equal(db().peek('n')!.value, '9223372036854775807');
  assert.equal(await c.call('INCR', 'n'), '-ERR increment or decrement would overflow\r\n');
  assert.equal(await c.call('DECRBY', 'n', '9223372036854775807'), ':0\r\n');
  assert.equal(db().peek('n')!.value, 0);
  assert.equal(await c.call('GET', 'n'), '$1\r\n0\r\n');
  // The in-place fast path keeps the object.
  const o = db().peek('n');
  await c.call('INCR', 'n');
  assert.equal(db().peek('n'), o);
  assert.equal(o!.value, 1);
  // Encodings
  await c.call('SET', 'e1', 'abc');
  assert.equal(db().peek('e1')!.enc, Enc.Embstr);
  await c.call('APPEND', 'e1', 'd');
  assert.equal(db().peek('e1')!.enc, Enc.Raw);
  await c.call('INCRBYFLOAT', 'e2', '3');
  assert.equal(db().peek('e2')!.enc, Enc.Embstr);
  assert.equal(db().peek('e2')!.value, '3');
  await c.call('INCRBYFLOAT', 'e3', '1e100');
  assert.equal(db().peek('e3')!.enc, Enc.Raw);
});

test('SET and MSET over a string key give its stored object the new value; the effects are those of a new object', async () => {
  await c.call('SET', 'ow', 'first', 'EX', '100');
  const o = db().dict.get('ow')!;
  o.lru = (o.lru - 50) & 0xffffff;
  assert.equal(await c.call('SET', 'ow', 'second'), '+OK\r\n');
  assert.equal(db().dict.get('ow'), o, 'the same object, not a new one');
  assert.equal(o.value, 'second');
  assert.equal(o.enc, Enc.Embstr);
  assert.equal(await c.value('TTL', 'ow'), -1, 'the TTL is dropped');
  assert.ok(((await c.value('OBJECT', 'IDLETIME', 'ow')) as number) <= 1, 'the access clock is reset (50 s before)');
  assert.equal(await c.call('MSET', 'ow', '12', 'ow2', 'x'), '+OK\r\n');
  assert.equal(db().dict.get('ow'), o);
  assert.equal(o.value, 12);
  assert.equal(o.enc, Enc.Int);
  assert.equal(await c.value('GET', 'ow'), '12');
  // A COPY makes a private int object (OBJECT REFCOUNT 1 even below 10000);
  // a SET gives the key a value of its own, shared again like Redis's new object.
  await c.call('SET', 'src', '7');
  await c.call('COPY', 'src', 'dst');
  assert.equal(await c.value('OBJECT', 'REFCOUNT', 'dst'), 1);
  const d = db().dict.get('dst')!;
  await c.call('SET', 'dst', '8');
  assert.equal(db().dict.get('dst'), d);
  assert.equal(await c.value('OBJECT', 'REFCOUNT', 'dst'), 2147483647);
  // Over another type the key gets a new object.
  await c.call('RPUSH', 'lst2', 'a');
  await c.call('SET', 'lst2', 'v');
  assert.equal(db().dict.get('lst2')!.type, ObjType.String);
  assert.equal(await c.value('GET', 'lst2'), 'v');
  await c.call('DEL', 'ow', 'ow2', 'src', 'dst', 'lst2');
});

test('expire times are absolute ms from the command clock; past EXAT/PXAT', async () => {
  await c.call('SET', 't1', 'v', 'EX', '100');
  const now = s.server.keyspace.now;
  assert.equal(db().getExpire('t1'), now + 100000);
  await c.call('SET', 't2', 'v', 'PXAT', '4102444800000');
  assert.equal(db().getExpire('t2'), 4102444800000);
  await c.call('SET', 't2', 'w', 'KEEPTTL');
  assert.equal(db().getExpire('t2'), 4102444800000);
  await c.call('GETEX', 't2', 'EXAT', '4102444801');
  assert.equal(db().getExpire('t2'), 4102444801000);
  await c.call('GETEX', 't2', 'PERSIST');
  assert.equal(db().getExpire('t2'), undefined);
  // SET with a past time stores the key with that time; it is then found expired.
  await c.call('SET', 't3', 'v', 'EXAT', '1');
  assert.equal(db().dict.has('t3'), true);
  assert.equal(await c.call('GET', 't3'), '$-1\r\n');
  assert.equal(db().dict.has('t3'), false);
  // GETEX with a past time deletes at once.
  await c.call('SET', 't4', 'v');
  assert.equal(await c.call('GETEX', 't4', 'PXAT', '1'), '$1\r\nv\r\n');
  assert.equal(db().dict.has('t4'), false);
});

test('propagation rewrites', async () => {
  const cases: [string[], string[][]][] = [
    [['SET', 'p', 'v'], [['SET', 'p', 'v']]],
    // PXAT is propagated as it came, GET included (Redis 7.2.6); the other expire forms are rewritten.
    [['SET', 'p', 'v', 'PXAT', '4102444800000', 'GET'], [['SET', 'p', 'v', 'PXAT', '4102444800000', 'GET']]],
    [['SET', 'p', 'v', 'EXAT', '4102444800'], [['SET', 'p', 'v', 'PXAT', '4102444800000']]],
    [['SET', 'p', 'v', 'GET', 'XX', 'get'], [['SET', 'p', 'v', 'XX']]],
    [['SET', 'p', 'v', 'NX'], []],
    [['SETEX', 'p', '1000', 'v'], [['SET', 'p', 'v', 'PXAT', String(s.server.keyspace.now + 1000000)]]],
    [['GETSET', 'p', 'w'], [['SET', 'p', 'w']]],
    [['GETEX', 'p', 'PXAT', '4102444800000'], [['PEXPIREAT', 'p', '4102444800000']]],
    [['GETEX', 'p', 'PERSIST'], [['PERSIST', 'p']]],
    [['GETEX', 'p', 'PERSIST'], []],
    [['GETEX', 'p', 'EXAT', '1'], [['DEL', 'p']]],
    [['INCRBYFLOAT', 'p', '0.5'], [['SET', 'p', '0.5', 'KEEPTTL']]],
    [['GETDEL', 'p'], [['DEL', 'p']]],
    [['GETDEL', 'p'], []],
    [['MSET', 'a', '1', 'b', '2'], [['MSET', 'a', '1', 'b', '2']]],
    [['INCR', 'a'], [['INCR', 'a']]],
    [['APPEND', 'a', 'x'], [['APPEND', 'a', 'x']]],
    [['SETRANGE', 'a', '0', ''], []],
    [['GET', 'a'], []],
  ];
  for (const [cmd, want] of cases) {
    propagated = [];
    await c.call(...cmd);
    // SETEX's time depends on the clock: compare within a second.
    if (cmd[0] === 'SETEX') {
      assert.equal(propagated.length, 1);
      assert.deepEqual(propagated[0].slice(0, 4), ['SET', 'p', 'v', 'PXAT']);
      assert.ok(Math.abs(Number(propagated[0][4]) - Number(want[0][4])) < 1000);
      continue;
    }
    assert.deepEqual(propagated, want, cmd.join(' '));
  }
});

test('size limits: proto-max-bulk-len, and values longer than a V8 string', async () => {
  assert.equal(await c.call('SETRANGE', 'big', String(2 * 1024 * 1024), 'x'), '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n');
  assert.equal(await c.call('SETRANGE', 'big', String(2 * 1024 * 1024 - 1), 'x'), ':2097152\r\n');
  assert.equal(await c.call('APPEND', 'big', 'y'), '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n');
  assert.equal(await c.call('STRLEN', 'big'), ':2097152\r\n');
  await c.call('CONFIG', 'SET', 'proto-max-bulk-len', String(1024 * 1024 * 1024));
  if (s.server.protoMaxBulkLen === 1024 * 1024 * 1024) {
    // Beyond what a V8 string can hold: a byte buffer, like Redis's sds.
    assert.equal(await c.call('SETRANGE', 'huge', '600000000', 'x'), ':600000001\r\n');
    assert.equal(await c.call('STRLEN', 'huge'), ':600000001\r\n');
    assert.equal(await c.call('GETRANGE', 'huge', '-2', '-1'), '$2\r\n\0x\r\n');
    assert.equal(await c.call('APPEND', 'huge', 'yz'), ':600000003\r\n');
    assert.equal(await c.call('GETRANGE', 'huge', '599999999', '-1'), '$4\r\n\0xyz\r\n');
    db().remove('huge');
  }
  assert.equal(await c.call('LCS', 'big', 'big', 'LEN'), '-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n');
  db().remove('big');
});

test('a pipelined burst of SET, GET, INCR, MSET', async () => {
  const n = 20000;
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(encodeCommand(['SET', `key:${i % 100}`, `v${i}`]));
    parts.push(encodeCommand(['GET', `key:${i % 100}`]));
    parts.push(encodeCommand(['INCR', 'counter']));
    if (i % 10 === 0) parts.push(encodeCommand(['MSET', `m:${i % 7}`, 'x', `m:${(i + 1) % 7}`, 'y']));
  }
  const replies = await c.raw(Buffer.concat(parts), parts.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    assert.equal(replies[k++], '+OK\r\n');
    assert.equal(replies[k++], `$${String(`v${i}`).length}\r\nv${i}\r\n`);
    assert.equal(replies[k++], `:${i + 1}\r\n`);
    if (i % 10 === 0) assert.equal(replies[k++], '+OK\r\n');
  }
  assert.equal(await c.call('GET', 'counter'), `$${String(n).length}\r\n${n}\r\n`);
});
