// CLIENT subcommands against the reference: errors, arity, HELP, reply types
// and the CLIENT LIST / CLIENT INFO field names and order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair } from '../helpers/differential.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

/** Field names of a CLIENT LIST/INFO line, in order. */
function fieldNames(reply: string): string[] {
  const body = reply.slice(reply.indexOf('\r\n') + 2).replace(/^txt:/, '');
  const line = body.split('\n')[0];
  return line.split(' ').map((kv) => kv.slice(0, kv.indexOf('=')));
}

test('CLIENT GETNAME / SETNAME and their errors', { skip }, async () => {
  await pair.checkAll([
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'myname'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'a b'],
    ['CLIENT', 'SETNAME', 'a\nb'],
    ['CLIENT', 'SETNAME', 'caf\xe9'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', ''],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME'],
    ['CLIENT', 'SETNAME', 'a', 'b'],
    ['CLIENT', 'GETNAME', 'x'],
  ]);
  await pair.resp(3);
  await pair.check('CLIENT', 'GETNAME');
  await pair.resp(2);
});

test('CLIENT HELP, unknown subcommands and arity', { skip }, async () => {
  await pair.checkAll([
    ['CLIENT', 'HELP'],
    ['client', 'help'],
    ['CLIENT'],
    ['CLIENT', 'NOSUCH'],
    ['CLIENT', 'ID', 'x'],
    ['CLIENT', 'INFO', 'x'],
    ['CLIENT', 'UNPAUSE', 'x'],
    ['CLIENT', 'PAUSE'],
    ['CLIENT', 'REPLY'],
    ['CLIENT', 'KILL'],
    ['CLIENT', 'NO-EVICT'],
    ['CLIENT', 'HELP', 'x'],
  ]);
});

test('CLIENT KILL errors and filters that match nothing', { skip }, async () => {
  await pair.checkAll([
    ['CLIENT', 'KILL', '1.2.3.4:5'],
    ['CLIENT', 'KILL', 'id'],
    ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5'],
    ['CLIENT', 'KILL', 'LADDR', '1.2.3.4:5', 'SKIPME', 'no'],
    ['CLIENT', 'KILL', 'ID', 'abc'],
    ['CLIENT', 'KILL', 'ID', '0'],
    ['CLIENT', 'KILL', 'ID', '-5'],
    ['CLIENT', 'KILL', 'ID', '999999'],
    ['CLIENT', 'KILL', 'foo', 'bar'],
    ['CLIENT', 'KILL', 'TYPE', 'foo'],
    ['CLIENT', 'KILL', 'TYPE', 'master'],
    ['CLIENT', 'KILL', 'TYPE', 'replica'],
    ['CLIENT', 'KILL', 'TYPE', 'slave'],
    ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
    ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
    ['CLIENT', 'KILL', 'USER', 'nouser'],
    ['CLIENT', 'KILL', 'MAXAGE', '5'],
    ['CLIENT', 'KILL', 'ID', '1', 'TYPE'],
    ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'ID', '999999', 'TYPE', 'normal', 'SKIPME', 'yes'],
  ]);
});

test('CLIENT LIST options and errors', { skip }, async () => {
  await pair.checkAll([
    ['CLIENT', 'LIST', 'TYPE', 'foo'],
    ['CLIENT', 'LIST', 'TYPE', 'master'],
    ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
    ['CLIENT', 'LIST', 'ID'],
    ['CLIENT', 'LIST', 'ID', 'abc'],
    ['CLIENT', 'LIST', 'ID', '999999'],
    ['CLIENT', 'LIST', 'ID', '999999', 'x'],
    ['CLIENT', 'LIST', 'foo'],
    ['CLIENT', 'LIST', 'TYPE', 'normal', 'ID', '1'],
  ]);
});

