// Scripting compared byte for byte with the reference: EVAL/EVALSHA/EVAL_RO,
// SCRIPT, FUNCTION and FCALL replies and errors in RESP2 and RESP3, both
// directions of the Lua <-> Redis conversions (setresp 2 and 3), the redis.*
// API, globals protection, shebang flags, KEYS/ARGV, SELECT inside a script,
// FUNCTION DUMP payloads, INFO's scripting counters and commandstats.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));
beforeEach(async () => {
  if (pair) {
    await pair.resp(2);
    await pair.both('SELECT', 0);
    await pair.both('FLUSHALL');
    await pair.both('SCRIPT', 'FLUSH');
    await pair.both('FUNCTION', 'FLUSH');
  }
});

const ev = (body: string, ...rest: (string | number)[]): Args => ['EVAL', body, ...rest];

/** Scripts whose replies exercise Lua -> Redis conversion and errors. */
const LUA_TO_REDIS: Args[] = [
  ev("return 'hello'", 0),
  ev('return 100.5', 0),
  ev('return -3.9', 0),
  ev('return 1e20', 0),
  ev('return 0/0', 0),
  ev('return true', 0),
  ev('return false', 0),
  ev('return nil', 0),
  ev('return', 0),
  ev('return 1, 2', 0),
  ev("return {1, 2, 3, 'ciao', {1, 2}}", 0),
  ev('return {1, 2, nil, 4}', 0),
  ev("return {ok='fine'}", 0),
  ev("return {ok='two\\r\\nlines'}", 0),
  ev("return {err='My Error'}", 0),
  ev("return {err='ERR two\\nlines'}", 0),
  ev("return redis.error_reply('My Error')", 0),
  ev("return redis.error_reply('-CODE with code')", 0),
  ev("return redis.error_reply('nospace')", 0),
  ev('return redis.error_reply(1)', 0),
  ev("return redis.status_reply('FINE')", 0),
  ev('return redis.status_reply()', 0),
  ev("return {double=3.25}", 0),
  ev("return {double='x'}", 0),
  ev("return {big_number='123456789012345678901234567890'}", 0),
  ev("return {verbatim_string={format='txt', string='hello'}}", 0),
  ev("return {map={a=1}}", 0),
  ev("return {set={a=true}}", 0),
  ev('return _G', 0),
  ev('local a = {}; setmetatable(a, {__index=function() error("x") end}); return a', 0),
  ev("return {1, {2, {3, {4, {5, 'deep'}}}}}", 0),
  ev("return {1, true, false, 'x', {ok='s'}, {err='E e'}}", 0),
  ev("redis.setresp(3); return {1, true, false, {double=1.5}, {map={k='v'}}, {set={m=true}}}", 0),
  ev("redis.setresp(3); return {big_number='1234'}", 0),
  ev("redis.setresp(3); return {verbatim_string={format='mkd', string='**x**'}}", 0),
];

