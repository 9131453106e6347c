// The RDB writer and reader: every type and encoding round trips with its
// encoding, old encodings load, whole files load with their checksum, and
// corrupt input of any kind is refused with an RdbError (never another
// exception, never a value that breaks Spinel's structures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RObj, ObjType, Enc } from '../../src/db/robj.js';
import { Keyspace } from '../../src/db/keyspace.js';
import { ListValue } from '../../src/types/list.js';
import { SetValue, DEFAULT_SET_LIMITS } from '../../src/types/set.js';
import { ZSet } from '../../src/types/zset.js';
import { HashValue, DEFAULT_HASH_LIMITS } from '../../src/types/hash.js';
import { Stream, StreamId, ConsumerGroup, Consumer, Nack } from '../../src/types/stream.js';
import { ByteString } from '../../src/types/bytes.js';
import { createStringObject } from '../../src/commands/strings.js';
import { RdbWriter, writeValue, rdbTypeOf, dumpPayload, writeRdb, type SaveOptions } from '../../src/persistence/rdb-save.js';
import { RdbReader, RdbError, readValue, loadRdb, type LoadContext, type FileLoadOptions } from '../../src/persistence/rdb-load.js';
import { crc64 } from '../../src/persistence/crc64.js';
import { decodeListpack } from '../../src/persistence/listpack.js';
import type { EncodingLimits } from '../../src/server/server.js';
import { seededRandom } from '../helpers/resp.js';

const LIMITS: EncodingLimits = { listFill: -2, hash: DEFAULT_HASH_LIMITS, set: DEFAULT_SET_LIMITS, zsetEntries: 128, zsetValue: 64 };
const CTX: LoadContext = { limits: LIMITS, onSanitize: null };

/** Type byte + value, as DUMP's body. */
function serialize(o: RObj, compress = true): Buffer {
  const w = new RdbWriter(compress);
  w.u8(rdbTypeOf(o));
  writeValue(w, o);
  return Buffer.from(w.result());
}

function deserialize(b: Buffer, ctx: LoadContext = CTX): RObj {
  const r = RdbReader.ofBuffer(b);
  return readValue(r, r.u8(), ctx);
}

/** A value's contents in a comparable form (strings, ordered where the type is ordered). */
function contents(o: RObj): unknown {
  const v = o.value;
  switch (o.type) {
    case ObjType.String:
      return typeof v === 'object' ? (v as ByteString).toLatin1() : String(v);
    case ObjType.List:
      return [...(v as ListValue)];
    case ObjType.Set:
      return [...(v as SetValue)].sort();
    case ObjType.ZSet:
      return [...(v as ZSet)].map(([m, s]) => `${m}=${s}`);
    case ObjType.Hash:
      return [...(v as HashValue)].map(([f, x]) => `${f}=${x}`).sort();
    default: {
      const s = v as Stream;
      const groups = s.sortedGroups().map(([name, g]) => ({
        name,
        last: g.lastId.toString(),
        read: String(g.entriesRead),
        pel: [...g.pel.entries()].map(([ms, seq, n]) => `${ms}-${seq}:${n.deliveryTime}:${n.deliveryCount}:${n.consumer!.name}`),
        consumers: g.sortedConsumers().map((c) => `${c.name}:${c.seenTime}:${c.activeTime}:${[...c.pel.entries()].map(([ms, seq]) => `${ms}-${seq}`)}`),
      }));
      return {
        entries: [...s].map(([id, f]) => `${id}:${f.join(',')}`),
        length: s.length,
        last: s.lastId.toString(),
        first: s.firstId.toString(),
        maxDel: s.maxDeletedId.toString(),
        added: String(s.entriesAdded),
        nodes: s.nodes.size,
        raxNodes: s.raxNodes,
        groups,
      };
    }
  }
}

