// ACL commands, rules and permission errors compared byte for byte with redis-server 7.2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { RawClient, seededRandom } from '../helpers/resp.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

/** A connection to each server authenticated as `user`. */
async function loginBoth(user: string, pass: string): Promise<[RawClient, RawClient]> {
  const [a, b] = await pair.connectMore();
  const [ra, rb] = await Promise.all([a.call('AUTH', user, pass), b.call('AUTH', user, pass)]);
  assert.equal(ra, rb);
  return [a, b];
}

async function checkOn(a: RawClient, b: RawClient, ...args: Args): Promise<string> {
  const [ra, rb] = await Promise.all([a.call(...args), b.call(...args)]);
  assert.equal(ra, rb, `reply to ${args.join(' ')}`);
  return ra;
}

const RULE_CASES: string[][] = [
  ['on', '>p1', '~a*', '+get'],
  ['%R~r*', '%W~w*', '%RW~rw*', '%R~x', '%W~x'],
  ['~', '%R~'],
  ['%~a'],
  ['%RWR~a'],
  ['%X~a'],
  ['~a b'],
  ['&ch a'],
  ['allkeys', '~foo'],
  ['allchannels', '&foo'],
  ['resetkeys', '~foo', 'allkeys'],
  ['+@string', '-get', '+get', '+client|id', '-@string'],
  ['+select|0', '+select|1', '+select'],
  ['+config|get', '+config|set', '-config'],
  ['+config|nope'],
  ['+config|get|x'],
  ['+get|x'],
  ['-select|0'],
  ['+select|'],
  ['+nosuchcommand'],
  ['+@nosuchcategory'],
  ['-@all', '+@read', '-@dangerous', '+@write', 'allcommands', '-flushall'],
  ['nocommands', '+ping'],
  ['#' + 'a'.repeat(64), '#' + 'A'.repeat(64)],
  ['#abc'],
  ['!' + 'b'.repeat(64)],
  ['<nosuchpass'],
  ['>pw', '<pw', 'nopass', '>x', 'resetpass'],
  ['(~a +get)', '(+set ~b', '&c)', 'clearselectors', '(%R~z +@all)'],
  ['(~a', '+get'],
  ['(~a +nosuch)'],
  ['(  )'],
  ['reset'],
  ['skip-sanitize-payload', 'sanitize-payload', 'off', 'on'],
  ['', 'on'],
  ['bogus'],
];

test('ACL SETUSER rules: replies, GETUSER and LIST', { skip }, async () => {
  const p = pair;
  for (const [i, rules] of RULE_CASES.entries()) {
    const name = `u${i}`;
    await p.check('ACL', 'SETUSER', name, ...rules);
    await p.check('ACL', 'GETUSER', name);
    await p.resp(3);
    await p.check('ACL', 'GETUSER', name);
    await p.resp(2);
  }
  await p.check('ACL', 'LIST');
  await p.check('ACL', 'USERS');
  await p.checkAll([
    ['ACL', 'SETUSER', 'bad name'],
    ['ACL', 'SETUSER', 'bad\x00name'],
    ['ACL', 'GETUSER', 'nosuchuser'],
    ['ACL', 'GETUSER', 'default'],
    ['ACL', 'DELUSER', 'u0', 'u1', 'nosuch'],
    ['ACL', 'DELUSER', 'u2', 'default'],
    ['ACL', 'DELUSER'],
    ['ACL', 'USERS'],
    ['ACL', 'WHOAMI'],
    ['ACL', 'WHOAMI', 'x'],
    ['ACL', 'CAT'],
    ['ACL', 'CAT', 'nosuch'],
    ['ACL', 'CAT', 'a', 'b'],
    ['ACL', 'GENPASS', '0'],
    ['ACL', 'GENPASS', '4097'],
    ['ACL', 'GENPASS', 'x'],
    ['ACL', 'GENPASS', '1', '2'],
    ['ACL', 'LOG', 'x'],
    ['ACL', 'LOG', '1', '2'],
    ['ACL', 'LOAD'],
    ['ACL', 'SAVE'],
    ['ACL', 'NOSUCH'],
    ['ACL', 'HELP'],
    ['ACL'],
  ]);
  for (let i = 0; i < RULE_CASES.length; i++) await p.both('ACL', 'DELUSER', `u${i}`);
});

