// The byte-level codecs under the RDB format: CRC-64, LZF, listpacks,
// ziplists, intsets and zipmaps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc64, Crc64 } from '../../src/persistence/crc64.js';
import { lzfCompress, lzfDecompress } from '../../src/persistence/lzf.js';
import { ListpackBuilder, decodeListpack } from '../../src/persistence/listpack.js';
import { decodeZiplist, decodeZipmap, decodeIntset, encodeIntset } from '../../src/persistence/ziplist.js';
import { seededRandom } from '../helpers/resp.js';

const bin = (s: string): Buffer => Buffer.from(s, 'latin1');

/** The CRC bit by bit with BigInt: reflected Jones polynomial, init 0, no final xor. */
function crcReference(b: Uint8Array): bigint {
  const P = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const x of b) {
    crc ^= BigInt(x);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ P : crc >> 1n;
  }
  return crc;
}

test('CRC-64: Redis check value, bitwise reference, incremental updates, little-endian bytes', () => {
  assert.equal(crc64(bin('123456789')).value(), 0xe9c6d914c4b8d9can);
  assert.equal(crc64(bin('')).value(), 0n);
  const rnd = seededRandom(5);
  for (const n of [1, 7, 8, 9, 15, 16, 17, 100, 1000, 4097]) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = rnd(256);
    const whole = crc64(b);
    assert.equal(whole.value(), crcReference(b), `length ${n}`);
    const cut = rnd(n + 1);
    const parts = new Crc64().update(b, 0, cut).update(b, cut, n);
    assert.equal(parts.value(), whole.value());
    const le = Buffer.alloc(8);
    whole.writeLE(le, 0);
    assert.equal(le.readBigUInt64LE(0), whole.value());
    assert.ok(whole.equalsLE(le, 0));
    le[3] ^= 1;
    assert.ok(!whole.equalsLE(le, 0));
  }
});

test("LZF: Redis's bytes for a known input, round trips, the 4-byte saving rule", () => {
  // DUMP of SET s <51 x 'a'> on Redis 7.2: \xc3 clen=9 len=51, then these 9 bytes.
  const a51 = bin('a'.repeat(51));
  const out = Buffer.alloc(64);
  const n = lzfCompress(a51, out, a51.length - 4);
  assert.deepEqual(out.subarray(0, n), bin('\x01aa\xe0&\x00\x01aa'));
  assert.deepEqual(lzfDecompress(out, 0, n, 51), a51);
  // Incompressible data does not fit in len - 4 bytes.
  const rnd = seededRandom(9);
  const noise = Buffer.alloc(200);
  for (let i = 0; i < noise.length; i++) noise[i] = rnd(256);
  assert.equal(lzfCompress(noise, Buffer.alloc(400), noise.length - 4), 0);
  for (let t = 0; t < 300; t++) {
    const len = 1 + rnd(3000);
    const alpha = 1 + rnd(12);
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) b[i] = 97 + rnd(alpha);
    const o = Buffer.alloc(len + 64);
    const c = lzfCompress(b, o, len + 32);
    assert.ok(c > 0);
    assert.deepEqual(lzfDecompress(o, 0, c, len), b);
  }
});

test('LZF: corrupt input is refused, never read or written out of bounds', () => {
  const good = Buffer.alloc(64);
  const c = lzfCompress(bin('abcabcabcabcabcabcabcabc'), good, 60);
  assert.ok(c > 0);
  assert.equal(lzfDecompress(good, 0, c, 23), null); // wrong size
  assert.equal(lzfDecompress(good, 0, c - 1, 24), null); // truncated
  assert.equal(lzfDecompress(bin('\x20\x05'), 0, 2, 10), null); // a reference before the start
  assert.equal(lzfDecompress(bin('\x05ab'), 0, 3, 6), null); // a literal run past the input
  assert.equal(lzfDecompress(bin('\xe0'), 0, 1, 10), null); // a long reference cut short
  const rnd = seededRandom(3);
  for (let t = 0; t < 2000; t++) {
    const n = rnd(40);
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = rnd(256);
    const r = lzfDecompress(b, 0, n, rnd(100));
    assert.ok(r === null || r instanceof Buffer);
  }
});