function roundTrip(o: RObj, what: string): RObj {
  for (const compress of [true, false]) {
    const back = deserialize(serialize(o, compress));
    assert.equal(back.type, o.type, what);
    assert.equal(back.enc, o.enc, `${what}: encoding`);
    assert.deepEqual(contents(back), contents(o), what);
    // Written again, the bytes are the same.
    assert.deepEqual(serialize(back, compress), serialize(o, compress), `${what}: bytes again`);
  }
  return o;
}

function list(n: number, fill = -2, item = (i: number) => `e${i}`): RObj {
  const l = ListValue.from(Array.from({ length: n }, (_, i) => item(i)), fill);
  return new RObj(ObjType.List, l.enc, l, 0);
}

function makeStream(entries: number, withGroups: boolean): Stream {
  const s = new Stream();
  for (let i = 1; i <= entries; i++) {
    const argv = i % 5 === 0 ? ['other', String(i)] : ['f', `v${i}`, 'g', String(i * 3)];
    s.append(new StreamId(1000 + i, i % 3), argv, 0, argv.length / 2, 200, 7);
  }
  if (entries > 3) {
    s.deleteEntry(new StreamId(1002, 2));
    s.maxDeletedId = new StreamId(1002, 2);
  }
  if (withGroups) {
    const g = new ConsumerGroup(new StreamId(1004, 1), 4);
    s.addGroup('g1', g);
    const alice = new Consumer('alice', 111, 222);
    const bob = new Consumer('bob', 333, -1);
    g.addConsumer(alice);
    g.addConsumer(bob);
    for (const [id, c] of [[new StreamId(1001, 1), alice], [new StreamId(1003, 0), bob], [new StreamId(1004, 1), alice]] as const) {
      const n = new Nack(5000 + Number(id.ms), 2, c);
      g.pel.set(id.ms, id.seq, n);
      c.pel.set(id.ms, id.seq, n);
    }
    s.addGroup('g0', new ConsumerGroup(new StreamId(0, 0), -1));
  }
  return s;
}

test('strings: int, embstr, raw, big integers, compressible, binary, ByteString', () => {
  for (const v of ['0', '-128', '127', '32767', '-2147483648', '2147483648', '9223372036854775807', '12345678901234567890', 'abc', '', 'x'.repeat(100), '\x00\xff'.repeat(30), '007']) {
    roundTrip(createStringObject(v), `string ${JSON.stringify(v).slice(0, 20)}`);
  }
  const b = ByteString.fromLatin1('bits\x00\x01'.repeat(20));
  const o = new RObj(ObjType.String, Enc.Raw, b, 0);
  const back = deserialize(serialize(o));
  assert.equal(contents(back), b.toLatin1());
  // A big value comes back as a ByteString (its bytes stay off V8's heap).
  const big = createStringObject('q'.repeat(600 * 1024));
  assert.ok(deserialize(serialize(big)).value instanceof ByteString);
});

test('lists: listpack, quicklist of several nodes, plain nodes, other fill settings', () => {
  roundTrip(list(3), 'small list');
  roundTrip(list(2000), 'quicklist');
  roundTrip(list(50, 5), 'count fill');
  roundTrip(list(40, -2, (i) => (i % 10 === 0 ? 'z'.repeat(9000) : String(i))), 'big elements');
  // The node layout survives a round trip.
  const o = list(3000, -1);
  const back = deserialize(serialize(o));
  assert.deepEqual((back.value as ListValue).quicklistNodes, (o.value as ListValue).quicklistNodes);
  assert.equal((back.value as ListValue).validate(), null);
});

test('sets: intset of each width, listpack, hashtable', () => {
  for (const ms of [['1', '2', '3'], ['-70000', '5'], ['-5000000000', '1'], ['a', 'b', '1'], Array.from({ length: 300 }, (_, i) => `m${i}`), Array.from({ length: 600 }, (_, i) => String(i))]) {
    const s = SetValue.from(ms, DEFAULT_SET_LIMITS);
    roundTrip(new RObj(ObjType.Set, s.enc, s, 0), `set of ${ms.length} (${s.enc})`);
  }
});