/** Scripts whose replies exercise Redis -> Lua conversion. */
const REDIS_TO_LUA: Args[] = [
  ['SET', 'mykey', 'myval'],
  ['RPUSH', 'mylist', 'a', 'b', 'c'],
  ['HSET', 'myhash', 'f1', 'v1', 'f2', 'v2'],
  ['SADD', 'myset', 'only'],
  ['ZADD', 'myz', '1.5', 'm'],
  ev("local foo = redis.pcall('incr', KEYS[1]) return {type(foo), foo}", 1, 'counter'),
  ev("local foo = redis.pcall('get', KEYS[1]) return {type(foo), foo}", 1, 'mykey'),
  ev("local foo = redis.pcall('get', KEYS[1]) return {type(foo), tostring(foo)}", 1, 'nokey'),
  ev("local foo = redis.pcall('lrange', KEYS[1], 0, -1) return {type(foo), foo[1], foo[3], #foo}", 1, 'mylist'),
  ev("local foo = redis.pcall('set', KEYS[1], 'x') return {type(foo), foo['ok']}", 1, 'k2'),
  ev("local foo = redis.pcall('incr', KEYS[1]) return {type(foo), foo['err']}", 1, 'mykey'),
  ev("local foo = redis.pcall('nosuchcommand') return {type(foo), foo['err']}", 0),
  ev("return redis.pcall('hgetall', KEYS[1])", 1, 'myhash'),
  ev("redis.setresp(3); local m = redis.call('hgetall', KEYS[1]); return {m['map']['f1'], m['map']['f2']}", 1, 'myhash'),
  ev("redis.setresp(3); local s = redis.call('smembers', KEYS[1]); return tostring(s['set']['only'])", 1, 'myset'),
  ev("redis.setresp(3); local d = redis.call('zscore', KEYS[1], 'm'); return tostring(d['double'])", 1, 'myz'),
  ev("redis.setresp(3); return tostring(redis.call('get', 'nokey'))", 0),
  ev("redis.setresp(3); return redis.call('hgetall', KEYS[1])", 1, 'myhash'),
  ev("redis.setresp(3); return redis.call('zscore', KEYS[1], 'm')", 1, 'myz'),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'bignum')", 0),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'verbatim')", 0),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'true')", 0),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'false')", 0),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'null')", 0),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'double')", 0),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'map')", 0),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'set')", 0),
  ev("redis.setresp(3); return redis.call('debug', 'protocol', 'attrib')", 0),
  ev("return redis.call('debug', 'protocol', 'bignum')", 0),
  ev("redis.setresp(4)", 0),
  ev('redis.setresp()', 0),
  ev("redis.call('set', KEYS[1], 0.1); redis.call('set', KEYS[2], 200000000); redis.call('set', KEYS[3], 1e20); return redis.call('mget', KEYS[1], KEYS[2], KEYS[3])", 3, 'n1', 'n2', 'n3'),
];

