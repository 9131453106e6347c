// spinel-cli's reply reader and argument splitter: replies cut at any byte
// parse as when whole (the reader keeps the open levels of an aggregate
// between reads), hiredis's protocol errors, sdssplitargs' quoting rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RespReader, ProtocolError, T, encodeCommand, type Reply } from '../../src/cli/resp.js';
import { splitArgs, unquoteCString } from '../../src/cli/splitargs.js';
import { formatTTY, formatRaw, formatCSV, formatJson, Output, UnknownReplyType } from '../../src/cli/format.js';
import { replyEnd } from '../../src/benchmark/engine.js';

const WIRE =
  '+OK\r\n-ERR bad\r\n:42\r\n$5\r\nhe\r\no\r\n$-1\r\n*-1\r\n*0\r\n' +
  '*3\r\n:1\r\n*2\r\n$1\r\na\r\n%1\r\n+k\r\n,3.5\r\n~2\r\n#t\r\n#f\r\n' +
  '%2\r\n$1\r\nx\r\n_\r\n(12345678901234567890\r\n' +
  '=14\r\ntxt:verbatim!!\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n' +
  '!9\r\nERR blob!\r\n,inf\r\n,-nan\r\n$0\r\n\r\n';

function readAll(chunks: Buffer[]): Reply[] {
  const r = new RespReader();
  const out: Reply[] = [];
  for (const c of chunks) {
    r.feed(c);
    for (let x = r.read(); x !== null; x = r.read()) out.push(x);
  }
  return out;
}

test('replies cut anywhere parse as when whole', () => {
  const whole = readAll([Buffer.from(WIRE, 'latin1')]);
  assert.equal(whole.length, 14);
  assert.equal(whole[3].str, 'he\r\no');
  assert.equal(whole[5].type, T.Nil);
  assert.equal(whole[7].elements![1].elements![1].type, T.Map);
  assert.equal(whole[8].type, T.Map);
  assert.equal(whole[8].elements![2].type, T.Bignum);
  assert.equal(whole[8].elements![3].str, 'verbatim!!');
  assert.equal(whole[9].type, T.Push);
  assert.equal(whole[10].type, T.Error);
  assert.equal(whole[10].str, 'ERR blob!');
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: WIRE.length }), { maxLength: 20 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let prev = 0;
      for (const p of [...points, WIRE.length]) {
        if (p > prev) chunks.push(Buffer.from(WIRE.slice(prev, p), 'latin1'));
        prev = p;
      }
      assert.deepEqual(readAll(chunks), whole);
    }),
  );
  const oneByOne = [...Buffer.from(WIRE, 'latin1')].map((b) => Buffer.from([b]));
  assert.deepEqual(readAll(oneByOne), whole);
});

test("a big aggregate in many reads, and the benchmark's scanner agrees on reply ends", () => {
  const n = 50000;
  let s = `*${n}\r\n`;
  for (let i = 0; i < n; i++) s += `$${String(i).length}\r\n${i}\r\n`;
  const buf = Buffer.from(s + '+OK\r\n', 'latin1');
  const chunks: Buffer[] = [];
  for (let p = 0; p < buf.length; p += 4096) chunks.push(buf.subarray(p, p + 4096));
  const replies = readAll(chunks);
  assert.equal(replies.length, 2);
  assert.equal(replies[0].elements!.length, n);
  assert.equal(replies[0].elements![n - 1].str, String(n - 1));
  assert.equal(replyEnd(buf, 0, buf.length), buf.length - 5);
  assert.equal(replyEnd(buf, 0, buf.length - 6), -1);
  const w = Buffer.from(WIRE, 'latin1');
  let p = 0;
  let count = 0;
  while (p < w.length) {
    p = replyEnd(w, p, w.length);
    assert.ok(p > 0);
    count++;
  }
  assert.equal(count, 14);
});