test('sorted sets: listpack and skiplist, odd scores, order by score then member', () => {
  const scores = [1.5, 0, -0.25, 3, 1e20, Infinity, -Infinity, 0.1, 123456789012, -5];
  const ms = scores.map((_, i) => `m${i}`);
  const pairs = ms.map((m, i) => [m, scores[i]] as [string, number]).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const small = ZSet.fromSorted(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
  roundTrip(new RObj(ObjType.ZSet, Enc.Listpack, small, 0), 'small zset');
  const n = 500;
  const bigM = Array.from({ length: n }, (_, i) => `member${String(i).padStart(4, '0')}`);
  const bigS = bigM.map((_, i) => Math.floor(i / 3));
  roundTrip(new RObj(ObjType.ZSet, Enc.Skiplist, ZSet.fromSortedBig(bigM, bigS), 0), 'big zset');
  // Same scores: members in byte order, whatever order the file has them in.
  const ties = Array.from({ length: 200 }, (_, i) => `t${String(i).padStart(3, '0')}`);
  roundTrip(new RObj(ObjType.ZSet, Enc.Skiplist, ZSet.fromSortedBig(ties, ties.map(() => 1)), 0), 'ties');
  // A small set saved in the big form (after deletions) loads as a listpack, as in Redis.
  const shrunk = deserialize(serialize(new RObj(ObjType.ZSet, Enc.Skiplist, ZSet.fromSortedBig(['b', 'a'], [1, 2]), 0)));
  assert.equal(shrunk.enc, Enc.Listpack);
  assert.deepEqual(contents(shrunk), ['b=1', 'a=2']);
});

test('hashes: listpack and hashtable', () => {
  const small = HashValue.from([['f', 'v'], ['1', '2'], ['x', '']]);
  roundTrip(new RObj(ObjType.Hash, small.enc, small, 0), 'small hash');
  const big = HashValue.from(Array.from({ length: 1000 }, (_, i) => [`f${i}`, `v${i}`] as [string, string]));
  roundTrip(new RObj(ObjType.Hash, big.enc, big, 0), 'big hash');
  const long = HashValue.from([['f', 'v'.repeat(100)]]);
  roundTrip(new RObj(ObjType.Hash, long.enc, long, 0), 'long value');
});

test('streams: nodes, tombstones, counters, consumer groups and pending entries', () => {
  roundTrip(new RObj(ObjType.Stream, Enc.Stream, makeStream(40, true), 0), 'stream with groups');
  roundTrip(new RObj(ObjType.Stream, Enc.Stream, makeStream(1, false), 0), 'one entry');
  roundTrip(new RObj(ObjType.Stream, Enc.Stream, new Stream(), 0), 'empty stream');
  // The listpack of each node is what Redis would hold: the node's size model agrees with the bytes.
  const s = makeStream(40, true);
  const b = serialize(new RObj(ObjType.Stream, Enc.Stream, s, 0), false);
  const r = RdbReader.ofBuffer(b);
  r.u8();
  const nodes = r.len();
  assert.equal(nodes, s.nodes.size);
  const sizes = [...s.nodes.entries()].map(([, , n]) => n.lpBytes);
  for (let i = 0; i < nodes; i++) {
    r.blob();
    const lp = Buffer.from(r.blob());
    assert.equal(lp.length, sizes[i]);
    assert.ok(decodeListpack(lp) !== null);
  }
});

test('DUMP payloads: version and CRC-64 footer', () => {
  const p = dumpPayload(createStringObject('hello'), true);
  assert.deepEqual(p.subarray(0, p.length - 8), Buffer.from('\x00\x05hello\x0b\x00', 'latin1'));
  assert.ok(crc64(p, 0, p.length - 8).equalsLE(p, p.length - 8));
});

test('old encodings: RDB_TYPE_LIST, SET, ZSET (text doubles), HASH, ziplists, zipmap, intset', () => {
  const w = new RdbWriter(false);
  // RDB_TYPE_LIST: length and elements.
  w.u8(1);
  w.len(3);
  for (const x of ['a', '1', 'c']) w.string(x);
  assert.deepEqual(contents(deserialize(Buffer.from(w.result()))), ['a', '1', 'c']);
  // RDB_TYPE_ZSET: text doubles, with the special lengths for inf/-inf.
  const z = new RdbWriter(false);
  z.u8(3);
  z.len(3);
  z.string('a');
  z.bytes(Buffer.from('\x031.5', 'latin1'));
  z.string('b');
  z.u8(254);
  z.string('c');
  z.u8(255);
  const zo = deserialize(Buffer.from(z.result()));
  assert.deepEqual(contents(zo), ['c=-Infinity', 'a=1.5', 'b=Infinity']);
  assert.equal(zo.enc, Enc.Listpack);
  // A zset with a NaN score is refused.
  const zn = new RdbWriter(false);
  zn.u8(3);
  zn.len(1);
  zn.string('a');
  zn.u8(253);
  assert.throws(() => deserialize(Buffer.from(zn.result())), /NAN score/);
  // Empty collections: the empty-key error.
  for (const t of [1, 2, 3, 4, 5, 14, 18]) {
    const e = new RdbWriter(false);
    e.u8(t);
    e.len(0);
    assert.throws(() => deserialize(Buffer.from(e.result())), (err: unknown) => err instanceof RdbError && err.message === 'empty key');
  }
});

test('conversions on load follow the configured thresholds', () => {
  const hash = HashValue.from(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'v'] as [string, string]));
  const payload = serialize(new RObj(ObjType.Hash, hash.enc, hash, 0));
  const tight: LoadContext = { limits: { ...LIMITS, hash: { listpackEntries: 10, listpackValue: 64 }, zsetEntries: 2, set: { intsetEntries: 2, listpackEntries: 2, listpackValue: 64 }, listFill: 2 }, onSanitize: null };
  assert.equal(deserialize(payload, tight).enc, Enc.Hashtable);
  const zs = ZSet.fromSorted(['a', 'b', 'c'], [1, 2, 3]);
  assert.equal(deserialize(serialize(new RObj(ObjType.ZSet, Enc.Listpack, zs, 0)), tight).enc, Enc.Skiplist);
  const ints = SetValue.from(['1', '2', '3']);
  assert.equal(deserialize(serialize(new RObj(ObjType.Set, ints.enc, ints, 0)), tight).enc, Enc.Hashtable);
  const lst = deserialize(serialize(list(3)), tight);
  assert.equal(lst.enc, Enc.Quicklist);
  assert.equal((lst.value as ListValue).validate(), null);
});

