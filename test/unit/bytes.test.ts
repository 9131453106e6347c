// ByteString (src/types/bytes.ts), the mutable string value, against plain
// strings: growth like sds (amortized appends, zero-filled gaps even after
// the length shrank), the readers of every string form, and the reply of a
// ByteString, which must be a copy (the value may change before the flush).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteString, stringOf, lengthOf, byteAt, bytesOf, toByteString } from '../../src/types/bytes.js';
import { Reply } from '../../src/protocol/reply.js';

test('appends, writes at offsets and zero growth match string arithmetic', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.tuple(fc.constant('append' as const), fc.string({ maxLength: 40 })),
          fc.tuple(fc.constant('write' as const), fc.integer({ min: 0, max: 300 }), fc.string({ maxLength: 40 })),
          fc.tuple(fc.constant('grow' as const), fc.integer({ min: 0, max: 400 })),
          fc.tuple(fc.constant('shrink' as const), fc.integer({ min: 0, max: 50 })),
        ),
        { maxLength: 40 },
      ),
      (ops) => {
        const b = ByteString.fromLatin1('');
        let model = '';
        for (const op of ops) {
          const latin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
          if (op[0] === 'append') {
            b.append(latin1(op[1]));
            model += latin1(op[1]);
          } else if (op[0] === 'write') {
            const s = latin1(op[2]);
            b.writeAt(op[1], s);
            if (model.length < op[1]) model += '\0'.repeat(op[1] - model.length);
            model = model.slice(0, op[1]) + s + model.slice(op[1] + s.length);
          } else if (op[0] === 'grow') {
            b.growZero(op[1]);
            if (model.length < op[1]) model += '\0'.repeat(op[1] - model.length);
          } else {
            // Spare bytes after a shrink hold old data: growth must clear them.
            const n = Math.min(op[1], model.length);
            b.setLength(model.length - n);
            model = model.slice(0, model.length - n);
          }
          assert.equal(b.len, model.length);
          assert.ok(b.buf.length >= b.len);
        }
        assert.equal(b.toLatin1(), model);
      },
    ),
  );
});

test('capacity grows like sdsMakeRoomFor: doubling below 1 MB, +1 MB above; few reallocations for many appends', () => {
  const b = ByteString.fromLatin1('abc');
  assert.equal(b.buf.length, 3);
  b.append('d');
  assert.equal(b.buf.length, 8);
  const big = ByteString.zeroed(2 * 1024 * 1024);
  big.append('x');
  assert.equal(big.buf.length, 2 * 1024 * 1024 + 1 + 1024 * 1024);
  let reallocs = 0;
  const c = ByteString.fromLatin1('');
  let last = c.buf;
  for (let i = 0; i < 100000; i++) {
    c.append('0123456789');
    if (c.buf !== last) {
      reallocs++;
      last = c.buf;
    }
  }
  assert.equal(c.len, 1000000);
  assert.ok(reallocs < 25, `${reallocs} reallocations for 100000 appends`);
});

test('readers accept a JS string, a number and a ByteString alike', () => {
  const forms = ['hello', 12345, ByteString.fromLatin1('hello\xff', 100)];
  const texts = ['hello', '12345', 'hello\xff'];
  forms.forEach((v, i) => {
    assert.equal(stringOf(v), texts[i]);
    assert.equal(lengthOf(v), texts[i].length);
    for (let j = 0; j < texts[i].length; j++) assert.equal(byteAt(v, j), texts[i].charCodeAt(j));
    assert.deepEqual(Buffer.from(bytesOf(v, 1, 4)), Buffer.from(texts[i].slice(1, 4), 'latin1'));
    assert.equal(toByteString(v).toLatin1(), texts[i]);
  });
  const b = forms[2] as ByteString;
  assert.equal(toByteString(b), b, 'a ByteString is written in place, not copied');
  const copy = b.clone();
  copy.writeAt(0, 'J');
  assert.equal(b.toLatin1(), 'hello\xff');
  assert.equal(copy.toLatin1(), 'Jello\xff');
});

test('a ByteString reply is a copy: writes after it do not change what is sent', () => {
  for (const len of [0, 5, 63, 64, 1000, 65536, 65537, 200000]) {
    const b = ByteString.fromLatin1('q'.repeat(len));
    const r = new Reply();
    r.bulkBytes(b.buf, 0, b.len);
    r.bulkBytes(b.buf, 1, Math.max(1, b.len - 1));
    b.buf.fill(0x7a);
    const sent = Buffer.concat([...r.chunks, r.buf.subarray(0, r.len)]).toString('latin1');
    const part = Math.max(0, Math.max(1, len - 1) - 1);
    assert.equal(sent, `$${len}\r\n${'q'.repeat(len)}\r\n$${part}\r\n${'q'.repeat(part)}\r\n`);
  }
});