test('ACL CAT lists the same commands per category', { skip }, async () => {
  const p = pair;
  for (const cat of ['keyspace', 'read', 'write', 'string', 'admin', 'dangerous', 'fast', 'slow', 'pubsub', 'connection', 'scripting', 'blocking']) {
    const [a, b] = await p.both('ACL', 'CAT', cat);
    const names = (r: string) => r.split('\r\n').filter((l) => l !== '' && !/^[*$]/.test(l));
    const redisNames = new Set(names(b));
    // Spinel lists the commands it has; each is in Redis's list.
    for (const n of names(a)) assert.ok(redisNames.has(n), `${n} in @${cat}`);
  }
  const [a, b] = await p.both('ACL', 'GENPASS', '5');
  assert.match(a, /^\$2\r\n[0-9a-f]{2}\r\n$/);
  assert.match(b, /^\$2\r\n[0-9a-f]{2}\r\n$/);
});

test('NOPERM errors, DRYRUN and the ACL log', { skip }, async () => {
  const p = pair;
  await p.check('ACL', 'LOG', 'RESET');
  await p.check('ACL', 'SETUSER', 'app', 'on', '>secret', '~app:*', '%R~ro:*', '%W~wo:*', '&news.*', '+@read', '+@write', '+@pubsub', '-@dangerous', '+select|0', '+client|getname');
  const [a, b] = await loginBoth('app', 'secret');
  const cmds: Args[] = [
    ['GET', 'app:1'],
    ['GET', 'other'],
    ['SET', 'app:1', 'v'],
    ['SET', 'ro:1', 'v'],
    ['GET', 'ro:1'],
    ['SET', 'wo:1', 'v'],
    ['GET', 'wo:1'],
    ['SET', 'wo:1', 'v', 'GET'],
    ['MSET', 'app:1', 'x', 'other', 'y'],
    ['MGET', 'app:1', 'ro:2', 'wo:3'],
    ['COPY', 'ro:1', 'wo:2'],
    ['COPY', 'wo:1', 'ro:2'],
    ['FLUSHALL'],
    ['KEYS', '*'],
    ['SELECT', '0'],
    ['SELECT', '1'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'KILL', 'ID', '999999'],
    ['CONFIG', 'GET', 'port'],
    ['PUBLISH', 'news.1', 'm'],
    ['PUBLISH', 'sport', 'm'],
    ['SPUBLISH', 'sport', 'm'],
    ['ACL', 'WHOAMI'],
    ['AUTH', 'app', 'wrong'],
    ['AUTH', 'nosuch', 'x'],
    ['PING'],
    ['NOSUCHCMD'],
  ];
  for (const c of cmds) await checkOn(a, b, ...c);
  await Promise.all([a.call('HELLO', '3'), b.call('HELLO', '3')]);
  for (const c of cmds.slice(0, 6)) await checkOn(a, b, ...c);
  // MULTI: denied at queue time; allowed at queue time, denied at EXEC after a rule change.
  await Promise.all([a.call('HELLO', '2'), b.call('HELLO', '2')]);
  await checkOn(a, b, 'MULTI');
  await checkOn(a, b, 'GET', 'other');
  await checkOn(a, b, 'EXEC');
  await checkOn(a, b, 'MULTI');
  await checkOn(a, b, 'GET', 'app:1');
  await checkOn(a, b, 'SET', 'app:2', 'x');
  await checkOn(a, b, 'PUBLISH', 'news.x', 'x');
  await p.check('ACL', 'SETUSER', 'app', '-get', 'resetkeys', '~other', 'resetchannels');
  await checkOn(a, b, 'EXEC');
  await p.check('ACL', 'SETUSER', 'app', 'reset', 'on', '>secret', '~app:*', '&news.*', '+@all');
  // Subscriptions: channels matched, patterns literally.
  const [s1, s2] = await loginBoth('app', 'secret');
  await checkOn(s1, s2, 'SUBSCRIBE', 'news.a', 'sport');
  await checkOn(s1, s2, 'PSUBSCRIBE', 'news.*');
  await checkOn(s1, s2, 'PSUBSCRIBE', 'news.a*');
  s1.close();
  s2.close();
  // The log: fields but the times, ids and client info.
  for (const args of [['ACL', 'LOG'], ['ACL', 'LOG', '2'], ['ACL', 'LOG', '-1'], ['ACL', 'LOG', '0']]) {
    const [la, lb] = await p.both(...args);
    const strip = (s: string) =>
      s
        .replace(/(age-seconds\r\n)\$\d+\r\n[^\r]*\r\n/g, '$1T')
        .replace(/(client-info\r\n)\$\d+\r\n[^\r]*\r\n/g, '$1C')
        .replace(/(entry-id|timestamp-created|timestamp-last-updated)\r\n:\d+\r\n/g, '$1 N');
    assert.equal(strip(la), strip(lb));
  }
  const dry: Args[] = [
    ['ACL', 'DRYRUN', 'app', 'GET', 'app:1'],
    ['ACL', 'DRYRUN', 'app', 'GET', 'x'],
    ['ACL', 'DRYRUN', 'app', 'SET', 'x'],
    ['ACL', 'DRYRUN', 'app', 'PUBLISH', 'x', 'y'],
    ['ACL', 'DRYRUN', 'app', 'SUBSCRIBE', 'news.1', 'x'],
    ['ACL', 'DRYRUN', 'app', 'PSUBSCRIBE', 'news.*', 'news.1*'],
    ['ACL', 'DRYRUN', 'app', 'CONFIG'],
    ['ACL', 'DRYRUN', 'app', 'CONFIG', 'GET', 'x'],
    ['ACL', 'DRYRUN', 'app', 'CONFIG', 'NOSUCH'],
    ['ACL', 'DRYRUN', 'app', 'NOSUCH'],
    ['ACL', 'DRYRUN', 'nosuch', 'GET', 'x'],
    ['ACL', 'DRYRUN', 'app'],
  ];
  for (const d of dry) await p.check(...d);
  a.close();
  b.close();
  await p.check('ACL', 'DELUSER', 'app');
  await p.check('ACL', 'LOG', 'RESET');
  await p.check('ACL', 'LOG');
});