/** Errors and the API around redis.call. */
const API_AND_ERRORS: Args[] = [
  ev("return redis.call('nosuch')", 0),
  ev('return redis.call()', 0),
  ev('return redis.pcall()', 0),
  ev("return redis.call('get')", 0),
  ev("return redis.call('get', {})", 0),
  ev("return redis.pcall('get', {})", 0),
  ev("return redis.call('config', 'nosuch')", 0),
  ev("return redis.call('eval', 'return 1', 0)", 0),
  ev("return redis.call('incr', 'mykey')", 0),
  ev("return redis.pcall('incr', 'mykey')", 0),
  ev("return error('xyz')", 0),
  ev("return error({err='xyz'})", 0),
  ev("return error({err='CUSTOM xyz'})", 0),
  ev('error()', 0),
  ev('local t = nil; return t.x', 0),
  ev("return 'a' + 1", 0),
  ev('x = 1', 0),
  ev('return y', 0),
  ev('_G.x = 1', 0),
  ev("rawset(_G, 'x', 1)", 0),
  ev('setmetatable(_G, nil)', 0),
  ev("string.foo = 1", 0),
  ev("redis.foo = 1", 0),
  ev("cjson.encode = 1", 0),
  ev("return tostring(getmetatable('') ~= nil)", 0),
  ev('return type(print)', 0),
  ev('return type(loadfile)', 0),
  ev('return type(dofile)', 0),
  ev('return type(os)', 0),
  ev('return type(debug)', 0),
  ev('return redis.foo', 0),
  ev('local t = {} for k in pairs(_G) do t[#t+1]=k end table.sort(t) return t', 0),
  ev('local t = {} for k in pairs(redis) do t[#t+1]=k end table.sort(t) return t', 0),
  ev("return redis.sha1hex('')", 0),
  ev("return redis.sha1hex('Pizza & Mandolino')", 0),
  ev('return redis.sha1hex()', 0),
  ev('return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}', 0),
  ev('return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}', 0),
  ev('return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}', 0),
  ev("redis.log(redis.LOG_WARNING, 'from a script', 1, 2)", 0),
  ev('redis.log(redis.LOG_WARNING)', 0),
  ev("redis.log('x', 'y')", 0),
  ev("redis.log(7, 'y')", 0),
  ev('return redis.replicate_commands()', 0),
  ev('return redis.breakpoint()', 0),
  ev('return redis.debug("x")', 0),
  ev('redis.set_repl(redis.REPL_ALL); return 1', 0),
  ev('redis.set_repl(12)', 0),
  ev('redis.set_repl()', 0),
  ev("return redis.acl_check_cmd('set', 'x', 'y')", 0),
  ev("return redis.acl_check_cmd('nosuch')", 0),
  ev('return redis.acl_check_cmd()', 0),
  ev("return loadstring('return 1')()", 0),
  ev("return loadstring(string.char(27) .. 'Lua')", 0),
  ev('return KEYS', 2, 'a', 'b', 'c', 'd'),
  ev('return ARGV', 2, 'a', 'b', 'c', 'd'),
  ev('return {#KEYS, #ARGV}', 0),
  ev('return 1', -1),
  ev('return 1', 2, 'a'),
  ev('return 1', 'x'),
  ev('x = ', 0),
  ev('return 1'),
  ['EVAL'],
  ['EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', 0],
  ['EVALSHA', 'fff', 0],
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 0],
  ev('return 1', 0),
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 0],
  ['EVALSHA', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB', 0],
  ['EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 0],
  ['EVAL_RO', "return redis.call('set', 'x', 1)", 0],
  ['EVAL_RO', "return redis.call('get', 'mykey')", 0],
  ['EVAL_RO', "return redis.pcall('publish', 'ch', 'm')", 0],
  ev("return redis.call('select', 1)", 0),
  ev("redis.call('select', 1); redis.call('set', 'indb1', 'v'); return redis.call('get', 'indb1')", 0),
  ['GET', 'indb1'],
  ['SELECT', 1],
  ['GET', 'indb1'],
  ev("return redis.call('get', 'indb1')", 0),
  ['SELECT', 0],
  ev("return redis.call('blpop', 'emptylist', 0)", 0),
  ev("return redis.pcall('xread', 'BLOCK', 0, 'STREAMS', 's', '$')", 0),
  ev("return redis.pcall('subscribe', 'ch')", 0),
  ev("return redis.pcall('multi')", 0),
  ev("return redis.pcall('script', 'load', 'return 1')", 0),
  ev("return redis.pcall('function', 'flush')", 0),
  ev("return redis.pcall('ping')", 0),
  ev("return redis.pcall('hello')", 0),
];

/** Shebangs and flags. */
const SHEBANG: Args[] = [
  ev("#!lua\nreturn redis.call('set', 'x', 1)", 0),
  ev("#!lua flags=no-writes\nreturn redis.call('set', 'x', 1)", 0),
  ev("#!lua flags=no-writes\nreturn redis.call('get', 'x')", 0),
  ev('#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1', 0),
  ev('#!lua flags=foo\nreturn 1', 0),
  ev('#!lua foo=bar\nreturn 1', 0),
  ev('#!py\nreturn 1', 0),
  ev('#!lua flags=\nreturn 1', 0),
  ev('#!lua', 0),
  ev('#!lua name=x\nreturn 1', 0),
  ev('#!lua\nreturn error("line two")', 0),
  ['EVAL_RO', '#!lua\nreturn 1', 0],
  ['EVAL_RO', '#!lua flags=no-writes\nreturn 1', 0],
  ['SCRIPT', 'LOAD', '#!lua flags=bad\nreturn 1'],
];

const SCRIPT_CMDS: Args[] = [
  ['SCRIPT', 'LOAD', 'return 1'],
  ['SCRIPT', 'LOAD', 'return 2'],
  ['SCRIPT', 'LOAD', 'x ='],
  ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 'ffffffffffffffffffffffffffffffffffffffff'],
  ['SCRIPT', 'EXISTS', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB'],
  ['SCRIPT', 'EXISTS'],
  ['SCRIPT', 'KILL'],
  ['SCRIPT', 'FLUSH', 'NOW'],
  ['SCRIPT', 'FLUSH', 'ASYNC', 'X'],
  ['SCRIPT', 'FLUSH', 'SYNC'],
  ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'],
  ['SCRIPT', 'LOAD', 'return 1'],
  ['SCRIPT', 'FLUSH'],
  ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'],
  ['SCRIPT', 'HELP'],
  ['SCRIPT', 'NOSUCH'],
  ['SCRIPT'],
];

const LIB = "#!lua name=mylib\nredis.register_function('f1', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n" +
  "redis.register_function{function_name='ro', callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}\n" +
  "redis.register_function('fail', function() return redis.call('nosuch') end)\n" +
  "redis.register_function('boom', function() local t = nil; return t.x end)";

/** A library of one function: FUNCTION LIST shows a library's functions in Redis's dict order, random per process. */
const LIB1 = "#!lua name=lib1\nredis.register_function{function_name='only', callback=function() return 1 end, flags={'no-writes', 'allow-stale'}, description='the one'}";

const FUNCTION_CMDS: Args[] = [
  ['FUNCTION', 'LOAD', LIB1],
  ['FUNCTION', 'LIST'],
  ['FUNCTION', 'LIST', 'WITHCODE'],
  ['FUNCTION', 'LIST', 'LIBRARYNAME', 'lib*'],
  ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'lib*'],
  ['FUNCTION', 'DELETE', 'lib1'],
  ['FUNCTION', 'LOAD', LIB],
  ['FUNCTION', 'LOAD', LIB],
  ['FUNCTION', 'LOAD', 'REPLACE', LIB],
  ['FUNCTION', 'LIST', 'LIBRARYNAME', 'nomatch*'],
  ['FUNCTION', 'LIST', 'LIBRARYNAME'],
  ['FUNCTION', 'LIST', 'BAD'],
  ['FCALL', 'f1', 1, 'k', 'v'],
  ['FCALL', 'F1', 1, 'k', 'v2'],
  ['FCALL_RO', 'ro', 1, 'k'],
  ['FCALL_RO', 'f1', 1, 'k', 'v'],
  ['FCALL', 'fail', 0],
  ['FCALL', 'boom', 0],
  ['FCALL', 'nosuch', 0],
  ['FCALL', 'f1', 'x'],
  ['FCALL', 'f1', 5, 'a'],
  ['FCALL', 'f1', -1],
  ['FUNCTION', 'STATS'],
  ['FUNCTION', 'KILL'],
  ['FUNCTION', 'LOAD', 'return 1'],
  ['FUNCTION', 'LOAD', '#!lua'],
  ['FUNCTION', 'LOAD', '#!lua name=x'],
  ['FUNCTION', 'LOAD', '#!py name=x\n'],
  ['FUNCTION', 'LOAD', '#!lua name=x foo=bar\n'],
  ['FUNCTION', 'LOAD', '#!lua name=x name=y\n'],
  ['FUNCTION', 'LOAD', '#!lua name=bad-name\n'],
  ['FUNCTION', 'LOAD', '#!lua name=x\nlocal a = 1'],
  ['FUNCTION', 'LOAD', '#!lua name=x\nx ='],
  ['FUNCTION', 'LOAD', "#!lua name=x\nlocal s = string.len('a')"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function('f', function() return 1 end)\nredis.register_function('f', function() return 1 end)"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function('f-x', function() return 1 end)"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function('f')"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function('f', 1)"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function{function_name='f', callback=function() end, flags={'bad'}}"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function{function_name='f', callback=function() end, foo=1}"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function{callback=function() end}"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function{function_name='f'}"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nredis.register_function()"],
  ['FUNCTION', 'LOAD', "#!lua name=x\nreturn redis.call('ping')"],
  ['FUNCTION', 'LOAD', "#!lua name=other\nredis.register_function('f1', function() return 1 end)"],
  ['FUNCTION', 'LOAD', 'BAD', LIB],
  ['FUNCTION', 'LOAD'],
  ['FUNCTION', 'DELETE', 'nosuch'],
  ['FUNCTION', 'DELETE', 'mylib'],
  ['FCALL', 'f1', 1, 'k', 'v'],
  ['FUNCTION', 'FLUSH', 'BAD'],
  ['FUNCTION', 'FLUSH', 'SYNC', 'X'],
  ['FUNCTION', 'FLUSH', 'ASYNC'],
  ['FUNCTION', 'HELP'],
  ['FUNCTION', 'RESTORE', 'garbage'],
  ['FUNCTION', 'RESTORE', 'x', 'BAD'],
  ['FUNCTION', 'RESTORE', 'x', 'FLUSH', 'X'],
];

async function corpus(cmds: Args[]): Promise<void> {
  await pair.checkAll(cmds);
  await pair.both('FLUSHALL');
  await pair.both('SCRIPT', 'FLUSH');
  await pair.both('FUNCTION', 'FLUSH');
  await pair.resp(3);
  await pair.checkAll(cmds);
}

test('EVAL: Lua -> Redis conversions, RESP2 and RESP3', { skip }, async () => {
  await corpus(LUA_TO_REDIS);
});

test('EVAL: Redis -> Lua conversions, RESP2 and RESP3 (setresp)', { skip }, async () => {
  await corpus(REDIS_TO_LUA);
});

test('EVAL: redis.* API, script-call rules and their errors, globals protection, SELECT inside', { skip }, async () => {
  await corpus(API_AND_ERRORS);
});

test('EVAL: shebang flags', { skip }, async () => {
  await corpus(SHEBANG);
});

test('SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP', { skip }, async () => {
  await corpus(SCRIPT_CMDS);
});

test('FUNCTION LOAD/LIST/DELETE/FLUSH/STATS/KILL/HELP, FCALL, FCALL_RO and their errors', { skip }, async () => {
  await corpus(FUNCTION_CMDS);
});

test('FUNCTION DUMP payloads are byte for byte Redis\'s; RESTORE policies', { skip }, async () => {
  await pair.check('FUNCTION', 'LOAD', LIB);
  const [a, b] = await pair.both('FUNCTION', 'DUMP');
  assert.equal(a, b);
  const payload = Buffer.from(a.slice(a.indexOf('\r\n') + 2, -2), 'latin1');
  await pair.checkAll([
    ['FUNCTION', 'RESTORE', payload],
    ['FUNCTION', 'RESTORE', payload, 'APPEND'],
    ['FUNCTION', 'RESTORE', payload, 'REPLACE'],
    ['FUNCTION', 'FLUSH'],
    ['FUNCTION', 'RESTORE', payload],
    ['FCALL', 'f1', 1, 'k', 'v'],
    ['FUNCTION', 'LOAD', "#!lua name=other\nredis.register_function('f1', function() return 1 end)"],
    ['FUNCTION', 'DELETE', 'mylib'],
    ['FUNCTION', 'LOAD', "#!lua name=other\nredis.register_function('f1', function() return 1 end)"],
    ['FUNCTION', 'RESTORE', payload, 'REPLACE'],
    ['FUNCTION', 'RESTORE', payload, 'FLUSH'],
    ['FCALL_RO', 'ro', 1, 'k'],
    ['FUNCTION', 'RESTORE', Buffer.concat([payload.subarray(0, payload.length - 1), Buffer.from([payload[payload.length - 1] ^ 1])])],
  ]);
});

test('INFO counts cached scripts, functions and libraries; commandstats count the inner commands', { skip }, async () => {
  await pair.both('CONFIG', 'RESETSTAT');
  await pair.checkAll([
    ev("redis.call('set', 'a', 1); redis.call('get', 'a'); return redis.pcall('incr', 'nokeyhere')", 0),
    ev('return 2', 0),
    ['SCRIPT', 'LOAD', 'return 3'],
    ['FUNCTION', 'LOAD', LIB],
    ['FCALL', 'f1', 1, 'k', 'v'],
    ev("return redis.call('nosuch')", 0),
    ev("return redis.pcall('get')", 0),
  ]);
  const field = (info: string, name: string) => info.match(new RegExp(`^${name}:(.*)\\r$`, 'm'))?.[1];
  const [mi, ri] = await pair.both('INFO', 'MEMORY');
  for (const f of ['number_of_cached_scripts', 'number_of_functions', 'number_of_libraries']) assert.equal(field(mi, f), field(ri, f), f);
  const [ms, rs] = await pair.both('INFO', 'COMMANDSTATS');
  const stats = (s: string) =>
    s
      .split('\r\n')
      .filter((l) => l.startsWith('cmdstat_'))
      .map((l) => l.replace(/usec=[^,]*,usec_per_call=[^,]*,/, ''))
      .sort();
  assert.deepEqual(stats(ms), stats(rs));
  const [me, re] = await pair.both('INFO', 'ERRORSTATS');
  assert.equal(me.replace(/^\$\d+\r\n/, ''), re.replace(/^\$\d+\r\n/, ''));
});

test('MULTI/EXEC containing EVAL and FCALL', { skip }, async () => {
  await pair.check('FUNCTION', 'LOAD', LIB);
  await pair.checkAll([
    ['MULTI'],
    ev("return redis.call('incr', 'c')", 0),
    ['FCALL', 'f1', 1, 'k', 'v'],
    ev('return error("in exec")', 0),
    ['GET', 'c'],
    ['EXEC'],
  ]);
});
