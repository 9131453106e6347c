// CONFIG against an in-process server: values applied at run time, RESETSTAT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel({ 'enable-protected-configs': 'local' });
});
after(() => s.close());

test('CONFIG SET applies at run time: loglevel, hz, proto-max-bulk-len, maxclients, slowlog threshold', async () => {
  const c = await RawClient.connect(s.port);
  const srv = s.server;
  assert.equal(await c.call('CONFIG', 'SET', 'loglevel', 'warning'), '+OK\r\n');
  assert.equal(srv.log.level, 3);
  assert.equal(await c.call('CONFIG', 'SET', 'loglevel', 'nothing'), '+OK\r\n');
  assert.equal(srv.log.level, 4);
  assert.equal(await c.call('CONFIG', 'SET', 'proto-max-bulk-len', '2mb', 'slowlog-log-slower-than', '5'), '+OK\r\n');
  assert.equal(srv.protoMaxBulkLen, 2 * 1024 * 1024);
  assert.equal(srv.slowlogThreshold, 5);
  assert.equal(c.socket.readyState, 'open');
  assert.equal(await c.call('CONFIG', 'SET', 'maxclients', '1'), '+OK\r\n');
  const c2 = await RawClient.connect(s.port);
  assert.equal(await c2.waitClose(), '-ERR max number of clients reached\r\n');
  assert.equal(await c.call('CONFIG', 'SET', 'maxclients', '10000', 'hz', '50', 'proto-max-bulk-len', '512mb'), '+OK\r\n');
  assert.equal(srv.config.num('hz'), 50);
  // All or nothing: a bad value leaves every parameter unchanged.
  assert.match(await c.call('CONFIG', 'SET', 'hz', '10', 'maxmemory', 'x'), /^-ERR CONFIG SET failed \(possibly related to argument 'maxmemory'\)/);
  assert.equal(srv.config.num('hz'), 50);
  assert.equal(await c.call('CONFIG', 'SET', 'hz', '10', 'slowlog-log-slower-than', '10000', 'loglevel', 'notice'), '+OK\r\n');
  c.close();
});

test('CONFIG SET timeout closes idle clients', async () => {
  const c = await RawClient.connect(s.port);
  const idle = await RawClient.connect(s.port);
  assert.equal(await idle.call('PING'), '+PONG\r\n');
  assert.equal(await c.call('CONFIG', 'SET', 'timeout', '1'), '+OK\r\n');
  const t0 = Date.now();
  await idle.waitClose(4000);
  assert.ok(Date.now() - t0 >= 500);
  c.close();
  const c3 = await RawClient.connect(s.port);
  assert.equal(await c3.call('CONFIG', 'SET', 'timeout', '0'), '+OK\r\n');
  c3.close();
});

test('protected config dir: allowed with enable-protected-configs local, chdir like Redis', async () => {
  const c = await RawClient.connect(s.port);
  const cwd = process.cwd();
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-dir-')));
  try {
    assert.equal(await c.call('CONFIG', 'SET', 'dir', d), '+OK\r\n');
    assert.equal(process.cwd(), d);
    assert.equal(await c.call('CONFIG', 'GET', 'dir'), `*2\r\n$3\r\ndir\r\n$${d.length}\r\n${d}\r\n`);
    assert.equal(
      await c.call('CONFIG', 'SET', 'dir', path.join(d, 'nope')),
      "-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory\r\n",
    );
  } finally {
    process.chdir(cwd);
    fs.rmSync(d, { recursive: true, force: true });
  }
  c.close();
});

test('CONFIG RESETSTAT clears server, error, command and keyspace stats but not the slowlog', async () => {
  const c = await RawClient.connect(s.port);
  const srv = s.server;
  await c.call('SET', 'k', 'v');
  await c.call('GET', 'k');
  await c.call('GET', 'missing');
  await c.call('NOSUCHCMD');
  await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
  await c.call('PING');
  // Disabled (not 10000): under load any command could pass 10 ms and add an entry.
  await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
  assert.ok(srv.stats.totalCommands > 0);
  assert.ok(srv.errorStats.size > 0);
  assert.ok(srv.keyspace.stats.keyspaceHits > 0 && srv.keyspace.stats.keyspaceMisses > 0);
  assert.ok(srv.commands.lookup('get')!.stats.calls > 0);
  const slowlogLen = await c.call('SLOWLOG', 'LEN');
  assert.equal(await c.call('CONFIG', 'RESETSTAT'), '+OK\r\n');
  assert.equal(srv.stats.totalErrorReplies, 0);
  assert.equal(srv.stats.totalConnections, 0);
  assert.equal(srv.errorStats.size, 0);
  assert.equal(srv.keyspace.stats.keyspaceHits, 0);
  assert.equal(srv.keyspace.stats.keyspaceMisses, 0);
  assert.equal(srv.commands.lookup('get')!.stats.calls, 0);
  assert.equal(srv.commands.lookup('set')!.stats.calls, 0);
  assert.equal(await c.call('SLOWLOG', 'LEN'), slowlogLen);
  await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  c.close();
});

test('CONFIG SET port and bind inside a pipeline: the reply waits, later commands keep their order', async () => {
  const c = await RawClient.connect(s.port);
  const port = s.port;
  // Same port and bind: nothing to re-open, plain OK.
  assert.deepEqual(await c.raw(`CONFIG SET port ${port}\r\nPING\r\n`, 2), ['+OK\r\n', '+PONG\r\n']);
  assert.deepEqual(await c.raw('CONFIG SET bind "127.0.0.1 -::1"\r\nPING\r\nECHO x\r\n', 3), ['+OK\r\n', '+PONG\r\n', '$1\r\nx\r\n']);
  const c2 = await RawClient.connect(port);
  assert.equal(await c2.call('PING'), '+PONG\r\n');
  assert.equal(await c2.call('CONFIG', 'SET', 'bind', '127.0.0.1'), '+OK\r\n');
  c.close();
  c2.close();
});