test("hiredis's protocol errors", () => {
  const bad = (wire: string, msg: string): void => {
    const r = new RespReader();
    r.feed(Buffer.from(wire, 'latin1'));
    assert.throws(() => r.read(), (e: Error) => e instanceof ProtocolError && e.message === msg, wire);
  };
  bad('|1\r\n+a\r\n+b\r\n', 'Protocol error, got "|" as reply type byte');
  bad('x\r\n', 'Protocol error, got "x" as reply type byte');
  bad('\x01\r\n', 'Protocol error, got "\\x01" as reply type byte');
  bad(':abc\r\n', 'Bad integer value');
  bad(':99999999999999999999\r\n', 'Bad integer value');
  bad(',1.2.3\r\n', 'Bad double value');
  bad('#x\r\n', 'Bad bool value');
  bad('_x\r\n', 'Bad nil value');
  bad('$-2\r\n', 'Bulk string length out of range');
  bad('*x\r\n', 'Multi-bulk length out of range');
  bad('=3\r\nabc\r\n', 'Verbatim string 4 bytes of content type are missing or incorrectly encoded.');
});

test('formats: TTY indentation and index widths, raw, CSV, JSON, unknown types', () => {
  const str = (s: string): Reply => ({ type: T.String, str: s, elements: null });
  const arr = (els: Reply[], type = T.Array): Reply => ({ type, str: '', elements: els });
  const big = arr(Array.from({ length: 10 }, (_, i) => str(String(i))));
  const nested = arr([str('a'), big]);
  assert.equal(formatTTY(nested, ''), '1) "a"\n2)  1) "0"\n    2) "1"\n    3) "2"\n    4) "3"\n    5) "4"\n    6) "5"\n    7) "6"\n    8) "7"\n    9) "8"\n   10) "9"\n');
  const map = arr([str('k'), arr([str('x'), str('y')]), str('e'), arr([], T.Set)], T.Map);
  assert.equal(formatTTY(map, ''), '1# "k" => \n   1) "x"\n   2) "y"\n2# "e" => (empty set)\n');
  assert.equal(formatRaw(map, '\n'), 'k x\ny\ne ');
  assert.equal(formatCSV(map), '"k","x","y","e",');
  assert.equal(formatJson(map, Output.Json), '{"k":["x","y"],"e":[]}');
  assert.equal(formatJson(str('\x00\xf0"\\'), Output.Json), '"\\u0000\xf0\\"\\\\"');
  assert.equal(formatJson(str('\x00\xf0'), Output.QuotedJson), '"\\\\x00\\\\xf0"');
  assert.throws(() => formatTTY({ type: T.Bignum, str: '1', elements: null }, ''), UnknownReplyType);
  assert.equal(encodeCommand(['SET', 'k', '\xff']).toString('latin1'), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n\xff\r\n');
});

test("sdssplitargs' quoting", () => {
  assert.deepEqual(splitArgs('set key "bar"'), ['set', 'key', 'bar']);
  assert.deepEqual(splitArgs('set key " bar "'), ['set', 'key', ' bar ']);
  assert.deepEqual(splitArgs('set key "\\"bar\\""'), ['set', 'key', '"bar"']);
  assert.deepEqual(splitArgs('set key "\\x41\\n\\t"'), ['set', 'key', 'A\n\t']);
  assert.deepEqual(splitArgs("set key 'it\\'s'"), ['set', 'key', "it's"]);
  assert.deepEqual(splitArgs('set key"" bar'), ['set', 'key', 'bar']);
  assert.deepEqual(splitArgs('  '), []);
  assert.equal(splitArgs('get ""key'), null);
  assert.equal(splitArgs('get "key"x'), null);
  assert.equal(splitArgs('get "unterminated'), null);
  assert.equal(unquoteCString('"a" "b"'), null);
  assert.equal(unquoteCString(''), null);
  assert.equal(unquoteCString('"\\x00\\x00"'), '\x00\x00');
});