/** Every way of corrupting `b` by one or two bytes, truncating it, or with random bytes: an RdbError or a valid value. */
function fuzz(b: Buffer, rounds: number, seed: number, what: string): void {
  const rnd = seededRandom(seed);
  const tryLoad = (x: Buffer, how: string): void => {
    try {
      const o = deserialize(x);
      // What loads is usable: iterate it whole.
      contents(o);
      if (o.type === ObjType.List) assert.equal((o.value as ListValue).validate(), null, `${what} ${how}`);
    } catch (e) {
      if (!(e instanceof RdbError)) throw new Error(`${what} ${how}: ${(e as Error).stack}`);
    }
  };
  for (let n = 0; n < b.length; n++) tryLoad(b.subarray(0, n), `cut at ${n}`);
  for (let t = 0; t < rounds; t++) {
    const x = Buffer.from(b);
    const k = 1 + rnd(2);
    for (let j = 0; j < k; j++) x[rnd(x.length)] = rnd(256);
    tryLoad(x, `round ${t}`);
  }
}

test('corrupt values: truncated or altered payloads of every type are refused or load safely', () => {
  const values: [string, RObj][] = [
    ['string', createStringObject('a'.repeat(60))],
    ['list', list(5)],
    ['quicklist', list(300, 4)],
    ['intset', new RObj(ObjType.Set, Enc.Intset, SetValue.from(['1', '2', '300000']), 0)],
    ['set listpack', new RObj(ObjType.Set, Enc.Listpack, SetValue.from(['a', 'b', 'c']), 0)],
    ['set', new RObj(ObjType.Set, Enc.Hashtable, SetValue.from(Array.from({ length: 200 }, (_, i) => `m${i}`)), 0)],
    ['zset listpack', new RObj(ObjType.ZSet, Enc.Listpack, ZSet.fromSorted(['a', 'b'], [1, 2.5]), 0)],
    ['zset', new RObj(ObjType.ZSet, Enc.Skiplist, ZSet.fromSortedBig(['a', 'b', 'c'], [1, 2, 3]), 0)],
    ['hash listpack', new RObj(ObjType.Hash, Enc.Listpack, HashValue.from([['a', '1'], ['b', '2']]), 0)],
    ['stream', new RObj(ObjType.Stream, Enc.Stream, makeStream(12, true), 0)],
  ];
  let seed = 1;
  for (const [what, o] of values) {
    fuzz(serialize(o, false), 3000, seed++, what);
    fuzz(serialize(o, true), 500, seed++, `${what} (compressed)`);
  }
});

