// SLOWLOG: recording (slowlog-log-slower-than), entries, GET count, LEN, RESET, max-len.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, type RespValue } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

test('SLOWLOG records commands slower than the threshold with id, time, usec, argv, addr, name', async () => {
  const c = await RawClient.connect(s.port);
  try {
    // Under the threshold a command is not logged (10 s here: a loaded machine can stall a command past the
    // 10 ms default, even the SLOWLOG RESET, which logs itself after emptying the log).
    assert.equal(s.server.config.num('slowlog-log-slower-than'), 10000);
    s.server.config.set('slowlog-log-slower-than', 10_000_000);
    assert.equal(await c.call('SLOWLOG', 'RESET'), '+OK\r\n');
    await c.call('SET', 'fast', '1');
    assert.equal(await c.call('SLOWLOG', 'LEN'), ':0\r\n');
    s.server.config.set('slowlog-log-slower-than', 0);
    await c.call('CLIENT', 'SETNAME', 'logger');
    await c.call('SET', 'k', 'v');
    await c.call('GET', 'k');
    const addr = (await c.call('CLIENT', 'INFO')).match(/ addr=(\S+)/)![1];
    s.server.config.set('slowlog-log-slower-than', -1);
    const all = (await c.value('SLOWLOG', 'GET', '-1')) as RespValue[][];
    // Newest first: CLIENT INFO, GET, SET, CLIENT SETNAME.
    assert.deepEqual(all.map((e) => e[3]), [['CLIENT', 'INFO'], ['GET', 'k'], ['SET', 'k', 'v'], ['CLIENT', 'SETNAME', 'logger']]);
    const [id, ts, usec, , a, name] = all[1];
    assert.equal(typeof id, 'number');
    assert.equal(all[0][0], (id as number) + 1);
    assert.ok(Math.abs((ts as number) - Date.now() / 1000) < 5);
    assert.ok((usec as number) >= 0);
    assert.equal(a, addr);
    assert.equal(name, 'logger');
    // Default count is 10; GET n limits.
    assert.equal(((await c.value('SLOWLOG', 'GET', '2')) as RespValue[]).length, 2);
    assert.equal(((await c.value('SLOWLOG', 'GET', '0')) as RespValue[]).length, 0);
    assert.equal(await c.call('SLOWLOG', 'LEN'), ':4\r\n');
    assert.equal(await c.call('SLOWLOG', 'GET', '-2'), '-ERR count should be greater than or equal to -1\r\n');
    assert.equal(await c.call('SLOWLOG', 'GET', 'x'), '-ERR count should be greater than or equal to -1\r\n');
    assert.equal(await c.call('SLOWLOG', 'RESET'), '+OK\r\n');
    assert.equal(await c.call('SLOWLOG', 'LEN'), ':0\r\n');
  } finally {
    s.server.config.set('slowlog-log-slower-than', 10000);
    c.close();
  }
});

test('SLOWLOG trims to slowlog-max-len and abridges long arguments', async () => {
  const c = await RawClient.connect(s.port);
  try {
    await c.call('SLOWLOG', 'RESET');
    s.server.config.set('slowlog-max-len', 3);
    s.server.config.set('slowlog-log-slower-than', 0);
    for (let i = 0; i < 5; i++) await c.call('PING', String(i));
    await c.call('ECHO', 'x'.repeat(200));
    const args = ['DEL'];
    for (let i = 0; i < 40; i++) args.push(`k${i}`);
    await c.call(...args);
    s.server.config.set('slowlog-log-slower-than', -1);
    const all = (await c.value('SLOWLOG', 'GET')) as RespValue[][];
    assert.equal(all.length, 3);
    const del = all[0][3] as string[];
    assert.equal(del.length, 32);
    assert.equal(del[31], '... (10 more arguments)');
    const echo = all[1][3] as string[];
    assert.equal(echo[1], 'x'.repeat(128) + '... (72 more bytes)');
  } finally {
    s.server.config.set('slowlog-max-len', 128);
    s.server.config.set('slowlog-log-slower-than', 10000);
    c.close();
  }
});

test('SLOWLOG HELP and errors', async () => {
  const c = await RawClient.connect(s.port);
  try {
    const help = (await c.value('SLOWLOG', 'HELP')) as string[];
    assert.equal(help[0], 'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    assert.equal(await c.call('SLOWLOG', 'GET', '1', '2'), "-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n");
    assert.equal(await c.call('slowlog', 'get', '1', '2'), "-ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.\r\n");
    assert.equal(await c.call('SLOWLOG', 'LEN', 'x'), "-ERR wrong number of arguments for 'slowlog|len' command\r\n");
  } finally {
    c.close();
  }
});

test('SLOWLOG and MONITOR redact passwords and sensitive config values', async () => {
  const c = await RawClient.connect(s.port);
  const m = await RawClient.connect(s.port);
  try {
    await c.call('SLOWLOG', 'RESET');
    assert.equal(await m.call('MONITOR'), '+OK\r\n');
    s.server.config.set('slowlog-log-slower-than', 0);
    await c.call('AUTH', 'someuser', 'secret');
    await c.call('HELLO', '2', 'AUTH', 'default', 'pw', 'SETNAME', 'n1');
    await c.call('CONFIG', 'SET', 'masterauth', 'topsecret');
    s.server.config.set('slowlog-log-slower-than', -1);
    const all = (await c.value('SLOWLOG', 'GET')) as RespValue[][];
    const argvs = all.map((e) => e[3]);
    assert.deepEqual(argvs[0], ['CONFIG', 'SET', 'masterauth', '(redacted)']);
    assert.deepEqual(argvs[1], ['HELLO', '2', 'AUTH', '(redacted)', '(redacted)', 'SETNAME', 'n1']);
    assert.deepEqual(argvs[2], ['AUTH', '(redacted)', '(redacted)']);
    assert.match(await m.read(), /\] "AUTH" "\(redacted\)" "\(redacted\)"\r\n$/);
    assert.match(await m.read(), /\] "HELLO" "2" "AUTH" "\(redacted\)" "\(redacted\)" "SETNAME" "n1"\r\n$/);
  } finally {
    s.server.config.set('slowlog-log-slower-than', 10000);
    s.server.config.set('masterauth', '');
    c.close();
    m.close();
  }
});
