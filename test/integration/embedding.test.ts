// Spinel embedded in a Node process: `import { createServer } from 'spinel'`
// (the package's own name, through package.json "exports"), two servers in
// this process with ioredis and node-redis against them, options as redis.conf
// parameters, close().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createServer, ConfigError, type SpinelServer } from 'spinel';

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

test('two servers in one process, each with its own data, ioredis against both', async () => {
  const a = await createServer();
  const b = await createServer({ databases: 4 });
  const ra = new Redis(a.port, { lazyConnect: true });
  const rb = new Redis(b.url, { lazyConnect: true });
  try {
    await Promise.all([ra.connect(), rb.connect()]);
    assert.notEqual(a.port, b.port);
    assert.equal(a.host, '127.0.0.1');
    assert.equal(a.url, `redis://127.0.0.1:${a.port}`);
    await ra.set('k', 'from a');
    await rb.set('k', 'from b');
    await rb.rpush('list', 'x', 'y');
    assert.equal(await ra.get('k'), 'from a');
    assert.equal(await rb.get('k'), 'from b');
    assert.equal(await ra.exists('list'), 0);
    assert.deepEqual(await rb.lrange('list', 0, -1), ['x', 'y']);
    // The options are the server's configuration.
    assert.deepEqual(await rb.config('GET', 'databases'), ['databases', '4']);
    await assert.rejects(rb.select(4), /ERR DB index is out of range/);
    assert.deepEqual(await ra.config('GET', 'databases'), ['databases', '16']);
    // The picked port is the configured one.
    assert.deepEqual(await ra.config('GET', 'port'), ['port', String(a.port)]);
    assert.match(await ra.info('server'), new RegExp(`tcp_port:${a.port}\r\n`));
  } finally {
    ra.disconnect();
    rb.disconnect();
    await a.close();
    await b.close();
  }
  assert.ok(await refused(a.port));
  assert.ok(await refused(b.port));
});

test('node-redis, redis.conf parameters as options, a password', async () => {
  const s = await createServer({ requirepass: 'secret', maxmemory: '100mb', 'maxmemory-policy': 'allkeys-lru', 'hash-max-listpack-entries': 2 });
  const client = createClient({ url: `redis://:secret@127.0.0.1:${s.port}` });
  try {
    await client.connect();
    assert.equal((await client.configGet('maxmemory')).maxmemory, '104857600');
    assert.equal((await client.configGet('maxmemory-policy'))['maxmemory-policy'], 'allkeys-lru');
    await client.hSet('h', { a: '1', b: '2', c: '3' });
    assert.equal(await client.objectEncoding('h'), 'hashtable');
    const anonymous = new Redis(s.port, { lazyConnect: true, enableReadyCheck: false, retryStrategy: () => null });
    await anonymous.connect();
    await assert.rejects(anonymous.get('h'), /NOAUTH Authentication required/);
    anonymous.disconnect();
  } finally {
    await client.quit();
    await s.close();
  }
});

test('a fixed port, a unix socket, bad options, SHUTDOWN closes only the server', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-embed-'));
  const sock = path.join(dir, 'spinel.sock');
  let s: SpinelServer | null = null;
  try {
    s = await createServer({ unixsocket: sock, unixsocketperm: 700 });
    assert.equal(s.socketPath, sock);
    const viaSocket = new Redis({ path: sock, lazyConnect: true });
    await viaSocket.connect();
    assert.equal(await viaSocket.ping(), 'PONG');
    viaSocket.disconnect();
    // A port already taken fails like spinel-server does.
    await assert.rejects(createServer({ port: s.port }), /Address already in use/);
    await assert.rejects(createServer({ nosuchparameter: 1 }), ConfigError);
    await assert.rejects(createServer({ maxmemory: 'lots' }), (e: Error) => e instanceof ConfigError && /argument must be a memory value/.test(e.message));
    const r = new Redis(s.port, { lazyConnect: true, retryStrategy: () => null });
    await r.connect();
    await r.call('SHUTDOWN', 'NOSAVE').catch(() => {});
    r.disconnect();
    await new Promise((res) => setTimeout(res, 100));
    assert.ok(await refused(s.port));
  } finally {
    await s?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
