// The ACL rule parser and permission checker, without sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../../src/server/server.js';
import { Config } from '../../src/config/config.js';
import { AclResult, mergeSelectorArgs, sha256Hex, type User } from '../../src/server/acl.js';

const server = new Server(new Config());
server.log.silent = true;
const acl = server.acl;

function user(name: string, ...rules: string[]): User {
  acl.deleteUser(name);
  const err = acl.setUser(name, rules);
  assert.equal(err, null);
  return acl.getUser(name)!;
}

function check(u: User, ...argv: string[]): [AclResult, number] {
  let cmd = server.commands.lookup(argv[0])!;
  if (cmd.subcommands !== null) cmd = cmd.subcommands.get(argv[1].toLowerCase())!;
  const r = acl.check(u, cmd, argv);
  return [r.result, r.index];
}

test('a new user is off, sanitize-payload, no permissions; the default user can do anything', () => {
  const u = user('fresh');
  assert.equal(u.describe(), 'off sanitize-payload resetchannels -@all');
  assert.equal(acl.defaultUser.describe(), 'on nopass sanitize-payload ~* &* +@all');
  assert.ok(acl.defaultUser.unrestricted);
  assert.deepEqual(check(u, 'GET', 'k'), [AclResult.DeniedCmd, 0]);
});

test('passwords are kept as SHA-256 only; >, <, #, !, nopass and resetpass', () => {
  const u = user('p', '>one', '>two', '>one', `#${sha256Hex('three')}`);
  assert.deepEqual(u.passwords, [sha256Hex('one'), sha256Hex('two'), sha256Hex('three')]);
  assert.equal(acl.setUser('p', ['<two', `!${sha256Hex('three')}`]), null);
  assert.deepEqual(u.passwords, [sha256Hex('one')]);
  assert.match(acl.setUser('p', ['<nope'])!, /password you are trying to remove/);
  assert.match(acl.setUser('p', ['#ABC'])!, /exactly 64 characters/);
  assert.equal(acl.checkCredentials('p', 'one'), null); // off
  acl.setUser('p', ['on']);
  assert.equal(acl.checkCredentials('p', 'one'), u);
  assert.equal(acl.checkCredentials('p', 'two'), null);
  acl.setUser('p', ['nopass']);
  assert.equal(acl.checkCredentials('p', 'anything'), u);
  acl.setUser('p', ['resetpass']);
  assert.equal(acl.checkCredentials('p', 'anything'), null);
});

test('a failed SETUSER changes nothing', () => {
  const u = user('atomic', 'on', '~a', '+get');
  const before = u.describe();
  assert.match(acl.setUser('atomic', ['~b', '+nosuch'])!, /^Error in ACL SETUSER modifier '\+nosuch': Unknown command or category name in ACL$/);
  assert.equal(u.describe(), before);
});

test('key patterns: read and write permissions follow the key specs', () => {
  const u = user('keys', 'on', '+@all', '%R~r*', '%W~w*', '~rw*');
  assert.deepEqual(check(u, 'GET', 'r1'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'GET', 'w1'), [AclResult.DeniedKey, 1]);
  assert.deepEqual(check(u, 'SET', 'w1', 'v'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'SET', 'w1', 'v', 'GET'), [AclResult.DeniedKey, 1]);
  assert.deepEqual(check(u, 'SET', 'rw1', 'v', 'GET'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'LMOVE', 'r1', 'w1', 'LEFT', 'LEFT'), [AclResult.DeniedKey, 1]);
  assert.deepEqual(check(u, 'LMOVE', 'rw1', 'w1', 'LEFT', 'LEFT'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'LMOVE', 'rw1', 'r1', 'LEFT', 'LEFT'), [AclResult.DeniedKey, 2]);
  assert.deepEqual(check(u, 'COPY', 'r1', 'w1'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'MSET', 'w1', 'x', 'r1', 'y'), [AclResult.DeniedKey, 3]);
  assert.equal(u.describe(), 'on sanitize-payload %R~r* %W~w* ~rw* resetchannels +@all');
});

