// Connection commands compared byte for byte with redis-server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, skipReason, type DiffPair } from '../helpers/differential.js';

let pair: DiffPair | null = null;
before(async () => {
  pair = await startPair();
});
after(async () => {
  await pair?.close();
});

test('PING and ECHO', { skip: skipReason() }, async () => {
  const p = pair!;
  await p.checkAll([['PING'], ['PING', 'hello'], ['PING', ''], ['PING', 'a', 'b'], ['ping'], ['ECHO', ''], ['ECHO', 'x\x00\xff'], ['ECHO'], ['ECHO', 'a', 'b']]);
  await p.check('ECHO', 'x'.repeat(100000));
});

test('SELECT', { skip: skipReason() }, async () => {
  const p = pair!;
  await p.checkAll([['SELECT', '15'], ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'], ['SELECT', '1.5'], ['SELECT', ''], ['SELECT', '0'], ['SELECT']]);
});

test('AUTH without a password configured', { skip: skipReason() }, async () => {
  const p = pair!;
  await p.checkAll([['AUTH', 'x'], ['AUTH', 'default', 'x'], ['AUTH', 'nouser', 'x'], ['AUTH', 'a', 'b', 'c'], ['AUTH']]);
});

test('HELLO errors and options', { skip: skipReason() }, async () => {
  const p = pair!;
  await p.checkAll([
    ['HELLO', '1'],
    ['HELLO', '4'],
    ['HELLO', 'x'],
    ['HELLO', '-1'],
    ['HELLO', '3', 'FOO'],
    ['HELLO', '3', 'AUTH', 'default'],
    ['HELLO', '3', 'SETNAME'],
    ['HELLO', '2', 'SETNAME', 'bad name'],
  ]);
  // Replies differ only in values (version, id): compare the keys and types.
  // With no password set, any password authenticates the default user.
  for (const v of [['2'], ['3'], ['3', 'AUTH', 'default', 'anything'], ['2', 'SETNAME', 'conn-name']]) {
    const [a, b] = await p.both('HELLO', ...v);
    const strip = (s: string) => s.replace(/\$\d+\r\n7\.\d+\.\d+\r\n/, '$V').replace(/:\d+\r\n\$4\r\nmode/, ':ID$4\r\nmode');
    assert.equal(strip(a), strip(b));
  }
  await p.resp(2);
});

test('RESET and QUIT', { skip: skipReason() }, async () => {
  const p = pair!;
  await p.check('SELECT', '3');
  await p.check('RESET');
  await p.check('HELLO', '3', 'SETNAME', 'x').catch(() => undefined);
  await p.check('RESET');
  const [a, b] = await p.connectMore();
  const [ra, rb] = await Promise.all([a.call('QUIT'), b.call('QUIT')]);
  assert.equal(ra, rb);
  await Promise.all([a.waitClose(), b.waitClose()]);
});

test('RESP3 null and errors', { skip: skipReason() }, async () => {
  const p = pair!;
  await p.resp(3);
  await p.checkAll([['PING'], ['ECHO', 'x'], ['NOSUCH'], ['SELECT', '99']]);
  await p.resp(2);
});
