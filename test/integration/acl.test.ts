// ACL over real sockets: clients (ioredis, node-redis) logging in as users,
// clients disconnected when their user is deleted or loses channels, ACL
// SAVE/LOAD with an ACL file (LOAD is all or nothing), users from the config
// file, a brute-force AUTH loop, and the default user's password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startSpinel, spawnSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
let dir: string;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-acl-'));
  s = await startSpinel({ aclfile: path.join(dir, 'users.acl') });
});
after(async () => {
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function admin(): Promise<RawClient> {
  return RawClient.connect(s.port);
}

/** Resolves once the connection is closed by the server. */
async function closed(c: RawClient): Promise<void> {
  await c.waitClose();
}

test('ioredis and node-redis log in as a restricted user', async () => {
  const a = await admin();
  assert.equal(await a.call('ACL', 'SETUSER', 'app', 'on', '>secret', '~app:*', '+@read', '+@write', '+@connection', '-@dangerous', '+info'), '+OK\r\n');
  const io = new Redis({ port: s.port, host: '127.0.0.1', username: 'app', password: 'secret', lazyConnect: true, maxRetriesPerRequest: 1 });
  await io.connect();
  try {
    assert.equal(await io.set('app:1', 'x'), 'OK');
    assert.equal(await io.get('app:1'), 'x');
    await assert.rejects(io.get('secret:1'), /^ReplyError: NOPERM No permissions to access a key$/);
    await assert.rejects(io.call('FLUSHALL'), /NOPERM User app has no permissions to run the 'flushall' command/);
    const res = await io.multi().set('app:2', 'y').get('other').exec().catch((e: Error) => e.message);
    assert.match(String(res), /EXECABORT/);
  } finally {
    io.disconnect();
  }
  const bad = new Redis({ port: s.port, host: '127.0.0.1', username: 'app', password: 'wrong', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await assert.rejects(bad.connect());
  bad.disconnect();
  for (const RESP of [2, 3] as const) {
    const nr = createClient({ socket: { port: s.port, host: '127.0.0.1' }, username: 'app', password: 'secret', RESP });
    await nr.connect();
    try {
      assert.equal(await nr.incr('app:n'), RESP === 2 ? 1 : 2);
      await assert.rejects(nr.get('x'), /NOPERM/);
    } finally {
      await nr.quit();
    }
  }
  const log = await a.call('ACL', 'LOG', '1');
  assert.match(log, /reason\r\n\$3\r\nkey\r\n.*object\r\n\$1\r\nx\r\n.*username\r\n\$3\r\napp\r\n/s);
  a.close();
});

test('deleting a user disconnects its clients; narrowing its channels disconnects its subscribers', async () => {
  const a = await admin();
  await a.call('ACL', 'SETUSER', 'gone', 'on', '>pw', '+@all', '~*', '&*');
  const c = await RawClient.connect(s.port);
  assert.equal(await c.call('AUTH', 'gone', 'pw'), '+OK\r\n');
  const list = await a.call('CLIENT', 'LIST');
  assert.match(list, /user=gone/);
  const wait = closed(c);
  assert.equal(await a.call('ACL', 'DELUSER', 'gone'), ':1\r\n');
  await wait;
  // A subscriber keeps its connection while its channels stay allowed, loses it otherwise.
  await a.call('ACL', 'SETUSER', 'sub', 'on', '>pw', '+@all', '~*', 'resetchannels', '&news.*', '&sport');
  const sub = await RawClient.connect(s.port);
  await sub.call('AUTH', 'sub', 'pw');
  assert.match(await sub.call('SUBSCRIBE', 'news.1'), /subscribe/);
  await a.call('ACL', 'SETUSER', 'sub', '&more');
  assert.equal(await a.call('PUBLISH', 'news.1', 'still'), ':1\r\n');
  const gone = closed(sub);
  await a.call('ACL', 'SETUSER', 'sub', 'resetchannels', '&sport');
  await gone;
  // A client deleting its own user gets the reply, then is closed.
  await a.call('ACL', 'SETUSER', 'self', 'on', 'nopass', '+@all', '~*');
  const self = await RawClient.connect(s.port);
  await self.call('AUTH', 'self', 'x');
  const selfClosed = closed(self);
  assert.equal(await self.call('ACL', 'DELUSER', 'self'), ':1\r\n');
  await selfClosed;
  await a.call('ACL', 'DELUSER', 'sub');
  a.close();
});

test('ACL SAVE and LOAD: the file round-trips; a bad file changes nothing; LOAD disconnects the users it replaced', async () => {
  const a = await admin();
  const file = path.join(dir, 'users.acl');
  await a.call('ACL', 'SETUSER', 'alice', 'on', '>a1', '~a:*', '%R~shared:*', '&chan', '+@read', '-keys', '(+set ~w:*)');
  assert.equal(await a.call('ACL', 'SAVE'), '+OK\r\n');
  const saved = fs.readFileSync(file, 'latin1');
  assert.match(saved, /^user alice on sanitize-payload #[0-9a-f]{64} ~a:\* %R~shared:\* resetchannels &chan -@all \+@read -keys \(~w:\* resetchannels -@all \+set\)\nuser app /m);
  assert.match(saved, /^user default on nopass sanitize-payload ~\* &\* \+@all$/m);
  const listBefore = await a.call('ACL', 'LIST');
  // An error anywhere: nothing changes.
  fs.writeFileSync(file, saved + 'user bob on +nosuchcommand\nuser carol on >x ~c:*\n');
  const err = await a.call('ACL', 'LOAD');
  assert.match(err, /^-ERR .*users\.acl:\d+: Error in applying operation '\+nosuchcommand': Unknown command or category name in ACL\. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n$/);
  assert.equal(await a.call('ACL', 'LIST'), listBefore);
  fs.writeFileSync(file, 'user alice on >a1 ~a:* "&chan" +@read\nuser\n');
  assert.match(await a.call('ACL', 'LOAD'), /should start with user keyword/);
  fs.writeFileSync(file, 'user alice on >a1 ~a:* +@all\nuser alice on\n');
  assert.match(await a.call('ACL', 'LOAD'), /WARNING: Duplicate user 'alice' found on line 2/);
  // A good file replaces every user; alice's client is disconnected.
  const al = await RawClient.connect(s.port);
  assert.equal(await al.call('AUTH', 'alice', 'a1'), '+OK\r\n');
  const alClosed = closed(al);
  fs.writeFileSync(file, 'user alice on >a2 ~a:* +@all\n\n  user dave off  \n');
  assert.equal(await a.call('ACL', 'LOAD'), '+OK\r\n');
  await alClosed;
  assert.equal(await a.call('ACL', 'USERS'), '*3\r\n$5\r\nalice\r\n$4\r\ndave\r\n$7\r\ndefault\r\n');
  assert.equal(await a.call('ACL', 'GETUSER', 'default').then((r) => r.includes('nopass')), true);
  fs.rmSync(file);
  assert.match(await a.call('ACL', 'LOAD'), /^-ERR Error loading ACLs, opening file '.*users\.acl': No such file or directory\r\n$/);
  a.close();
});

test('a brute-force AUTH loop leaves the server responsive; the log groups the failures', async () => {
  const a = await admin();
  await a.call('ACL', 'LOG', 'RESET');
  await a.call('ACL', 'SETUSER', 'target', 'on', '>right', '+@all');
  const denied = async (): Promise<number> => Number(/acl_access_denied_auth:(\d+)/.exec(await a.call('INFO', 'stats'))![1]);
  const deniedBefore = await denied();
  const attacker = await RawClient.connect(s.port);
  const n = 5000;
  const reqs: string[] = [];
  for (let i = 0; i < n; i++) reqs.push(`AUTH target wrong${i}\r\n`);
  const done = attacker.raw(reqs.join(''), n).then((r) => r.join(''));
  // Another client is served meanwhile.
  assert.equal(await a.call('PING'), '+PONG\r\n');
  const replies = await done;
  assert.equal(replies.split('WRONGPASS').length - 1, n);
  const log = await a.call('ACL', 'LOG');
  assert.match(log, /^\*1\r\n/);
  assert.match(log, new RegExp(`count\\r\\n:${n}\\r\\n\\$6\\r\\nreason\\r\\n\\$4\\r\\nauth\\r\\n`));
  assert.equal(await denied(), deniedBefore + n);
  attacker.close();
  await a.call('ACL', 'DELUSER', 'target');
  a.close();
});

test('users from the config file; config users and an aclfile together refuse to start', async () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-aclconf-'));
  try {
    const p = await spawnSpinel(['--save', '', '--requirepass', 'foo', '--user', 'default', 'on', 'nopass', '~*', '&*', '+@all', '--user', 'bob', 'on', '>x', '~b:*', '+get'], d);
    await p.ready();
    try {
      const c = await RawClient.connect(p.port);
      // The user line wins over requirepass (applied after it, as Redis does).
      assert.equal(await c.call('PING'), '+PONG\r\n');
      assert.match(await c.call('ACL', 'LIST'), /user bob on sanitize-payload #[0-9a-f]{64} ~b:\* resetchannels -@all \+get/);
      assert.equal(await c.call('AUTH', 'bob', 'x'), '+OK\r\n');
      assert.equal(await c.call('GET', 'c:1'), '-NOPERM No permissions to access a key\r\n');
      c.close();
    } finally {
      await p.kill();
    }
    const q = await spawnSpinel(['--save', '', '--aclfile', path.join(d, 'x.acl'), '--user', 'bob', 'on'], d);
    assert.notEqual(await q.exited, 0);
    assert.match(q.out(), /please define either an ACL file or declare users directly in your redis.conf, but not both/);
    fs.writeFileSync(path.join(d, 'x.acl'), 'user bob on +nosuch\n');
    const r = await spawnSpinel(['--save', '', '--aclfile', path.join(d, 'x.acl')], d);
    assert.notEqual(await r.exited, 0);
    assert.match(r.out(), /Aborting Redis startup because of ACL errors: .*Unknown command or category name in ACL/);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('requirepass is the default user password; clients authenticated before stay so', async () => {
  const a = await admin();
  try {
    assert.equal(await a.call('CONFIG', 'SET', 'requirepass', 'pw'), '+OK\r\n');
    assert.equal(await a.call('PING'), '+PONG\r\n');
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('PING'), '-NOAUTH Authentication required.\r\n');
    // Before AUTH requests stay small.
    assert.equal(await c.call('MGET', ...Array.from({ length: 20 }, (_, i) => `k${i}`)), '-ERR Protocol error: unauthenticated multibulk length\r\n');
    const d = await RawClient.connect(s.port);
    assert.equal(await d.call('AUTH', 'pw'), '+OK\r\n');
    assert.equal(await d.call('ACL', 'WHOAMI'), '$7\r\ndefault\r\n');
    assert.match(await d.call('ACL', 'GETUSER', 'default'), /passwords\r\n\*1\r\n\$64\r\n[0-9a-f]{64}\r\n/);
    d.close();
  } finally {
    await a.call('CONFIG', 'SET', 'requirepass', '');
    a.close();
  }
});
