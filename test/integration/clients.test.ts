// Real clients against Spinel: ioredis and node-redis connect, use strings,
// pipelines and (node-redis) RESP3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

test('ioredis: strings, pipeline, binary values', async () => {
  const r = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    assert.equal(await r.set('io:a', 'hello'), 'OK');
    assert.equal(await r.get('io:a'), 'hello');
    assert.equal(await r.get('io:missing'), null);
    assert.equal(await r.incr('io:n'), 1);
    assert.equal(await r.incrby('io:n', 41), 42);
    const res = await r.pipeline().set('io:p1', '1').set('io:p2', '2').mget('io:p1', 'io:p2', 'io:p3').exec();
    assert.deepEqual(res, [[null, 'OK'], [null, 'OK'], [null, ['1', '2', null]]]);
    const bin = Buffer.from([0, 1, 2, 255, 254, 13, 10]);
    await r.set(Buffer.from('io:\xffbin', 'latin1'), bin);
    assert.deepEqual(await r.getBuffer(Buffer.from('io:\xffbin', 'latin1')), bin);
    await assert.rejects(r.call('nosuchcommand'), /unknown command/);
  } finally {
    r.disconnect();
  }
});

test('node-redis: RESP2 and RESP3, pipelines', async () => {
  for (const RESP of [2, 3] as const) {
    const c = createClient({ socket: { port: s.port, host: '127.0.0.1' }, RESP });
    await c.connect();
    try {
      assert.equal(await c.set(`nr${RESP}:a`, 'v'), 'OK');
      assert.equal(await c.get(`nr${RESP}:a`), 'v');
      assert.equal(await c.incr(`nr${RESP}:n`), 1);
      const replies = await c.multi().set(`nr${RESP}:b`, '1').get(`nr${RESP}:b`).execAsPipeline();
      assert.deepEqual(replies, ['OK', '1']);
      assert.deepEqual(await c.mGet([`nr${RESP}:a`, `nr${RESP}:zz`]), ['v', null]);
      assert.equal(await c.ping(), 'PONG');
    } finally {
      await c.quit();
    }
  }
});
