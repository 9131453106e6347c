// Stream commands against the reference redis-server, RESP2 and RESP3.
// Replies are compared byte for byte, except fields that depend on the time
// (idle times, delivery and seen times, `*` IDs), which are compared after
// masking them (see timed()).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { decode } from '../helpers/resp.js';
import { maskTimes } from '../helpers/streams.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

/** Runs the same script in RESP2 and in RESP3 on fresh databases. */
async function both23(setup: Args[], cmds: Args[]): Promise<void> {
  for (const v of [2, 3] as const) {
    await pair.both('FLUSHALL');
    await pair.resp(v);
    for (const s of setup) await pair.check(...s);
    for (const c of cmds) {
      if (c[0] === 'TIMED') await timed(...c.slice(1));
      else await pair.check(...c);
    }
  }
  await pair.resp(2);
}

/** Sends a command to both and compares the replies with times masked. */
async function timed(...args: Args): Promise<void> {
  const [a, b] = await pair.both(...args);
  const da = maskTimes(decode(Buffer.from(a, 'latin1'))[0]);
  const db = maskTimes(decode(Buffer.from(b, 'latin1'))[0]);
  assert.deepEqual(da, db, `reply to ${args.join(' ')}:\nspinel ${JSON.stringify(a)}\nredis  ${JSON.stringify(b)}`);
}

