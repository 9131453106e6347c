// Server behaviour over real sockets: auth, limits, idle timeout, unix socket,
// one write per client per event-loop turn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { startSpinel } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

test('requirepass: NOAUTH, AUTH, HELLO AUTH, WRONGPASS', async () => {
  const s = await startSpinel({ requirepass: 'secret' });
  try {
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('GET', 'a'), '-NOAUTH Authentication required.\r\n');
    assert.equal(await c.call('PING'), '-NOAUTH Authentication required.\r\n');
    assert.equal(await c.call('AUTH', 'bad'), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    assert.match(await c.call('HELLO', '3'), /^-NOAUTH HELLO must be called with the client already authenticated/);
    assert.equal(await c.call('AUTH', 'secret'), '+OK\r\n');
    assert.equal(await c.call('PING'), '+PONG\r\n');
    const d = await RawClient.connect(s.port);
    assert.match(await d.call('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'me'), /^%7\r\n/);
    assert.equal(await d.call('PING'), '+PONG\r\n');
    // RESET de-authenticates.
    assert.equal(await d.call('RESET'), '+RESET\r\n');
    assert.equal(await d.call('PING'), '-NOAUTH Authentication required.\r\n');
    // Unauthenticated clients may not declare big bulks or more than 10 arguments (Redis 7.2.6).
    const e = await RawClient.connect(s.port);
    assert.deepEqual(await e.raw('*1\r\n$20000\r\n'), ['-ERR Protocol error: unauthenticated bulk length\r\n']);
    await e.waitClose();
    const f = await RawClient.connect(s.port);
    assert.deepEqual(await f.raw('*11\r\n'), ['-ERR Protocol error: unauthenticated multibulk length\r\n']);
    await f.waitClose();
    c.close();
    d.close();
  } finally {
    await s.close();
  }
});

test('maxclients refuses extra connections', async () => {
  const s = await startSpinel({ maxclients: 2 });
  try {
    const a = await RawClient.connect(s.port);
    const b = await RawClient.connect(s.port);
    assert.equal(await a.call('PING'), '+PONG\r\n');
    assert.equal(await b.call('PING'), '+PONG\r\n');
    const c = await RawClient.connect(s.port);
    assert.equal(await c.read(), '-ERR max number of clients reached\r\n');
    await c.waitClose();
    a.close();
    b.close();
  } finally {
    await s.close();
  }
});

test('timeout closes idle clients', async () => {
  const s = await startSpinel({ timeout: 1, hz: 50 });
  try {
    const a = await RawClient.connect(s.port);
    assert.equal(await a.call('PING'), '+PONG\r\n');
    await a.waitClose(3000);
  } finally {
    await s.close();
  }
});

test('unix socket', async () => {
  const sock = path.join(os.tmpdir(), `spinel-test-${process.pid}.sock`);
  const s = await startSpinel({ unixsocket: sock });
  try {
    const c = await new Promise<net.Socket>((resolve, reject) => {
      const x = net.connect(sock);
      x.once('connect', () => resolve(x));
      x.once('error', reject);
    });
    const reply = await new Promise<string>((resolve) => {
      c.once('data', (d) => resolve(d.toString()));
      c.write('PING\r\n');
    });
    assert.equal(reply, '+PONG\r\n');
    c.destroy();
  } finally {
    await s.close();
  }
});

test('pipelined replies are written once per event-loop turn, not once per command', async () => {
  const s = await startSpinel();
  try {
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('PING'), '+PONG\r\n');
    const client = [...s.server.clients.values()][0];
    let reads = 0;
    const onData = client.onData.bind(client);
    client.onData = (chunk: Buffer, length?: number) => {
      reads++;
      onData(chunk, length);
    };
    // Every socket write of a reply counts as one write (Client.flush), whatever path it takes.
    const writesBefore = s.server.stats.totalWrites;
    const replies = await c.raw('PING\r\n'.repeat(200), 200);
    const writes = s.server.stats.totalWrites - writesBefore;
    assert.equal(replies.length, 200);
    assert.ok(writes >= 1 && writes <= reads, `writes ${writes}, reads ${reads}`);
    assert.ok(writes < 20);
    c.close();
  } finally {
    await s.close();
  }
});

test('a client error never disturbs other clients', async () => {
  const s = await startSpinel();
  try {
    const good = await RawClient.connect(s.port);
    const bad = await RawClient.connect(s.port);
    assert.equal(await good.call('SET', 'k', 'v'), '+OK\r\n');
    bad.socket.write('*2\r\n$3\r\nGET\r\n$-7\r\n');
    await bad.waitClose();
    assert.equal(await good.call('GET', 'k'), '$1\r\nv\r\n');
    good.close();
  } finally {
    await s.close();
  }
});
