// List encodings as Redis 7.2 reports them, checked against the stored value
// as well as OBJECT ENCODING (test/differential/lists.test.ts compares the
// same conversions with the reference): listpack -> quicklist past
// list-max-listpack-size, back when a single node shrinks below half the limit.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';
import { ENC_NAMES } from '../../src/db/robj.js';

let s: SpinelHandle;
let c: RawClient;
before(async () => {
  s = await startSpinel();
  c = await RawClient.connect(s.port);
});
after(async () => {
  c.close();
  await s.close();
});
beforeEach(async () => {
  await c.call('FLUSHALL');
  s.server.config.set('list-max-listpack-size', -2);
});

/** The encoding of a key, through OBJECT ENCODING when it exists (and checked against the stored value). */
async function enc(key: string): Promise<string> {
  const o = s.server.keyspace.dbs[0].dict.get(key);
  assert.ok(o, `key ${key} exists`);
  const name = ENC_NAMES[o.enc];
  if (s.server.commands.lookupFull('object|encoding')) {
    assert.equal(await c.call('OBJECT', 'ENCODING', key), `$${name.length}\r\n${name}\r\n`);
  }
  return name;
}

test('count limit: RPUSH, LINSERT, LSET convert to quicklist; pops, LREM, LTRIM convert back at half', async () => {
  s.server.config.set('list-max-listpack-size', 4);
  await c.call('RPUSH', 'l', 'a', 'b', 'c');
  assert.equal(await enc('l'), 'listpack');
  await c.call('RPUSH', 'l', 'd', 'e');
  assert.equal(await enc('l'), 'quicklist');
  await c.call('RPOP', 'l');
  assert.equal(await enc('l'), 'quicklist');
  await c.call('RPOP', 'l', 2);
  assert.equal(await enc('l'), 'listpack');

  await c.call('DEL', 'l');
  await c.call('RPUSH', 'l', 'a', 'b', 'c', 'd');
  assert.equal(await enc('l'), 'listpack');
  await c.call('LINSERT', 'l', 'AFTER', 'b', 'x');
  assert.equal(await enc('l'), 'quicklist');
  await c.call('LREM', 'l', 0, 'x');
  await c.call('LREM', 'l', 0, 'a');
  assert.equal(await enc('l'), 'quicklist');
  await c.call('LREM', 'l', 1, 'b');
  assert.equal(await enc('l'), 'listpack');

  await c.call('DEL', 'l');
  await c.call('RPUSH', 'l', 'a', 'b', 'c', 'd');
  // LSET converts before checking the index, as in 7.2.
  await c.call('LSET', 'l', 10, 'x'.repeat(9000));
  assert.equal(await enc('l'), 'quicklist');

  await c.call('DEL', 'l');
  await c.call('RPUSH', 'l', '1', '2', '3', '4', '5', '6');
  await c.call('LTRIM', 'l', 0, 2);
  assert.equal(await enc('l'), 'quicklist');
  await c.call('LTRIM', 'l', 0, 1);
  assert.equal(await enc('l'), 'listpack');
});

test('LMOVE, RPOPLPUSH, BLMOVE and BRPOPLPUSH convert their source back like a pop (7.2 lmoveGenericCommand)', async () => {
  s.server.config.set('list-max-listpack-size', 4);
  // Five pushes make nodes of 4 and 1: pops from the tail leave one node, which converts at 2 elements.
  for (const move of [
    ['LMOVE', 'l', 'dst', 'RIGHT', 'LEFT'], ['RPOPLPUSH', 'l', 'dst'], ['BLMOVE', 'l', 'dst', 'RIGHT', 'LEFT', 0], ['BRPOPLPUSH', 'l', 'dst', 0],
  ]) {
    await c.call('DEL', 'l', 'dst');
    await c.call('RPUSH', 'l', '1', '2', '3', '4', '5');
    assert.equal(await enc('l'), 'quicklist', String(move[0]));
    await c.call(...move);
    await c.call(...move);
    assert.equal(await enc('l'), 'quicklist', String(move[0]));
    await c.call(...move);
    assert.equal(await enc('l'), 'listpack', String(move[0]));
    assert.equal(await c.call('LLEN', 'l'), ':2\r\n');
  }
  // Rotating a list onto itself keeps its length: no conversion either way.
  await c.call('DEL', 'l');
  await c.call('RPUSH', 'l', '1', '2', '3', '4', '5');
  await c.call('LMOVE', 'l', 'l', 'RIGHT', 'LEFT');
  assert.equal(await enc('l'), 'quicklist');
});

test('default size limit (-2, 8 KB): converts at the byte threshold and back below 4 KB', async () => {
  const v = 'x'.repeat(100);
  for (let i = 0; i < 79; i++) await c.call('RPUSH', 'l', v);
  assert.equal(await enc('l'), 'listpack');
  await c.call('RPUSH', 'l', v);
  assert.equal(await enc('l'), 'quicklist');
  await c.call('LTRIM', 'l', 0, 39);
  assert.equal(await enc('l'), 'quicklist');
  await c.call('LPOP', 'l');
  assert.equal(await enc('l'), 'listpack');
  // One element past the limit, or many at once.
  await c.call('RPUSH', 'big', 'y'.repeat(9000));
  assert.equal(await enc('big'), 'quicklist');
  const many = Array.from({ length: 200 }, (_, i) => 'e' + i + 'x'.repeat(50));
  await c.call('LPUSH', 'many', ...many);
  assert.equal(await enc('many'), 'quicklist');
  assert.equal(await c.call('LLEN', 'many'), ':200\r\n');
  // LMOVE creates its destination as a listpack.
  await c.call('LMOVE', 'many', 'dst', 'LEFT', 'RIGHT');
  assert.equal(await enc('dst'), 'listpack');
});

test('an emptied list deletes its key whatever the command', async () => {
  for (const cmd of [
    ['LPOP', 'l'], ['RPOP', 'l', 5], ['LREM', 'l', 0, 'a'], ['LTRIM', 'l', 1, 0], ['LMOVE', 'l', 'o', 'LEFT', 'LEFT'],
    ['LMPOP', 1, 'l', 'LEFT'], ['BLPOP', 'l', 0], ['BLMPOP', 0, 1, 'l', 'RIGHT', 'COUNT', 3], ['RPOPLPUSH', 'l', 'o'],
  ]) {
    await c.call('DEL', 'l', 'o');
    await c.call('RPUSH', 'l', 'a');
    await c.call(...(cmd as string[]));
    assert.equal(await c.call('EXISTS', 'l'), ':0\r\n', String(cmd));
  }
});
