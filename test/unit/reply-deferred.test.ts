// Reply additions for streams: bulk strings from bytes, IDs written as
// digits, and deferred aggregate headers filled in after their elements,
// including when the output has grown past the buffer into queued chunks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reply } from '../../src/protocol/reply.js';

function out(r: Reply): string {
  return Buffer.concat(r.drain()).toString('latin1');
}

test('bulkIdPair writes "<ms>-<seq>" at every digit count, bigints too', () => {
  const r = new Reply();
  const values: (number | bigint)[] = [0, 9, 10, 2147483647, 2147483648, 99999999, 100000000, 1e12, 1796670049524, 9007199254740991, 9007199254740992n, 18446744073709551615n];
  for (const a of values) {
    for (const b of values) {
      r.bulkIdPair(a, b);
      const text = `${a}-${b}`;
      assert.equal(out(r), `$${text.length}\r\n${text}\r\n`);
    }
  }
});

test('bulkBytes copies the slice [start, end), short and long', () => {
  const r = new Reply();
  const src = Buffer.from('xx\x00\xffhello--' + 'y'.repeat(70000), 'latin1');
  r.bulkBytes(src, 2, 9);
  assert.equal(out(r), '$7\r\n\x00\xffhello\r\n');
  r.bulkBytes(src, 11, 70011);
  assert.equal(out(r), `$70000\r\n${'y'.repeat(70000)}\r\n`);
  r.bulkBytes(src, 0, 0);
  assert.equal(out(r), '$0\r\n\r\n');
});

test('deferred headers: nested, in RESP2 and RESP3, and across queued chunks', () => {
  for (const resp of [2, 3] as const) {
    const r = new Reply();
    r.resp = resp;
    const outer = r.deferLen();
    let expected = '';
    for (let i = 0; i < 3; i++) {
      const inner = r.deferLen();
      let body = '';
      for (let j = 0; j <= i; j++) {
        r.bulk('v' + j);
        body += `$2\r\nv${j}\r\n`;
      }
      r.setDeferredArray(inner, i + 1);
      expected += `*${i + 1}\r\n${body}`;
    }
    r.setDeferredMap(outer, 3);
    assert.equal(out(r), (resp === 3 ? '%3\r\n' : '*6\r\n') + expected);
  }
  // Enough elements that the buffer is queued as chunks before the header is known.
  const r = new Reply();
  r.simple('before');
  const mark = r.deferLen();
  let body = '';
  const big = 'z'.repeat(1000);
  for (let i = 0; i < 300; i++) {
    r.bulk(big);
    body += `$1000\r\n${big}\r\n`;
  }
  assert.ok(r.chunks.length > 0, 'output queued in chunks');
  r.setDeferredArray(mark, 300);
  const cursor = r.deferLen();
  r.setDeferredBulk(cursor, '5-1');
  assert.equal(out(r), `+before\r\n*300\r\n${body}$3\r\n5-1\r\n`);
  // Two headers at the same place: the one filled last comes first (XAUTOCLAIM's cursor, then its array).
  const m1 = r.deferLen();
  const m2 = r.deferLen();
  r.bulk('x');
  r.setDeferredArray(m2, 1);
  r.setDeferredBulk(m1, '0-0');
  assert.equal(out(r), '$3\r\n0-0\r\n*1\r\n$1\r\nx\r\n');
});

test('deferred headers write nothing while replies are off', () => {
  const r = new Reply();
  r.enabled = false;
  const m = r.deferLen();
  r.bulk('a');
  r.setDeferredArray(m, 1);
  r.enabled = true;
  assert.equal(out(r), '');
});