test('XADD: IDs, options, trimming and errors', { skip }, async () => {
  await both23(
    [],
    [
      ['XADD', 's', '1-1', 'a', '1', 'b', '2'],
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '0-0', 'a', '1'],
      ['XADD', 's2', '0-0', 'a', '1'],
      ['EXISTS', 's2'],
      ['XADD', 's2', '0-*', 'a', '1'],
      ['XADD', 's2', '0-*', 'a', '1'],
      ['XADD', 's', '1-*', 'a', '1'],
      ['XADD', 's', '5', 'a', '1'],
      ['XADD', 's', '5-5', 'a', '1', 'b'],
      ['XADD', 's', '6-0', 'a'],
      ['XADD', 's'],
      ['XADD', 's', 'MAXLEN'],
      ['XADD', 's', 'MAXLEN', '5'],
      ['XADD', 's', 'MAXLEN', '5', '*'],
      ['XADD', 's', 'MAXLEN', '~', '5', '10-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '=', '5', '11-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '-1', '12-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', 'x', '12-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '~', 'x', '12-0', 'a', '1'],
      ['XADD', 's', 'MINID', '1', 'MAXLEN', '2', '12-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '1', 'MAXLEN', '2', '12-0', 'a', '1'],
      ['XADD', 's', 'LIMIT', '10', '12-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '5', 'LIMIT', '10', '12-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', '10', '12-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', '-1', '13-0', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', 'x', '13-0', 'a', '1'],
      ['XADD', 's', 'LIMIT', '0', '13-0', 'a', '1'],
      ['XADD', 's', 'NOMKSTREAM', '14-0', 'a', '1'],
      ['XADD', 'nos', 'NOMKSTREAM', '14-0', 'a', '1'],
      ['XADD', 'nos', 'NOMKSTREAM', 'MAXLEN', '0', '*', 'a', '1'],
      ['EXISTS', 'nos'],
      ['XADD', 's', 'nomkstream', 'maxlen', '3', '15-0', 'a', '1'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 's', 'MINID', '13', '16-0', 'a', '1'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 's', 'MINID', '~', '13', '17-0', 'a', '1'],
      ['XADD', 's', 'MINID', '+', '17-1', 'a', '1'],
      ['XADD', 's', 'MINID', '-', '17-1', 'a', '1'],
      ['XADD', 's', 'MINID', 'x', '17-1', 'a', '1'],
      ['XADD', 's', 'minid', '=', '17', '17-2', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '0', '18-0', 'gone', '1'],
      ['XLEN', 's'],
      ['XADD', 's', '18446744073709551615-18446744073709551615', 'a', '1'],
      ['XADD', 's', '*', 'a', '1'],
      ['XADD', 's', '18446744073709551615-*', 'a', '1'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 't', '18446744073709551615-18446744073709551614', 'a', '1'],
      ['XADD', 't', '18446744073709551615-*', 'a', '1'],
      ['XADD', 't', '18446744073709551615-*', 'a', '1'],
      ['XADD', 't', '18446744073709551616-0', 'a', '1'],
      ['XADD', 't', '1-18446744073709551616', 'a', '1'],
      ['XADD', 't2', '1-18446744073709551615', 'a', '1'],
      ['XADD', 't2', '1-*', 'a', '1'],
      ['XADD', 't2', '2-*', 'a', '1'],
      ['XADD', 't2', '9007199254740993-9007199254740993', 'a', '1'],
      ['XADD', 't2', '9007199254740993-*', 'a', '1'],
      ['XRANGE', 't2', '9007199254740993', '9007199254740993'],
      ['XRANGE', 't2', '(9007199254740993-9007199254740993', '+'],
      ['XREVRANGE', 't2', '(9007199254740993-9007199254740994', '-'],
      ['XRANGE', 't', '-', '+'],
      ['XINFO', 'STREAM', 't'],
    ],
  );
});

test('XADD: ID parsing like string2ull, values empty, binary and big', { skip }, async () => {
  const big = 'x'.repeat(100000);
  const bin = '\x00\xff\r\n\x01';
  await both23(
    [],
    [
      ['XADD', 'u', ' 5-1', 'a', '1'],
      ['XADD', 'u', '+6-1', 'a', '1'],
      ['XADD', 'u', '07-1', 'a', '1'],
      ['XADD', 'u', '8- 1', 'a', '1'],
      ['XADD', 'u', '9--1', 'a', '1'],
      ['XADD', 'u', '9-- 1', 'a', '1'],
      ['XADD', 'u', '10-+1', 'a', '1'],
      ['XADD', 'u', '-0-1', 'a', '1'],
      ['XADD', 'u', '\t11', 'a', '1'],
      ['XADD', 'u', '12 ', 'a', '1'],
      ['XADD', 'u', '0x10', 'a', '1'],
      ['XADD', 'u', '13-*x', 'a', '1'],
      ['XADD', 'u', '14-**', 'a', '1'],
      ['XADD', 'u', '-', 'a', '1'],
      ['XADD', 'u', '+', 'a', '1'],
      ['XADD', 'u', '', 'a', '1'],
      ['XADD', 'u', '-5', 'a', '1'],
      ['XADD', 'u', '15-', 'a', '1'],
      ['XADD', 'u', '1'.repeat(128), 'a', '1'],
      ['XADD', 'u', '1'.repeat(127), 'a', '1'],
      ['XADD', 'u', '16\x00junk', 'a', '1'],
      ['XRANGE', 'u', '-', '+'],
      ['XADD', 'u', '20-1', '', ''],
      ['XADD', 'u', '20-2', bin, bin, 'f2', big],
      ['XADD', 'u', '20-3', bin, bin, 'f2', 'small'],
      ['XADD', 'u', '20-4', '12345', '-1', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '007'],
      ['XRANGE', 'u', '20', '20'],
      ['XREVRANGE', 'u', '+', '-', 'COUNT', '3'],
      ['XINFO', 'STREAM', 'u'],
      ['XLEN', 'u'],
    ],
  );
});

test('XRANGE / XREVRANGE: bounds, exclusive ranges, COUNT', { skip }, async () => {
  const setup: Args[] = [];
  for (let i = 1; i <= 30; i++) setup.push(['XADD', 's', `${Math.ceil(i / 3)}-${i % 3}`, 'f', String(i), ...(i % 4 === 0 ? ['g', 'x'] : [])]);
  setup.push(['SET', 'str', 'v']);
  await both23(setup, [
    ['XRANGE', 'nokey', '-', '+'],
    ['XRANGE', 's', '-', '+', 'COUNT', '0'],
    ['XRANGE', 's', '-', '+', 'COUNT', '-1'],
    ['XRANGE', 's', '-', '+', 'COUNT', '1'],
    ['XRANGE', 's', '-', '+', 'COUNT', '5'],
    ['XRANGE', 's', '-', '+', 'count', '9223372036854775807'],
    ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
    ['XRANGE', 's', '-', '+', 'COUNT'],
    ['XRANGE', 's', '-', '+', 'FOO', '1'],
    ['XRANGE', 's', '-', '+', 'COUNT', '1', 'COUNT', '2'],
    ['XRANGE', 's', '3', '5'],
    ['XRANGE', 's', '3-1', '5-0'],
    ['XRANGE', 's', '(3-1', '(5-0'],
    ['XRANGE', 's', '(3', '+'],
    ['XRANGE', 's', '(-', '+'],
    ['XRANGE', 's', '-', '(+'],
    ['XRANGE', 's', '-', '(0-0'],
    ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'],
    ['XRANGE', 's', '(', '+'],
    ['XRANGE', 's', '((1', '+'],
    ['XRANGE', 's', 'x', '+'],
    ['XRANGE', 's', '-', 'x'],
    ['XRANGE', 's', '5', '3'],
    ['XRANGE', 's', '10-2', '+'],
    ['XRANGE', 's', '11', '+'],
    ['XREVRANGE', 's', '+', '-'],
    ['XREVRANGE', 's', '+', '-', 'COUNT', '2'],
    ['XREVRANGE', 's', '(18446744073709551615', '-'],
    ['XREVRANGE', 's', '5', '3'],
    ['XREVRANGE', 's', '(5', '(3', 'COUNT', '3'],
    ['XREVRANGE', 's', '3', '5'],
    ['XREVRANGE', 's', '0-5', '-'],
    ['XRANGE', 'str', '-', '+'],
    ['XREVRANGE', 'str', '+', '-'],
    ['XRANGE', 's'],
    ['XRANGE', 's', '-'],
  ]);
});

test('XLEN, XDEL, XTRIM and the stream counters', { skip }, async () => {
  const setup: Args[] = [['SET', 'str', 'v']];
  for (let i = 1; i <= 20; i++) setup.push(['XADD', 's', `${i}-0`, 'f', String(i)]);
  await both23(setup, [
    ['XLEN', 's'],
    ['XLEN', 'nokey'],
    ['XLEN', 'str'],
    ['XDEL', 's', '1'],
    ['XDEL', 's', '1'],
    ['XDEL', 's', '3-0', '4-0', '3-0', '99'],
    ['XDEL', 's', '5-0', 'x'],
    ['XDEL', 's', '5-0', '+'],
    ['XDEL', 'nokey', 'x'],
    ['XDEL', 'str', '1'],
    ['XDEL', 's'],
    ['XINFO', 'STREAM', 's'],
    ['XTRIM', 's'],
    ['XTRIM', 's', 'MAXLEN'],
    ['XTRIM', 's', 'MAXLEN', '15'],
    ['XTRIM', 's', 'MAXLEN', '~', '5'],
    ['XTRIM', 's', 'MAXLEN', '=', '14'],
    ['XTRIM', 's', 'MINID', '9', 'LIMIT', '5'],
    ['XTRIM', 's', 'MINID', '~', '9', 'LIMIT', '5'],
    ['XTRIM', 's', 'MINID', '~', '9', 'LIMIT', '0'],
    ['XTRIM', 's', 'MINID', '9'],
    ['XTRIM', 's', 'FOO'],
    ['XTRIM', 's', 'MAXLEN', '1', 'NOMKSTREAM'],
    ['XTRIM', 's', 'MAXLEN', '1', 'MINID', '1'],
    ['XTRIM', 's', 'LIMIT', '1'],
    ['XTRIM', 's', 'MAXLEN', '-1'],
    ['XTRIM', 'nokey', 'MAXLEN', '1'],
    ['XTRIM', 'nokey', 'MAXLEN', 'x'],
    ['XTRIM', 'str', 'MAXLEN', '1'],
    ['XINFO', 'STREAM', 's'],
    ['XTRIM', 's', 'MAXLEN', '0'],
    ['XINFO', 'STREAM', 's'],
    ['XADD', 's', '30-0', 'f', 'v'],
    ['XINFO', 'STREAM', 's', 'FULL'],
    ['XDEL', 's', '30-0'],
    ['XINFO', 'STREAM', 's', 'FULL'],
    ['TYPE', 's'],
    ['OBJECT', 'ENCODING', 's'],
  ]);
});

test('XSETID', { skip }, async () => {
  await both23(
    [['SET', 'str', 'v'], ['XADD', 's', '1-0', 'a', '1'], ['XADD', 's', '2-0', 'a', '1'], ['XADD', 's', '3-0', 'a', '1']],
    [
      ['XSETID', 's', '1-0'],
      ['XSETID', 's', '3-0'],
      ['XSETID', 's', '10-0'],
      ['XSETID', 's', '10-0', 'ENTRIESADDED', '1'],
      ['XSETID', 's', '10-0', 'ENTRIESADDED', '100', 'MAXDELETEDID', '11-0'],
      ['XSETID', 's', '10-0', 'ENTRIESADDED', '100', 'MAXDELETEDID', '9-0'],
      ['XINFO', 'STREAM', 's'],
      ['XSETID', 's', '9-5'],
      ['XSETID', 's', '10', 'FOO'],
      ['XSETID', 's', '10', '0'],
      ['XSETID', 's', '10', 'ENTRIESADDED'],
      ['XSETID', 's', '10', 'ENTRIESADDED', '-1'],
      ['XSETID', 's', '10', 'ENTRIESADDED', 'x'],
      ['XSETID', 's', '10', 'MAXDELETEDID', 'x'],
      ['XSETID', 's', '10', 'MAXDELETEDID', '+'],
      ['XSETID', 's', 'x'],
      ['XSETID', 's', '-'],
      ['XSETID', 'nokey', '5'],
      ['XSETID', 'nokey', 'x'],
      ['XSETID', 'str', '1'],
      ['XSETID', 's', '18446744073709551615-18446744073709551615', 'ENTRIESADDED', '9223372036854775807'],
      ['XINFO', 'STREAM', 's'],
      ['XADD', 's', '*', 'a', '1'],
      ['XDEL', 's', '3-0'],
      ['XSETID', 's', '2-0'],
      ['XADD', 'e', 'MAXLEN', '0', '5-0', 'a', 'b'],
      ['XSETID', 'e', '0-1'],
      ['XSETID', 'e', '0-0'],
      ['XINFO', 'STREAM', 'e'],
      ['XADD', 'e', '1-0', 'x', 'y'],
    ],
  );
});

const GROUP_SETUP: Args[] = [
  ['SET', 'str', 'v'],
  ['XADD', 's', '1-0', 'a', '1'],
  ['XADD', 's', '2-0', 'b', '2'],
  ['XADD', 's', '3-0', 'c', '3', 'd', '4'],
];

test('XGROUP: CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP', { skip }, async () => {
  await both23(GROUP_SETUP, [
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XGROUP', 'CREATE', 'nokey', 'g', '0'],
    ['XGROUP', 'CREATE', 'nokey', 'g', '0', 'MKSTREAM'],
    ['XGROUP', 'CREATE', 'nokey2', 'g', '$', 'MKSTREAM', 'ENTRIESREAD', '5'],
    ['XGROUP', 'CREATE', 'nokey3', 'g', '$', 'ENTRIESREAD', '-2', 'MKSTREAM'],
    ['XGROUP', 'CREATE', 'nokey3', 'g', '$', 'ENTRIESREAD', 'x'],
    ['XGROUP', 'CREATE', 'nokey3', 'g', '$', 'ENTRIESREAD'],
    ['XGROUP', 'CREATE', 'nokey3', 'g', '$', 'FOO'],
    ['XGROUP', 'CREATE', 'nokey3', 'g', 'x', 'MKSTREAM'],
    ['XGROUP', 'CREATE', 'nokey3', 'g', '$', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM'],
    ['EXISTS', 'nokey3'],
    ['XGROUP', 'CREATE', 'str', 'g', '$'],
    ['XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'],
    ['XGROUP', 'CREATE', 's', 'g2', '$'],
    ['XGROUP', 'CREATE', 's', 'g3', '+'],
    ['XGROUP', 'CREATE', 's', 'g3', '-'],
    ['XGROUP', 'CREATE', 's', 'g3', '2', 'ENTRIESREAD', '1'],
    ['XGROUP', 'SETID', 's', 'g3', '+'],
    ['XGROUP', 'SETID', 's', 'g3', '-'],
    ['XGROUP', 'SETID', 's', 'g3', '$'],
    ['XGROUP', 'SETID', 's', 'nog', '0'],
    ['XGROUP', 'SETID', 'nokey9', 'g', '0'],
    ['XGROUP', 'SETID', 's', 'g3', '0', 'ENTRIESREAD', '1'],
    ['XGROUP', 'SETID', 's', 'g3', '0', 'ENTRIESREAD', '-1'],
    ['XGROUP', 'SETID', 's', 'g3', '0', 'MKSTREAM'],
    ['XGROUP', 'SETID', 's', 'g3', '0', 'ENTRIESREAD'],
    ['XGROUP', 'SETID', 's', 'g3', 'x'],
    ['XGROUP', 'SETID', 's', 'g3'],
    ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'HELP'],
    ['XGROUP', 'help', 'x'],
    ['XGROUP', 'FOO'],
    ['XGROUP'],
    ['XGROUP', 'DESTROY', 's', 'g3'],
    ['XGROUP', 'DESTROY', 's', 'g3'],
    ['XGROUP', 'DESTROY', 'nokey9', 'g3'],
    ['XGROUP', 'DESTROY', 's', 'g3', 'x'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'],
    ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'c1'],
    ['XGROUP', 'CREATECONSUMER', 'nokey9', 'g', 'c1'],
    ['XGROUP', 'CREATECONSUMER', 'str', 'g', 'c1'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'],
    ['XGROUP', 'DELCONSUMER', 's', 'nog', 'c1'],
    ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c2'],
    ['XPENDING', 's', 'g'],
    ['XINFO', 'GROUPS', 's'],
  ]);
});

test('XREADGROUP, XACK and XPENDING', { skip }, async () => {
  await both23(
    [...GROUP_SETUP, ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'g2', '$']],
    [
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '1', 'STREAMS', 's', '1-0'],
      ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '1', 'STREAMS', 's', '0'],
      ['XPENDING', 's', 'g'],
      ['TIMED', 'XPENDING', 's', 'g', '-', '+', '10'],
      ['TIMED', 'XPENDING', 's', 'g', '-', '+', '10', 'c1'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'c2'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
      ['TIMED', 'XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10'],
      ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10'],
      ['XPENDING', 's', 'g', 'IDLE', '0', '-', '+'],
      ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '10'],
      ['XPENDING', 's', 'g', '-', '+', 'x'],
      ['XPENDING', 's', 'g', '-', '+', '0'],
      ['XPENDING', 's', 'g', '-', '+', '-5'],
      ['XPENDING', 's', 'g', '-', 'x', '10'],
      ['XPENDING', 's', 'g', 'x', '+', '10'],
      ['XPENDING', 's', 'g', '(', '+', '10'],
      ['TIMED', 'XPENDING', 's', 'g', '(1', '+', '10'],
      ['TIMED', 'XPENDING', 's', 'g', '-', '(3', '10'],
      ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '10'],
      ['XPENDING', 's', 'g', '-', '(0-0', '10'],
      ['XPENDING', 's', 'nog'],
      ['XPENDING', 'nokey', 'g'],
      ['XPENDING', 'str', 'g'],
      ['XPENDING', 'str', 'g', '-', 'x', '10'],
      ['TIMED', 'XPENDING', 's', 'g', '-', '+', '10', 'c1', 'extra'],
      ['XPENDING', 's', 'g', '-', '+'],
      ['XPENDING', 's', 'g', '-'],
      ['XPENDING', 's', 'g2'],
      ['XACK', 's', 'g', '1-0'],
      ['XACK', 's', 'g', '1-0'],
      ['XACK', 's', 'g', '1', '2-0', '2-0', '7'],
      ['XACK', 's', 'g', 'x'],
      ['XACK', 's', 'g', '3-0', 'x'],
      ['XACK', 's', 'nog', 'x'],
      ['XACK', 'nokey', 'g', '1'],
      ['XACK', 'str', 'g', '1'],
      ['XPENDING', 's', 'g'],
      ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '0'],
      ['XDEL', 's', '3-0'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'],
      ['XADD', 's', '4-0', 'd', '4'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'NOACK', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XPENDING', 's', 'g'],
      ['XREADGROUP', 'GROUP', 'g2', 'c1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g2', 'c1', 'STREAMS', 's', '$'],
      ['XREADGROUP', 'GROUP', 'g2', 'c1', 'STREAMS', 's'],
      ['XREADGROUP', 'GROUP', 'g2', 'c1', 'STREAMS', 's', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g2', 'c1', 'STREAMS', 's', '+'],
      ['XREADGROUP', 'GROUP', 'g2', 'c1', 'STREAMS', 's', 'x'],
      ['XREADGROUP', 'GROUP', 'nog', 'c1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'nokey', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'str', '>'],
      ['XREADGROUP', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', 'x', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', 'x', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'FOO', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '-1', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '18446744073709551615-18446744073709551615'],
      ['XGROUP', 'SETID', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c9', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['TIMED', 'XINFO', 'CONSUMERS', 's', 'g'],
      ['XPENDING', 's', 'g'],
    ],
  );
});

test('XREAD without blocking', { skip }, async () => {
  await both23(
    [...GROUP_SETUP, ['XADD', 's2', '5-0', 'x', 'y']],
    [
      ['XREAD', 'STREAMS', 's', '$'],
      ['XREAD', 'STREAMS', 's', '0'],
      ['XREAD', 'STREAMS', 's', '>'],
      ['XREAD', 'STREAMS', 's', '+'],
      ['XREAD', 'COUNT', '1', 'STREAMS', 's', '0'],
      ['XREAD', 'COUNT', '1', 'STREAMS', 's', 'nokey', 's2', '0', '0', '0'],
      ['XREAD', 'STREAMS', 's', 's2', '2', '4'],
      ['XREAD', 'STREAMS', 's', 's', '1', '2'],
      ['XREAD', 'STREAMS', 'nokey', '0'],
      ['XREAD', 'STREAMS', 'str', '0'],
      ['XREAD', 'STREAMS', 's', 'str', '0', '0'],
      ['XREAD', 'STREAMS', 's', 'x'],
      ['XREAD', 'STREAMS', 's'],
      ['XREAD', 'STREAMS', 's', 's2', '0'],
      ['XREAD', 'BLOCK', 'x', 'STREAMS', 's', '0'],
      ['XREAD', 'BLOCK', '-1', 'STREAMS', 's', '0'],
      ['XREAD', 'BLOCK', '10', 'STREAMS', 's', '0'],
      ['XREAD', 'BLOCK', '9223372036854775807', 'STREAMS', 's', '0'],
      ['XREAD', 'FOO', 'STREAMS', 's', '0'],
      ['XREAD', 'COUNT', '-5', 'STREAMS', 's', '0'],
      ['XREAD', 'COUNT', 'x', 'STREAMS', 's', '0'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'],
      ['XREAD', 'NOACK', 'STREAMS', 's', '0'],
      ['XREAD', 'COUNT', '1'],
      ['XREAD', 'COUNT', '1', 'STREAMS'],
      ['XREAD', 'STREAMS', 's', '18446744073709551615-18446744073709551615'],
      ['XDEL', 's', '3-0'],
      ['XREAD', 'STREAMS', 's', '2-0'],
      ['XREAD', 'BLOCK', '1', 'STREAMS', 's', '2-0'],
    ],
  );
});

test('XCLAIM and XAUTOCLAIM', { skip }, async () => {
  const setup: Args[] = [['SET', 'str', 'v']];
  for (let i = 1; i <= 10; i++) setup.push(['XADD', 's', `${i}-0`, 'f', String(i)]);
  setup.push(['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '6', 'STREAMS', 's', '>']);
  await both23(setup, [
    ['XCLAIM', 's', 'g', 'c2', '0', '1-0'],
    ['XCLAIM', 's', 'g', 'c2', '0', '1-0', '2-0', '99-0'],
    ['XCLAIM', 's', 'g', 'c2', '0', '3-0', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'c2', '100000', '4-0'],
    ['XCLAIM', 's', 'g', 'c2', '-5', '4-0', 'RETRYCOUNT', '7'],
    ['TIMED', 'XPENDING', 's', 'g', '-', '+', '10'],
    ['XCLAIM', 's', 'g', 'c2', '0', '8-0'],
    ['XCLAIM', 's', 'g', 'c2', '0', '8-0', 'FORCE'],
    ['XCLAIM', 's', 'g', 'c2', '0', '8-0', 'FORCE', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'c2', '0', '99-0', 'FORCE'],
    ['XCLAIM', 's', 'g', 'c3', '0', '5-0', 'IDLE', '1000', 'JUSTID'],
    ['TIMED', 'XPENDING', 's', 'g', '-', '+', '10'],
    ['XCLAIM', 's', 'g', 'c3', '0', '5-0', 'TIME', '12345'],
    ['TIMED', 'XPENDING', 's', 'g', '-', '+', '10', 'c3'],
    ['XCLAIM', 's', 'g', 'c3', '0', '5-0', 'TIME', '-1'],
    ['XCLAIM', 's', 'g', 'c3', '0', '5-0', 'IDLE', '-1000', 'RETRYCOUNT', '-3'],
    ['XCLAIM', 's', 'g', 'c3', '0', '6-0', 'LASTID', '9-0'],
    ['XINFO', 'GROUPS', 's'],
    ['XCLAIM', 's', 'g', 'c3', '0', '6-0', 'LASTID', 'x'],
    ['XCLAIM', 's', 'g', 'c3', '0', '6-0', 'IDLE', 'x'],
    ['XCLAIM', 's', 'g', 'c3', '0', '6-0', 'TIME', 'x'],
    ['XCLAIM', 's', 'g', 'c3', '0', '6-0', 'RETRYCOUNT', 'x'],
    ['XCLAIM', 's', 'g', 'c3', '0', '6-0', 'FOO'],
    ['XCLAIM', 's', 'g', 'c3', '0', '6-0', 'IDLE'],
    ['XCLAIM', 's', 'g', 'c3', '0', '6-0', 'FORCE', '7-0'],
    ['XCLAIM', 's', 'g', 'c3', 'x', '6-0'],
    ['XCLAIM', 's', 'g', 'c3', '0', 'JUSTID'],
    ['XCLAIM', 's', 'nog', 'c3', '0', '6-0'],
    ['XCLAIM', 'nokey', 'g', 'c3', 'x', '6-0'],
    ['XCLAIM', 'str', 'g', 'c3', '0', '6-0'],
    ['XCLAIM', 's', 'g', 'c3', '0'],
    ['XDEL', 's', '2-0'],
    ['XCLAIM', 's', 'g', 'c3', '0', '2-0'],
    ['XPENDING', 's', 'g'],
    ['XREADGROUP', 'GROUP', 'g', 'c4', 'STREAMS', 's', '>'],
    ['XDEL', 's', '7-0', '10-0'],
    ['XAUTOCLAIM', 's', 'g', 'c5', '0', '0', 'COUNT', '3'],
    ['XAUTOCLAIM', 's', 'g', 'c5', '0', '0', 'COUNT', '3', 'JUSTID'],
    ['XAUTOCLAIM', 's', 'g', 'c5', '0', '(4-0'],
    ['XAUTOCLAIM', 's', 'g', 'c5', '0', '0'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '100000', '0'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '-1', '0', 'COUNT', '1'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT', '0'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT', '-1'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT', 'x'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT', '576460752303423487'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT', '576460752303423488'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT', '1000000'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'FOO'],
    ['XAUTOCLAIM', 's', 'g', 'c6', 'x', '0'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', 'x'],
    ['XAUTOCLAIM', 's', 'g', 'c6', '0', '(18446744073709551615-18446744073709551615'],
    ['XAUTOCLAIM', 's', 'nog', 'c6', '0', '0'],
    ['XAUTOCLAIM', 'nokey', 'g', 'c6', '0', '0'],
    ['XAUTOCLAIM', 'str', 'g', 'c6', '0', '0'],
    ['XAUTOCLAIM', 'str', 'g', 'c6', 'x', '0'],
    ['TIMED', 'XINFO', 'CONSUMERS', 's', 'g'],
    ['XPENDING', 's', 'g'],
  ]);
});

test('XINFO STREAM, GROUPS, CONSUMERS and HELP', { skip }, async () => {
  const setup: Args[] = [['SET', 'str', 'v']];
  for (let i = 1; i <= 25; i++) setup.push(['XADD', 's', `${i}-${i % 2}`, 'f', String(i), ...(i % 5 === 0 ? ['other', 'x'] : [])]);
  setup.push(
    ['XGROUP', 'CREATE', 's', 'g1', '0'],
    ['XGROUP', 'CREATE', 's', 'a0', '$'],
    ['XGROUP', 'CREATE', 's', 'g2', '10', 'ENTRIESREAD', '10'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '12', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g2', 'alice', 'NOACK', 'COUNT', '3', 'STREAMS', 's', '>'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g1', 'zed'],
  );
  await both23(setup, [
    ['XINFO', 'STREAM', 's'],
    ['TIMED', 'XINFO', 'STREAM', 's', 'FULL'],
    ['TIMED', 'XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'],
    ['TIMED', 'XINFO', 'STREAM', 's', 'FULL', 'COUNT', '2'],
    ['TIMED', 'XINFO', 'STREAM', 's', 'full', 'count', '-1'],
    ['XINFO', 'STREAM', 's', 'FULL', 'x'],
    ['XINFO', 'STREAM', 's', 'FOO'],
    ['XINFO', 'STREAM', 's', 'FULL', 'COUNT'],
    ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'],
    ['XINFO', 'STREAM', 's', 'FULL', 'FOO', '1'],
    ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1', 'x'],
    ['XINFO', 'STREAM', 'nokey'],
    ['XINFO', 'STREAM', 'str'],
    ['XINFO', 'STREAM'],
    ['XINFO', 'GROUPS', 's'],
    ['XINFO', 'GROUPS', 'nokey'],
    ['XINFO', 'GROUPS', 'str'],
    ['XINFO', 'GROUPS', 's', 'x'],
    ['TIMED', 'XINFO', 'CONSUMERS', 's', 'g1'],
    ['XINFO', 'CONSUMERS', 's', 'a0'],
    ['XINFO', 'CONSUMERS', 's', 'nog'],
    ['XINFO', 'CONSUMERS', 'nokey', 'g'],
    ['XINFO', 'CONSUMERS', 'str', 'g'],
    ['XINFO', 'CONSUMERS', 's'],
    ['XINFO', 'HELP'],
    ['XINFO', 'help', 'x'],
    ['XINFO', 'FOO'],
    ['XINFO'],
    // Lag and entries-read as entries are deleted, trimmed and added.
    ['XDEL', 's', '20-0'],
    ['XINFO', 'GROUPS', 's'],
    ['XDEL', 's', '2-0'],
    ['XINFO', 'GROUPS', 's'],
    ['XTRIM', 's', 'MAXLEN', '10'],
    ['XINFO', 'GROUPS', 's'],
    ['XADD', 's', '30-0', 'f', 'v'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'STREAMS', 's', '>'],
    ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'SETID', 's', 'g2', '$'],
    ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'SETID', 's', 'g2', '0', 'ENTRIESREAD', '0'],
    ['XINFO', 'GROUPS', 's'],
    ['XSETID', 's', '40-0', 'ENTRIESADDED', '9223372036854775807', 'MAXDELETEDID', '35-0'],
    ['XINFO', 'GROUPS', 's'],
    ['XINFO', 'STREAM', 's'],
  ]);
});

test('keyspace integration: TYPE, OBJECT, SCAN TYPE, COPY, RENAME, MOVE, DEBUG DIGEST, SORT, WRONGTYPE', { skip }, async () => {
  await both23(
    [
      ['XADD', 's', '1-0', 'a', '1'],
      ['XADD', 's', '2-0', 'b', '2'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['SET', 'str', 'v'],
      ['LPUSH', 'l', 'x'],
    ],
    [
      ['TYPE', 's'],
      ['OBJECT', 'ENCODING', 's'],
      ['SCAN', '0', 'TYPE', 'stream'],
      ['SCAN', '0', 'TYPE', 'string'],
      ['COPY', 's', 's2'],
      ['XINFO', 'STREAM', 's2'],
      ['XINFO', 'GROUPS', 's2'],
      ['XPENDING', 's2', 'g'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's2', '>'],
      ['XPENDING', 's', 'g'],
      ['XPENDING', 's2', 'g'],
      ['DEBUG', 'DIGEST-VALUE', 's', 's2'],
      ['XADD', 's2', '3-0', 'c', '3'],
      ['DEBUG', 'DIGEST-VALUE', 's', 's2'],
      ['RENAME', 's2', 's3'],
      ['XRANGE', 's3', '-', '+'],
      ['MOVE', 's3', '1'],
      ['SELECT', '1'],
      ['XRANGE', 's3', '-', '+'],
      ['XPENDING', 's3', 'g'],
      ['SELECT', '0'],
      ['SORT', 's'],
      ['SORT', 's', 'BY', 'nosort'],
      ['SORT_RO', 's'],
      ['GET', 's'],
      ['LPUSH', 's', 'x'],
      ['HSET', 's', 'a', 'b'],
      ['SADD', 's', 'a'],
      ['ZADD', 's', '1', 'a'],
      ['XADD', 'l', '*', 'a', 'b'],
      ['XLEN', 'l'],
      ['XRANGE', 'l', '-', '+'],
      ['XGROUP', 'CREATE', 'l', 'g', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'l', '>'],
      ['XINFO', 'STREAM', 'l'],
      ['DEL', 's'],
      ['EXISTS', 's'],
    ],
  );
  // DEBUG DIGEST over the whole dataset.
  await pair.both('FLUSHALL');
  await pair.checkAll([
    ['XADD', 's', '1-0', 'a', '1', 'b', '2'],
    ['XADD', 's', '18446744073709551615-5', 'c', ''],
    ['DEBUG', 'DIGEST'],
    ['DEBUG', 'DIGEST-VALUE', 's'],
  ]);
});

test('stream-node-max-entries and -bytes shape the nodes like Redis', { skip }, async () => {
  // Many requests: sent whole on a second pair of connections (a request cut
  // in pieces waits ~40 ms for a delayed ACK, the test client keeping Nagle on).
  const [sp, rd] = await pair.connectMore();
  const check = async (...args: Args): Promise<void> => {
    const [a, b] = await Promise.all([sp.call(...args), rd.call(...args)]);
    assert.equal(a, b, `reply to ${args.join(' ')}`);
  };
  for (const [entries, bytes] of [
    ['100', '4096'],
    ['10', '4096'],
    ['1', '0'],
    ['0', '100'],
    ['5', '0'],
    ['128', '8192'],
  ]) {
    await pair.both('FLUSHALL');
    await pair.checkAll([
      ['CONFIG', 'SET', 'stream-node-max-entries', entries],
      ['CONFIG', 'SET', 'stream-node-max-bytes', bytes],
      ['CONFIG', 'GET', 'stream-node-max-entries'],
      ['CONFIG', 'GET', 'stream-node-max-bytes'],
    ]);
    for (let i = 1; i <= 300; i++) {
      const fields: string[] = i % 7 === 0 ? ['other', 'v'.repeat(i % 50)] : ['f', String(i * 37), 'g', 'x'.repeat(i % 30)];
      await check('XADD', 's', `${1000 + Math.floor(i / 3)}-${i}`, ...fields);
      if (i % 25 === 0) await check('XINFO', 'STREAM', 's');
      if (i % 40 === 0) await check('XDEL', 's', `${1000 + Math.floor((i - 5) / 3)}-${i - 5}`);
    }
    await pair.checkAll([
      ['XTRIM', 's', 'MAXLEN', '~', '250'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MINID', '~', '1050'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '100', 'LIMIT', '30'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MAXLEN', '=', '100'],
      ['XINFO', 'STREAM', 's'],
      ['XRANGE', 's', '-', '+', 'COUNT', '5'],
    ]);
  }
  sp.close();
  rd.close();
  await pair.both('CONFIG', 'SET', 'stream-node-max-entries', '100');
  await pair.both('CONFIG', 'SET', 'stream-node-max-bytes', '4096');
});

test('`*` IDs: milliseconds then sequence numbers, never backwards', { skip }, async () => {
  await pair.both('FLUSHALL');
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const [a, b] = await pair.both('XADD', 's', '*', 'i', String(i));
    const sa = String(decode(Buffer.from(a, 'latin1'))[0]);
    const sb = String(decode(Buffer.from(b, 'latin1'))[0]);
    assert.match(sa, /^\d{13}-\d+$/);
    assert.match(sb, /^\d{13}-\d+$/);
    ids.push(sa);
  }
  for (let i = 1; i < ids.length; i++) {
    const [pm, ps] = ids[i - 1].split('-').map(BigInt);
    const [m, s] = ids[i].split('-').map(BigInt);
    assert.ok(m > pm || (m === pm && s === ps + 1n), `${ids[i - 1]} then ${ids[i]}`);
  }
  // A future explicit ID: `*` continues from it.
  await pair.checkAll([
    ['XADD', 'f', '99999999999999-5', 'a', '1'],
    ['XADD', 'f', '*', 'a', '2'],
    ['XADD', 'f', '99999999999999-*', 'a', '3'],
    ['XADD', 'f', '99999999999998-*', 'a', '3'],
  ]);
});
