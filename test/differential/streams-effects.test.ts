// Side effects of the stream commands compared with the reference server:
// keyspace notifications, the dirty counter and the propagated commands
// (XADD with its generated ID and exact trimming, XREADGROUP/XCLAIM/
// XAUTOCLAIM as XCLAIM ... FORCE JUSTID, XGROUP SETID and CREATECONSUMER).

import { test, before, after } from 'node:test';
import { skipReason, type Args } from '../helpers/differential.js';
import { EffectsPair } from '../helpers/effects.js';

const skip = skipReason();
let ep: EffectsPair;

before(async () => {
  if (!skip) ep = await EffectsPair.start();
});
after(async () => {
  if (ep) await ep.close();
});

async function run(cmds: Args[]): Promise<void> {
  for (const c of cmds) await ep.effect(c);
}

/** An ID generated from the clock: both servers' may differ by the delay between them. */
const clockId = (a: string, b: string) => /^\d{13}-\d+$/.test(a) && /^\d{13}-\d+$/.test(b) && Math.abs(Number(a.split('-')[0]) - Number(b.split('-')[0])) < 3000;

test('XADD, XDEL, XTRIM, XSETID: notifications, dirty and propagation', { skip }, async () => {
  await ep.reset();
  await run([
    ['XADD', 's', '1-0', 'a', '1'],
    ['XADD', 's', '1-*', 'a', '2'],
    ['XADD', 's', '5', 'a', '3'],
    ['XADD', 's', '1-0', 'a', '1'],
    ['XADD', 'nos', 'NOMKSTREAM', '1-0', 'a', '1'],
    ['XADD', 's', 'MAXLEN', '2', '6-0', 'a', '4'],
    ['XADD', 's', 'MAXLEN', '10', '7-0', 'a', '5'],
    ['XADD', 's', 'MINID', '6', '8-0', 'a', '6'],
    ['XADD', 's', 'MINID', '100', '9-0', 'a', '6'],
    ['XDEL', 's', '8-0', '99-0'],
    ['XDEL', 's', '99-0'],
    ['XTRIM', 's', 'MAXLEN', '1'],
    ['XTRIM', 's', 'MAXLEN', '1'],
    ['XTRIM', 'nokey', 'MAXLEN', '1'],
    ['XSETID', 's', '20-0'],
    ['XSETID', 's', '20-0', 'ENTRIESADDED', '50', 'MAXDELETEDID', '10-0'],
    ['XSETID', 's', '1-0'],
    ['SET', 'str', 'x'],
    ['XADD', 'str', '1-0', 'a', '1'],
  ]);
  await ep.effect(['XADD', 's', '*', 'a', '1'], { reply: false, same: clockId });
  await ep.effect(['XADD', 'new', 'MAXLEN', '0', '*', 'a', '1'], { reply: false, same: clockId });
  // Approximate trims go out as exact ones, where they stopped.
  await ep.reset();
  for (let i = 1; i <= 250; i++) await ep.pair.both('XADD', 'big', `${i}-0`, 'f', String(i));
  await ep.sync();
  ep.events = [];
  ep.propagated = [];
  await run([
    ['XADD', 'big', 'MAXLEN', '~', '120', '251-0', 'f', 'v'],
    ['XADD', 'big', 'MAXLEN', '~', '120', '252-0', 'f', 'v'],
    ['XTRIM', 'big', 'MAXLEN', '~', '10'],
    ['XADD', 'big', 'MINID', '~', '200', 'LIMIT', '1', '253-0', 'f', 'v'],
    ['XADD', 'big', 'MINID', '~', '300', '254-0', 'f', 'v'],
    ['XTRIM', 'big', 'MINID', '~', '1000'],
    ['XADD', 'big', 'MINID', '~', '100000', '255-0', 'f', 'v'],
    ['XADD', 'big', 'MAXLEN', '=', '1', '256-0', 'f', 'v'],
    ['XADD', 'big', 'MAXLEN', '~', '0', '257-0', 'f', 'v'],
  ]);
});

test('consumer groups: notifications, dirty and propagation', { skip }, async () => {
  await ep.reset();
  await run([
    ['XADD', 's', '1-0', 'a', '1'],
    ['XADD', 's', '2-0', 'b', '2'],
    ['XADD', 's', '3-0', 'c', '3'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XGROUP', 'CREATE', 'mk', 'g', '$', 'MKSTREAM'],
    ['XGROUP', 'CREATE', 's', 'g2', '$', 'ENTRIESREAD', '3'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c0'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c0'],
    ['XGROUP', 'SETID', 's', 'g2', '1-0'],
    ['XGROUP', 'SETID', 's', 'g2', '0', 'ENTRIESREAD', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '2', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g2', 'c2', 'NOACK', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g2', 'c2', 'NOACK', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g2', 'c3', 'NOACK', 'STREAMS', 's', '>'],
    ['XACK', 's', 'g', '1-0', '2-0', '9-0'],
    ['XACK', 's', 'g', '1-0'],
    ['XCLAIM', 's', 'g', 'c2', '0', '3-0'],
    ['XCLAIM', 's', 'g', 'c2', '0', '3-0', 'JUSTID', 'RETRYCOUNT', '5'],
    ['XCLAIM', 's', 'g', 'c2', '0', '1-0', 'FORCE'],
    ['XCLAIM', 's', 'g', 'c2', '0', '99-0'],
    ['XCLAIM', 's', 'g', 'newc', '0', '99-0', 'LASTID', '50-0'],
    ['XCLAIM', 's', 'g', 'newc', '0', '99-0', 'LASTID', '1-0'],
    ['XDEL', 's', '1-0'],
    ['XCLAIM', 's', 'g', 'c2', '0', '1'],
    ['XADD', 's', '60-0', 'd', '4'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'],
    ['XDEL', 's', '60-0'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'COUNT', '10'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'JUSTID'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c4'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c4'],
    ['XGROUP', 'DESTROY', 's', 'g'],
    ['XGROUP', 'DESTROY', 's', 'g'],
    ['XREAD', 'STREAMS', 's', '0'],
    ['XPENDING', 's', 'g2'],
    ['XINFO', 'GROUPS', 's'],
  ]);
});
