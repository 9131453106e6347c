// Geo commands seen from outside the reply: GEOADD runs as a ZADD inside,
// yet MONITOR, SLOWLOG and CLIENT LIST show the GEOADD that was sent (Redis
// keeps the original arguments for them); and a geo set is a sorted set for
// the keyspace (TYPE, OBJECT ENCODING, COPY, RENAME).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

test('MONITOR, SLOWLOG and CLIENT LIST show GEOADD as sent', async () => {
  const m = await RawClient.connect(s.port);
  const c = await RawClient.connect(s.port);
  const other = await RawClient.connect(s.port);
  try {
    assert.equal(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0'), '+OK\r\n');
    assert.equal(await c.call('SLOWLOG', 'RESET'), '+OK\r\n');
    assert.equal(await m.call('MONITOR'), '+OK\r\n');
    assert.equal(await c.call('GEOADD', 'g', 'CH', '13.361389', '38.115556', 'Palermo'), ':1\r\n');
    assert.match(await m.read(), /\] "GEOADD" "g" "CH" "13\.361389" "38\.115556" "Palermo"\r\n$/);
    // The entry before SLOWLOG GET's own: the GEOADD.
    const log = await c.call('SLOWLOG', 'GET', '1');
    assert.match(log, /\$6\r\nGEOADD\r\n\$1\r\ng\r\n\$2\r\nCH\r\n\$9\r\n13\.361389\r\n/);
    const id = (await c.call('CLIENT', 'ID')).slice(1, -2);
    await c.call('GEOADD', 'g', '1', '2', 'x');
    assert.match(await other.call('CLIENT', 'LIST', 'ID', id), / cmd=geoadd /);
    assert.equal(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000'), '+OK\r\n');
  } finally {
    m.close();
    c.close();
    other.close();
  }
});

test('a geo set is a sorted set for the keyspace', async () => {
  const c = await RawClient.connect(s.port);
  try {
    await c.call('FLUSHALL');
    assert.equal(await c.call('GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'), ':2\r\n');
    assert.equal(await c.call('TYPE', 'g'), '+zset\r\n');
    assert.equal(await c.call('OBJECT', 'ENCODING', 'g'), '$8\r\nlistpack\r\n');
    assert.equal(await c.call('COPY', 'g', 'g2'), ':1\r\n');
    assert.equal(await c.call('RENAME', 'g2', 'g3'), '+OK\r\n');
    assert.equal(await c.call('GEODIST', 'g3', 'Palermo', 'Catania', 'km'), '$8\r\n166.2742\r\n');
    const scan = await c.call('SCAN', '0', 'TYPE', 'zset', 'COUNT', '100');
    assert.ok(scan.includes('$1\r\ng\r\n') && scan.includes('$2\r\ng3\r\n'), scan);
    // Past zset-max-listpack-entries, the big form.
    const args = ['GEOADD', 'big'];
    for (let i = 0; i < 200; i++) args.push(String(i * 0.5 - 50), String(i * 0.2 - 20), 'm' + i);
    assert.equal(await c.call(...args), ':200\r\n');
    assert.equal(await c.call('OBJECT', 'ENCODING', 'big'), '$8\r\nskiplist\r\n');
    assert.equal(await c.call('GEOSEARCH', 'big', 'FROMMEMBER', 'm100', 'BYRADIUS', '60', 'km', 'ASC'), '*3\r\n$4\r\nm100\r\n$4\r\nm101\r\n$3\r\nm99\r\n');
  } finally {
    c.close();
  }
});