test('corrupt streams: entries out of order, dangling or shared pending entries are refused', () => {
  const good = serialize(new RObj(ObjType.Stream, Enc.Stream, makeStream(12, true), 0), false);
  assert.doesNotThrow(() => deserialize(good));
  // A consumer's pending entry that is not in the group's list.
  const s = makeStream(12, true);
  const g = s.groups!.get('g1')!;
  const alice = g.consumers.get('alice')!;
  alice.pel.set(1012, 0, new Nack(1, 1, alice));
  assert.throws(() => deserialize(serialize(new RObj(ObjType.Stream, Enc.Stream, s, 0))), /not found in group global PEL/);
  // A group pending entry no consumer owns.
  const s2 = makeStream(12, true);
  s2.groups!.get('g1')!.pel.set(1011, 2, new Nack(1, 1, null));
  assert.throws(() => deserialize(serialize(new RObj(ObjType.Stream, Enc.Stream, s2, 0))), /without consumer/);
  // The last ID below the entries.
  const s3 = makeStream(12, false);
  s3.lastId = new StreamId(5, 0);
  assert.throws(() => deserialize(serialize(new RObj(ObjType.Stream, Enc.Stream, s3, 0))), /last ID/);
  // A length that does not match the entries.
  const s4 = makeStream(12, false);
  s4.length = 99;
  assert.throws(() => deserialize(serialize(new RObj(ObjType.Stream, Enc.Stream, s4, 0))), RdbError);
});

test('corrupt collections: duplicate members and fields are refused', () => {
  const dupSet = new SetValue(Enc.Listpack);
  dupSet.a = ['a', 'b', 'a'];
  assert.throws(() => deserialize(serialize(new RObj(ObjType.Set, Enc.Listpack, dupSet, 0))), /integrity check failed/);
  const dupHash = HashValue.listpack(['a', '1', 'a', '2']);
  assert.throws(() => deserialize(serialize(new RObj(ObjType.Hash, Enc.Listpack, dupHash, 0))), /integrity check failed/);
  const dupZ = ZSet.fromSorted(['a', 'a'], [1, 2]);
  assert.throws(() => deserialize(serialize(new RObj(ObjType.ZSet, Enc.Listpack, dupZ, 0))), /integrity check failed/);
  const w = new RdbWriter(false);
  w.u8(4);
  w.len(2);
  for (const x of ['f', '1', 'f', '2']) w.string(x);
  assert.throws(() => deserialize(Buffer.from(w.result())), /Duplicate hash fields/);
});