test('CLIENT PAUSE / REPLY / NO-EVICT argument errors', { skip }, async () => {
  await pair.checkAll([
    ['CLIENT', 'PAUSE', 'abc'],
    ['CLIENT', 'PAUSE', '-1'],
    ['CLIENT', 'PAUSE', '10', 'foo'],
    ['CLIENT', 'PAUSE', 'abc', 'foo'],
    ['CLIENT', 'PAUSE', '10', 'write', 'x'],
    ['CLIENT', 'PAUSE', '0'],
    ['CLIENT', 'PAUSE', '0', 'WRITE'],
    ['CLIENT', 'UNPAUSE'],
    ['CLIENT', 'REPLY', 'foo'],
    ['CLIENT', 'NO-EVICT', 'maybe'],
    ['CLIENT', 'NO-EVICT', 'on'],
    ['CLIENT', 'NO-EVICT', 'OFF'],
  ]);
});

test('CLIENT LIST and CLIENT INFO: the same fields in the same order', { skip }, async () => {
  for (const sub of ['LIST', 'INFO']) {
    const [a, b] = await pair.both('CLIENT', sub);
    assert.equal(a[0], '$');
    assert.equal(b[0], '$');
    assert.deepEqual(fieldNames(a), fieldNames(b));
    assert.match(a, /cmd=client\|(list|info) user=default redir=-1 resp=2 lib-name= lib-ver=\n\r\n$/);
  }
  await pair.resp(3);
  const [a, b] = await pair.both('CLIENT', 'INFO');
  assert.equal(a[0], '=');
  assert.equal(b[0], '=');
  assert.deepEqual(fieldNames(a), fieldNames(b));
  assert.match(a, / resp=3 /);
  await pair.resp(2);
});

test('CLIENT SETINFO and NO-TOUCH: values, errors, and what CLIENT INFO shows', { skip }, async () => {
  const [spinel, redis] = await pair.connectMore();
  try {
    const check = async (...args: string[]): Promise<void> => {
      const [a, b] = await Promise.all([spinel.call(...args), redis.call(...args)]);
      assert.equal(a, b, `reply to ${args.join(' ')}`);
    };
    for (const c of [
      ['CLIENT', 'SETINFO', 'LIB-NAME', 'mylib'],
      ['CLIENT', 'SETINFO', 'lib-ver', '1.2.3'],
      ['CLIENT', 'SETINFO', 'LIB-NAME', 'has space'],
      ['CLIENT', 'SETINFO', 'LIB-VER', 'bad\nver'],
      ['CLIENT', 'SETINFO', 'LIB-NAME', 'x(y)'],
      ['CLIENT', 'SETINFO', 'nosuch', 'x'],
      ['CLIENT', 'SETINFO', 'LIB-NAME'],
      ['CLIENT', 'SETINFO', 'LIB-NAME', 'a', 'b'],
      ['CLIENT', 'NO-TOUCH', 'on'],
      ['CLIENT', 'NO-TOUCH', 'OFF'],
      ['CLIENT', 'NO-TOUCH', 'maybe'],
      ['CLIENT', 'NO-TOUCH'],
    ]) await check(...c);
    const libFields = (raw: string): string => / lib-name=\S* lib-ver=\S*/.exec(raw)![0];
    const [a, b] = await Promise.all([spinel.call('CLIENT', 'INFO'), redis.call('CLIENT', 'INFO')]);
    assert.equal(libFields(a), libFields(b));
    assert.equal(libFields(a), ' lib-name=x(y) lib-ver=1.2.3');
  } finally {
    spinel.close();
    redis.close();
  }
});

test('CLIENT ID is an integer; CLIENT LIST ID shows the client', { skip }, async () => {
  const [a, b] = await pair.both('CLIENT', 'ID');
  assert.match(a, /^:\d+\r\n$/);
  assert.match(b, /^:\d+\r\n$/);
  const id = a.slice(1, -2);
  const line = await pair.spinel.call('CLIENT', 'LIST', 'ID', id, id);
  assert.equal(line.split('\n').filter((l) => l.includes(`id=${id} `)).length, 2);
});