function lp(items: (string | number)[]): Buffer {
  const b = new ListpackBuilder();
  for (const x of items) typeof x === 'number' ? b.appendInt(x) : b.appendString(x);
  return Buffer.from(b.finish());
}

test("listpack: Redis's bytes, every integer width, string lengths, back lengths", () => {
  // ZADD z2 1.5 a, as Redis 7.2 dumps it.
  assert.deepEqual(lp(['a', '1.5']), bin('\x0f\x00\x00\x00\x02\x00\x81a\x02\x831.5\x04\xff'));
  const items = ['0', '127', '128', '-1', '4095', '-4096', '4096', '32767', '-32768', '32768', '8388607', '-8388608', '8388608',
    '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808', '9223372036854775808',
    '-0', '01', '+1', '', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096), 'v'.repeat(20000)];
  const b = lp(items);
  assert.deepEqual(decodeListpack(b), items);
  // Integers are stored as integers (one byte for 0..127).
  assert.deepEqual(lp(['5']), bin('\x09\x00\x00\x00\x01\x00\x05\x01\xff'));
  assert.deepEqual(decodeListpack(lp(['12', 'a']), 0, 11, true), null); // a cut listpack
  assert.deepEqual(decodeListpack(lp(['12', 'a']), 0, undefined, true), [12, 'a']);
});

test('listpack: validation refuses bad headers, counts, entries and back lengths', () => {
  const good = lp(['a', 'bb', '7']);
  assert.ok(decodeListpack(good) !== null);
  const bad = (mutate: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(good);
    mutate(b);
    return b;
  };
  assert.equal(decodeListpack(bad((b) => b.writeUInt32LE(b.length + 1, 0))), null); // total bytes
  assert.equal(decodeListpack(bad((b) => b.writeUInt16LE(4, 4))), null); // element count
  assert.ok(decodeListpack(bad((b) => b.writeUInt16LE(65535, 4))) !== null); // unknown count is fine
  assert.equal(decodeListpack(bad((b) => (b[b.length - 1] = 0))), null); // no terminator
  assert.equal(decodeListpack(bad((b) => (b[6] = 0x85))), null); // string longer than the blob
  assert.equal(decodeListpack(bad((b) => (b[8] = 9))), null); // wrong back length
  assert.equal(decodeListpack(bad((b) => (b[6] = 0xf7))), null); // no such encoding
  assert.equal(decodeListpack(Buffer.alloc(3)), null);
  const rnd = seededRandom(11);
  for (let t = 0; t < 3000; t++) {
    const b = Buffer.from(good);
    b[rnd(b.length)] = rnd(256);
    const r = decodeListpack(b);
    assert.ok(r === null || Array.isArray(r));
  }
});

