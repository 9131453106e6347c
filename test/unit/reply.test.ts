// The reply encoder writes counts and short strings byte by byte: every
// digit boundary must come out exactly as String(n) would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reply } from '../../src/protocol/reply.js';

function out(r: Reply): string {
  const s = Buffer.concat([...r.chunks, r.buf.subarray(0, r.len)]).toString('latin1');
  r.drain();
  return s;
}

const NUMBERS = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 12345, 99999, 100000, 999999, 1000000, 9999999, 10000000, 123456789, 999999999, 1000000000, 2147483647, 2147483648, 2 ** 53 - 1, -1, -12345];

test('integer replies and aggregate headers at every digit boundary', () => {
  const r = new Reply();
  for (const n of NUMBERS) {
    r.int(n);
    assert.equal(out(r), `:${n}\r\n`);
    if (n >= 0) {
      r.array(n);
      assert.equal(out(r), `*${n}\r\n`);
      r.map(n);
      assert.equal(out(r), `*${2 * n}\r\n`);
      r.set(n);
      assert.equal(out(r), `*${n}\r\n`);
    }
  }
  r.resp = 3;
  for (const n of NUMBERS.filter((x) => x >= 0)) {
    r.map(n);
    assert.equal(out(r), `%${n}\r\n`);
    r.set(n);
    assert.equal(out(r), `~${n}\r\n`);
    r.push(n);
    assert.equal(out(r), `>${n}\r\n`);
  }
  r.int(123456789012345678901234567890n);
  assert.equal(out(r), ':123456789012345678901234567890\r\n');
});

test('bulk lengths at every digit boundary, including chunked big bulks', () => {
  const r = new Reply();
  for (const len of [0, 1, 9, 10, 63, 64, 99, 100, 101, 999, 1000, 9999, 10000, 65535, 65536, 65537, 200000]) {
    const s = 'x'.repeat(len);
    r.bulk(s);
    assert.equal(out(r), `$${len}\r\n${s}\r\n`);
  }
  r.bulk(null);
  assert.equal(out(r), '$-1\r\n');
});

test('truncate drops a partial reply, also across big chunks', () => {
  const r = new Reply();
  r.ok();
  const mark = r.size;
  r.array(2);
  r.bulk('x'.repeat(100_000));
  r.bulk('y'.repeat(70_000));
  assert.ok(r.chunks.length > 0);
  r.truncate(mark);
  assert.equal(r.size, mark);
  r.ok();
  assert.equal(Buffer.concat(r.drain()).toString('latin1'), '+OK\r\n+OK\r\n');
  // A mark inside an earlier chunk keeps its first bytes.
  const q = new Reply();
  q.bulk('a'.repeat(70_000));
  const m2 = q.size;
  q.bulk('b'.repeat(70_000));
  q.truncate(m2);
  assert.equal(Buffer.concat(q.drain()).toString('latin1'), `$70000\r\n${'a'.repeat(70_000)}\r\n`);
});