function fileOptions(ks: Keyspace, now = Date.now()): FileLoadOptions {
  return {
    limits: LIMITS,
    onSanitize: null,
    databases: 16,
    now,
    lruClock: ks.lru,
    lfuField: null,
    freshLru: ks.lru,
    verifyChecksum: true,
    notice: () => {},
  };
}

function saveOptions(checksum = true): SaveOptions {
  return { compress: true, checksum, lruClock: null, lfuCounter: null, aux: [['redis-ver', '7.2.6'], ['redis-bits', '64']] };
}

function fileOf(ks: Keyspace, opts = saveOptions()): Buffer {
  const chunks: Buffer[] = [];
  const w = new RdbWriter(opts.compress, (b, n) => chunks.push(Buffer.from(b.subarray(0, n))), opts.checksum);
  writeRdb(w, ks.dbs, opts);
  return Buffer.concat(chunks);
}

test('whole files: dbs, expires, checksum, expired keys skipped, corrupt files refused', () => {
  const ks = new Keyspace(16);
  const now = Date.now();
  ks.dbs[0].dict.set('s', createStringObject('v'));
  ks.dbs[0].dict.set('l', list(10));
  ks.dbs[0].dict.set('t', createStringObject('ttl'));
  ks.dbs[0].expires.set('t', now + 100000);
  ks.dbs[0].dict.set('gone', createStringObject('x'));
  ks.dbs[0].expires.set('gone', now - 1000);
  ks.dbs[5].dict.set('other', new RObj(ObjType.Stream, Enc.Stream, makeStream(5, true), 0));
  const file = fileOf(ks);
  assert.equal(file.subarray(0, 9).toString('latin1'), 'REDIS0011');
  const res = loadRdb(RdbReader.ofBuffer(file, 0, file.length, true), fileOptions(ks, now));
  assert.equal(res.keysLoaded, 4);
  assert.equal(res.keysExpired, 1);
  assert.deepEqual([...res.dbs.keys()].sort(), [0, 5]);
  assert.equal(res.dbs.get(0)!.expires.get('t'), now + 100000);
  assert.equal(res.dbs.get(0)!.dict.has('gone'), false);
  assert.deepEqual(contents(res.dbs.get(5)!.dict.get('other')!), contents(ks.dbs[5].dict.get('other')!));
  // A flipped byte anywhere is caught by the checksum (or the parser); a cut file too.
  const rnd = seededRandom(21);
  for (let t = 0; t < 300; t++) {
    const bad = Buffer.from(file);
    const at = rnd(bad.length);
    bad[at] ^= 1 + rnd(255);
    assert.throws(() => loadRdb(RdbReader.ofBuffer(bad, 0, bad.length, true), fileOptions(ks, now)), RdbError, `byte ${at}`);
  }
  for (const n of [0, 5, 9, 20, file.length - 9, file.length - 1]) {
    assert.throws(() => loadRdb(RdbReader.ofBuffer(file.subarray(0, n), 0, n, true), fileOptions(ks, now)), RdbError);
  }
  // Saved without a checksum (rdbchecksum no): eight zero bytes, not checked.
  const plain = fileOf(ks, saveOptions(false));
  assert.deepEqual(plain.subarray(plain.length - 8), Buffer.alloc(8));
  assert.equal(loadRdb(RdbReader.ofBuffer(plain, 0, plain.length, true), fileOptions(ks, now)).keysLoaded, 4);
  // Too many databases, a bad signature, a future version.
  assert.throws(() => loadRdb(RdbReader.ofBuffer(file, 0, file.length, true), { ...fileOptions(ks, now), databases: 2 }), /more than 2 databases/);
  const sig = Buffer.from(file);
  sig[0] = 0x58;
  assert.throws(() => loadRdb(RdbReader.ofBuffer(sig), fileOptions(ks, now)), /Wrong signature/);
  const ver = Buffer.from(file);
  ver.write('0012', 5, 'latin1');
  assert.throws(() => loadRdb(RdbReader.ofBuffer(ver), fileOptions(ks, now)), /Can't handle RDB format version 12/);
});