test('AUTH and HELLO AUTH with users and requirepass', { skip }, async () => {
  const p = pair;
  const [a, b] = await p.connectMore();
  await checkOn(a, b, 'ACL', 'SETUSER', 'bob', 'on', '>pw', '+@all', '~*');
  await checkOn(a, b, 'ACL', 'SETUSER', 'off1', 'off', '>pw', '+@all');
  await checkOn(a, b, 'ACL', 'SETUSER', 'np', 'on', 'nopass', '+acl');
  for (const args of [
    ['AUTH', 'bob', 'bad'],
    ['AUTH', 'off1', 'pw'],
    ['AUTH', 'np', 'anything'],
    ['ACL', 'WHOAMI'],
    ['GET', 'x'],
    ['HELLO', '2', 'AUTH', 'bob', 'bad'],
    ['HELLO', '2', 'AUTH', 'bob', 'pw', 'SETNAME', 'bad name'],
    ['AUTH', 'bob', 'pw'],
    ['ACL', 'WHOAMI'],
  ] as Args[]) {
    await checkOn(a, b, ...args);
  }
  await checkOn(a, b, 'CONFIG', 'SET', 'requirepass', 'rp');
  const [c, d] = await p.connectMore();
  for (const args of [['GET', 'x'], ['HELLO', '3'], ['AUTH', 'wrong'], ['AUTH', 'rp'], ['ACL', 'WHOAMI']] as Args[]) await checkOn(c, d, ...args);
  await checkOn(a, b, 'ACL', 'GETUSER', 'default');
  await checkOn(a, b, 'CONFIG', 'SET', 'requirepass', '');
  await checkOn(a, b, 'ACL', 'GETUSER', 'default');
  await checkOn(a, b, 'ACL', 'DELUSER', 'bob', 'off1', 'np');
  c.close();
  d.close();
});