test('ziplist: decodes every encoding, refuses corrupt ones', () => {
  // A hash ziplist from Redis's corrupt-dump tests (valid): 0 0 1 _1 2 2.
  const zl = bin('\x19\x00\x00\x00\x16\x00\x00\x00\x06\x00\x00\xF1\x02\xF1\x02\xF2\x02\x02\x5F\x31\x04\xF3\x02\xF3\xFF');
  assert.deepEqual(decodeZiplist(zl), ['0', '0', '1', '_1', '2', '2']);
  // Integers of each width, a 14-bit string.
  const entries: Buffer[] = [];
  const add = (enc: Buffer): void => {
    const prev = entries.length === 0 ? 0 : entries[entries.length - 1].length;
    entries.push(Buffer.concat([Buffer.from([prev]), enc]));
  };
  add(bin('\xfe\x80')); // int8 -128
  add(Buffer.concat([bin('\xc0'), Buffer.from([0x00, 0x80])])); // int16 -32768
  add(Buffer.concat([bin('\xf0'), Buffer.from([0xff, 0xff, 0x7f])])); // int24 8388607
  add(Buffer.concat([bin('\xd0'), Buffer.from([0, 0, 0, 0x80])])); // int32 min
  const i64 = Buffer.alloc(8);
  i64.writeBigInt64LE(-9223372036854775808n);
  add(Buffer.concat([bin('\xe0'), i64])); // int64 min
  add(Buffer.concat([bin('\x40\x50'), Buffer.alloc(80, 0x61)])); // 14-bit string of 80 bytes
  const body = Buffer.concat(entries);
  const total = 10 + body.length + 1;
  const tail = 10 + body.length - entries[entries.length - 1].length;
  const hdr = Buffer.alloc(10);
  hdr.writeUInt32LE(total, 0);
  hdr.writeUInt32LE(tail, 4);
  hdr.writeUInt16LE(entries.length, 8);
  const z = Buffer.concat([hdr, body, bin('\xff')]);
  assert.deepEqual(decodeZiplist(z), ['-128', '-32768', '8388607', '-2147483648', '-9223372036854775808', 'a'.repeat(80)]);
  const bad = (at: number, v: number): Buffer => {
    const b = Buffer.from(zl);
    b[at] = v;
    return b;
  };
  assert.equal(decodeZiplist(bad(0, 0x1a)), null); // zlbytes
  assert.equal(decodeZiplist(bad(4, 0x14)), null); // zltail not at the last entry
  assert.equal(decodeZiplist(bad(8, 5)), null); // zllen
  assert.equal(decodeZiplist(bad(12, 3)), null); // prevlen of the second entry
  assert.equal(decodeZiplist(bad(11, 0xc5)), null); // no such encoding
  assert.equal(decodeZiplist(bad(17, 0x30)), null); // string past the end
  const rnd = seededRandom(13);
  for (let t = 0; t < 3000; t++) {
    const b = Buffer.from(z);
    b[rnd(b.length)] = rnd(256);
    const r = decodeZiplist(b);
    assert.ok(r === null || Array.isArray(r));
  }
});

test('intset: widths, order and distinctness; zipmap', () => {
  for (const vals of [[1, 2, 3], [-40000, 5], [-3000000000, 0, 7], [1n << 60n]] as (number | bigint)[][]) {
    const enc = encodeIntset(vals);
    assert.deepEqual(decodeIntset(enc)?.map(String), vals.map(String));
  }
  assert.equal(encodeIntset([1, 2]).readUInt32LE(0), 2);
  assert.equal(encodeIntset([1, 70000]).readUInt32LE(0), 4);
  assert.equal(encodeIntset([-1, 2 ** 40]).readUInt32LE(0), 8);
  const unsorted = encodeIntset([1, 2]);
  unsorted.writeInt16LE(5, 8);
  assert.equal(decodeIntset(unsorted), null);
  const dup = encodeIntset([1, 2]);
  dup.writeInt16LE(2, 8);
  assert.equal(decodeIntset(dup), null);
  assert.equal(decodeIntset(encodeIntset([])), null);
  const wrongWidth = encodeIntset([1, 2]);
  wrongWidth.writeUInt32LE(3, 0);
  assert.equal(decodeIntset(wrongWidth), null);
  // zipmap: count, "a" -> "1" (1 free byte), "bb" -> "" , end.
  const zm = bin('\x02\x01a\x01\x011x\x02bb\x00\x00\xff');
  assert.deepEqual(decodeZipmap(zm), ['a', '1', 'bb', '']);
  assert.equal(decodeZipmap(bin('\x03\x01a\x01\x011x\x02bb\x00\x00\xff')), null); // wrong count
  assert.equal(decodeZipmap(bin('\x02\x01a\x09\x011x\xff')), null); // value past the end
  assert.equal(decodeZipmap(bin('\x00\xff')), null); // empty
});
