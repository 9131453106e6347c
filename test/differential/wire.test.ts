// The same requests reach Redis whole and Spinel cut into pieces (byte by
// byte, at random points, in redis-py's three writes): the replies and the
// stored values must be identical byte for byte. Protocol desyncs must end
// with the same error as Redis's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, skipReason, type DiffPair } from '../helpers/differential.js';
import { RawClient } from '../helpers/resp.js';
import { BIG_SIZES, BIG_VALUE_CASES, DELIVERIES, DESYNC_CASES, deliver, deliverPipeline, mixedPipeline, patternValue, runDesync } from '../helpers/wire.js';

let pair: DiffPair | null = null;
let spinel: RawClient;
let redis: RawClient;
before(async () => {
  pair = await startPair();
  if (pair !== null) [spinel, redis] = await pair.connectMore();
});
after(async () => {
  spinel?.close();
  redis?.close();
  await pair?.close();
});

test('big values cut into pieces are stored exactly as Redis stores them whole', { skip: skipReason() }, async () => {
  for (const size of BIG_SIZES) {
    const v = patternValue(size);
    for (const bc of BIG_VALUE_CASES) {
      for (const d of DELIVERIES) {
        // 16 MB: whole and random cuts (byte by byte is random cuts at that size).
        if (size > 1 << 20 && (d.mode === 'bytes' || d.threeWrites)) continue;
        await Promise.all([spinel.call('FLUSHALL'), redis.call('FLUSHALL')]);
        for (const a of bc.setup) await Promise.all([spinel.call(...a), redis.call(...a)]);
        const [a, b] = await Promise.all([deliver(spinel, bc.write(v), d), redis.call(...bc.write(v))]);
        const what = `${bc.name} of ${size} bytes, ${d.name} (${spinel.lastDelivery})`;
        assert.equal(a, b, what);
        const [ra, rb] = await Promise.all([spinel.call(...bc.read), redis.call(...bc.read)]);
        assert.ok(ra === rb, `${what}: the value read back differs from Redis's`);
      }
    }
  }
});

test('a pipeline of 1,000 mixed commands: same replies as Redis whether Spinel gets it whole, byte by byte or cut at random', { skip: skipReason() }, async () => {
  const n = 1000;
  const bytes = mixedPipeline(n, 4242);
  await redis.call('FLUSHALL');
  const expected = await redis.raw(bytes, n);
  for (const d of [...DELIVERIES.filter((x) => !x.threeWrites), { name: 'byte by byte, all of it', mode: 'bytes' as const, seed: 9, bytewiseMax: Infinity }]) {
    await spinel.call('FLUSHALL');
    const got = await deliverPipeline(spinel, bytes, n, d);
    for (let i = 0; i < n; i++) assert.equal(got[i], expected[i], `reply ${i}, ${d.name}`);
  }
});

for (const d of DESYNC_CASES) {
  test(`protocol desync: ${d.name}: the same error as Redis, then the connection closes`, { skip: skipReason() }, async () => {
    const p = pair!;
    const [a, b] = await Promise.all([runDesync(p.spinelServer.port, d), runDesync(p.redisServer.port, d)]);
    assert.equal(a, b);
    assert.match(a, /^-ERR Protocol error/);
  });
}