test('randomized: DRYRUN decisions of random users over random commands', { skip }, async () => {
  const p = pair;
  const rnd = seededRandom(2026);
  const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];
  const ruleBank = [
    '+@read', '-@read', '+@write', '-@write', '+@string', '-@string', '+@keyspace', '-@hash', '+@hash', '+@list', '-@list', '+@set',
    '-@dangerous', '+@admin', '+@fast', '-@slow', '+@pubsub', '+get', '-get', '+set', '-set', '+del', '+config|get', '-config',
    '+client|id', '+select|0', 'allcommands', 'nocommands', '~k*', '%R~r*', '%W~w*', '~a?', 'allkeys', 'resetkeys', '&c*',
    '&news', 'allchannels', 'resetchannels', '(+get ~x*)', '(%R~*)', '(+@all %W~w* &*)', 'clearselectors',
  ];
  const keys = ['k1', 'r1', 'w1', 'a1', 'x1', 'other', 'kk'];
  const channels = ['c1', 'news', 'c*', 'other'];
  const cmdBank: (() => string[])[] = [
    () => ['GET', pick(keys)],
    () => ['SET', pick(keys), 'v'],
    () => ['SET', pick(keys), 'v', 'GET'],
    () => ['MSET', pick(keys), 'v', pick(keys), 'v'],
    () => ['DEL', pick(keys), pick(keys)],
    () => ['COPY', pick(keys), pick(keys)],
    () => ['HSET', pick(keys), 'f', 'v'],
    () => ['HGET', pick(keys), 'f'],
    () => ['LPUSH', pick(keys), 'v'],
    () => ['LMOVE', pick(keys), pick(keys), 'LEFT', 'RIGHT'],
    () => ['SINTERSTORE', pick(keys), pick(keys), pick(keys)],
    () => ['ZUNIONSTORE', pick(keys), '2', pick(keys), pick(keys)],
    () => ['SELECT', pick(['0', '1'])],
    () => ['CONFIG', 'GET', 'port'],
    () => ['CONFIG', 'SET', 'port', '1'],
    () => ['CLIENT', pick(['ID', 'GETNAME'])],
    () => ['PUBLISH', pick(channels), 'm'],
    () => ['SUBSCRIBE', pick(channels), pick(channels)],
    () => ['PSUBSCRIBE', pick(channels)],
    () => ['FLUSHDB'],
    () => ['KEYS', '*'],
    () => ['PING'],
    () => ['BITFIELD', pick(keys), 'GET', 'u8', '0'],
    () => ['BITFIELD', pick(keys), 'SET', 'u8', '0', '1'],
    () => ['SORT', pick(keys), 'STORE', pick(keys)],
    () => ['EXPIRE', pick(keys), '10'],
  ];
  let cases = 0;
  for (let u = 0; u < 60; u++) {
    const rules = ['on'];
    const n = 1 + rnd(6);
    for (let i = 0; i < n; i++) rules.push(pick(ruleBank));
    await p.check('ACL', 'SETUSER', 'r', 'reset', ...rules);
    await p.check('ACL', 'GETUSER', 'r');
    for (let i = 0; i < 40; i++) {
      await p.check('ACL', 'DRYRUN', 'r', ...pick(cmdBank)());
      cases++;
    }
  }
  assert.ok(cases >= 2000);
  await p.check('ACL', 'DELUSER', 'r');
});

test('acl-pubsub-default allchannels: new users and selectors start with every channel', { skip }, async () => {
  const p = pair;
  await p.check('CONFIG', 'SET', 'acl-pubsub-default', 'allchannels');
  await p.check('ACL', 'SETUSER', 'pd', 'on', '(+get)');
  await p.check('ACL', 'GETUSER', 'pd');
  await p.check('ACL', 'SETUSER', 'pd', 'reset');
  await p.check('ACL', 'LIST');
  await p.check('CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels');
  await p.check('ACL', 'SETUSER', 'pd', 'reset', '(+get)');
  await p.check('ACL', 'GETUSER', 'pd');
  await p.check('ACL', 'DELUSER', 'pd');
});

test('a script runs its commands as the calling user: denials answer "ACL failure in script" and log the lua context', { skip }, async () => {
  const p = pair;
  await p.check('ACL', 'LOG', 'RESET');
  await p.check('ACL', 'SETUSER', 'scripter', 'on', '>pw', '~s:*', '+eval', '+get', '+@scripting');
  const [a, b] = await loginBoth('scripter', 'pw');
  await checkOn(a, b, 'EVAL', "return redis.call('set','s:1','x')", '0');
  await checkOn(a, b, 'EVAL', "return redis.pcall('set','s:1','x')", '0');
  await checkOn(a, b, 'EVAL', "return redis.call('get','other')", '0');
  await checkOn(a, b, 'EVAL', "return redis.call('get','s:1')", '0');
  await checkOn(a, b, 'EVAL', "return redis.acl_check_cmd('set','s:1','x')", '0');
  await checkOn(a, b, 'EVAL', "return redis.acl_check_cmd('get','s:1')", '0');
  // The log's context, object and user (age and client-info differ by nature).
  const [la, lb] = await Promise.all([p.spinel.call('ACL', 'LOG'), p.redis.call('ACL', 'LOG')]);
  const pick = (raw: string) => raw.split('\r\n').filter((l) => /^(lua|set|get|other|scripter|command|key|[0-9])$/.test(l)).join(' ');
  assert.equal(pick(la), pick(lb));
  assert.match(pick(la), /lua/);
  await p.check('ACL', 'DELUSER', 'scripter');
});
