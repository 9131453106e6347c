// SLOWLOG, TIME, LASTSAVE, MONITOR against the reference: HELP, errors, arity,
// reply shapes that do not depend on timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair } from '../helpers/differential.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

test('SLOWLOG HELP, LEN, RESET, GET errors and arity', { skip }, async () => {
  await pair.checkAll([
    ['SLOWLOG', 'HELP'],
    ['SLOWLOG', 'RESET'],
    ['SLOWLOG', 'LEN'],
    ['SLOWLOG', 'GET'],
    ['SLOWLOG', 'GET', '5'],
    ['SLOWLOG', 'GET', '-1'],
    ['SLOWLOG', 'GET', '0'],
    ['SLOWLOG', 'GET', '-2'],
    ['SLOWLOG', 'GET', 'abc'],
    ['SLOWLOG', 'GET', '1.5'],
    ['SLOWLOG', 'GET', '99999999999999999999'],
    ['SLOWLOG', 'GET', '1', '2'],
    ['slowlog', 'Get', '1', '2'],
    ['SLOWLOG'],
    ['SLOWLOG', 'LEN', 'x'],
    ['SLOWLOG', 'RESET', 'x'],
    ['SLOWLOG', 'NOSUCH'],
  ]);
  await pair.resp(3);
  await pair.checkAll([['SLOWLOG', 'GET'], ['SLOWLOG', 'HELP']]);
  await pair.resp(2);
});

test('TIME, LASTSAVE, MONITOR: shapes and arity', { skip }, async () => {
  await pair.checkAll([['TIME', 'x'], ['LASTSAVE', 'x'], ['MONITOR', 'x']]);
  const [a, b] = await pair.both('TIME');
  const shape = (r: string) => r.replace(/\$\d+\r\n\d+\r\n/g, '$N\r\nD\r\n');
  assert.equal(shape(a), shape(b));
  const [la, lb] = await pair.both('LASTSAVE');
  assert.match(la, /^:\d+\r\n$/);
  assert.match(lb, /^:\d+\r\n$/);
  const [ma, mb] = await pair.connectMore();
  try {
    assert.deepEqual(await Promise.all([ma.call('MONITOR'), mb.call('MONITOR')]), ['+OK\r\n', '+OK\r\n']);
    // The same command shows the same way on both feeds, but for the time and the client port.
    await pair.both('SET', 'mk', 'a "quoted"\x00\xff value');
    const [fa, fb] = await Promise.all([ma.read(), mb.read()]);
    const norm = (l: string) => l.replace(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\]/, '+T [0 ADDR]');
    assert.equal(norm(fa), norm(fb));
    assert.match(fa, /"SET" "mk" "a \\"quoted\\"\\x00\\xff value"\r\n$/);
  } finally {
    ma.close();
    mb.close();
  }
});