test('channels: publish and subscribe match patterns; PSUBSCRIBE patterns must be listed literally', () => {
  const u = user('ch', 'on', '+@all', 'resetchannels', '&news.*', '&exact');
  assert.deepEqual(check(u, 'PUBLISH', 'news.1', 'm'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'PUBLISH', 'sport', 'm'), [AclResult.DeniedChannel, 1]);
  assert.deepEqual(check(u, 'SUBSCRIBE', 'exact', 'news.x', 'other'), [AclResult.DeniedChannel, 3]);
  assert.deepEqual(check(u, 'PSUBSCRIBE', 'news.*'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'PSUBSCRIBE', 'news.a*'), [AclResult.DeniedChannel, 1]);
  assert.deepEqual(check(u, 'UNSUBSCRIBE', 'anything'), [AclResult.Ok, 0]);
});

test('commands: categories, subcommands, first args and the order of rules', () => {
  const u = user('cmd', 'on', 'allkeys', '+@read', '-get', '+config|get', '+select|0');
  assert.deepEqual(check(u, 'GET', 'k'), [AclResult.DeniedCmd, 0]);
  assert.deepEqual(check(u, 'MGET', 'k'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'CONFIG', 'GET', 'x'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'CONFIG', 'SET', 'x', 'y'), [AclResult.DeniedCmd, 0]);
  assert.deepEqual(check(u, 'SELECT', '0'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'SELECT', '1'), [AclResult.DeniedCmd, 0]);
  // AUTH and HELLO (no-auth commands) are always allowed.
  assert.deepEqual(check(u, 'AUTH', 'x'), [AclResult.Ok, 0]);
  assert.equal(acl.describeCommandRules(u.selectors[0]), '-@all +@read -get +config|get +select|0');
  acl.setUser('cmd', ['-@read', '+get']);
  assert.equal(acl.describeCommandRules(u.selectors[0]), '-@all +config|get +select|0 -@read +get');
  acl.setUser('cmd', ['+select']);
  assert.equal(acl.describeCommandRules(u.selectors[0]), '-@all +config|get -@read +get +select');
  assert.match(acl.setUser('cmd', ['+config|get|x'])!, /Allowing first-arg of a subcommand is not supported/);
  assert.match(acl.setUser('cmd', ['+select|'])!, /Syntax error/);
  // A command Redis has and Spinel lacks may be named in rules.
  assert.equal(acl.setUser('cmd', ['+memory|doctor', '-migrate']), null);
});

test('selectors: any selector may allow a command; the reported error is the most relevant one', () => {
  const u = user('sel', 'on', '+get', '~a*', '(+set ~b*)', '(+get %R~c*)');
  assert.deepEqual(check(u, 'GET', 'a1'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'GET', 'c1'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'SET', 'b1', 'v'), [AclResult.Ok, 0]);
  assert.deepEqual(check(u, 'SET', 'a1', 'v'), [AclResult.DeniedKey, 1]);
  assert.deepEqual(check(u, 'DEL', 'a1'), [AclResult.DeniedCmd, 0]);
  assert.equal(u.describe(), 'on sanitize-payload ~a* resetchannels -@all +get (~b* resetchannels -@all +set) (%R~c* resetchannels -@all +get)');
  acl.setUser('sel', ['clearselectors']);
  assert.deepEqual(check(u, 'SET', 'b1', 'v'), [AclResult.DeniedCmd, 0]);
});

test('selector words split over arguments are joined; an unclosed one is reported', () => {
  assert.deepEqual(mergeSelectorArgs(['on', '(~a', '+get)', '(+set)']), ['on', '(~a +get)', '(+set)']);
  assert.equal(mergeSelectorArgs(['on', '(~a', '+get']), 1);
  assert.equal(acl.setUser('x', ['on', '(~a', '+get']), "Unmatched parenthesis in acl selector starting at '(~a'.");
});

test('reset, allkeys/allchannels conflicts, bad patterns', () => {
  const u = user('r', 'on', '>p', '~a', '&b', '+@all', '(+get)');
  acl.setUser('r', ['reset']);
  assert.equal(u.describe(), 'off sanitize-payload resetchannels -@all');
  assert.match(acl.setUser('r', ['allkeys', '~x'])!, /Try 'resetkeys'/);
  assert.match(acl.setUser('r', ['allchannels', '&x'])!, /Try 'resetchannels'/);
  for (const bad of ['%~a', '%', '%X~a', '%RR~a', 'bogus', '~a b', '&a\x00b']) assert.match(acl.setUser('r', [bad])!, /Syntax error/, bad);
});
