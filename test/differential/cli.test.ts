// spinel-cli against the reference redis-cli 7.2: the same commands, sent by
// both tools to the same server (the reference Redis, then Spinel), must
// print the same bytes, in every output mode (raw for a pipe, the TTY form
// under FAKETTY and under a real pseudo-terminal, --no-raw, --csv, --json,
// --quoted-json), in RESP2 and RESP3, one-shot and at the prompt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis, startSpinel, referenceMissing, type Running } from '../helpers/servers.js';
import { run, referenceTool, SPINEL_CLI, asSpinel, havePty, type RunOptions, type TtyMode } from '../helpers/cli.js';

const skip = referenceMissing() || (referenceTool('redis-cli') === null ? 'redis-cli not found next to redis-server' : false);
const REDIS_CLI = referenceTool('redis-cli')!;

let redis: Running;
let spinel: Running;
before(async () => {
  if (skip) return;
  [redis, spinel] = await Promise.all([startRedis(), startSpinel({ 'enable-debug-command': 'yes' })]);
});
after(async () => {
  if (skip) return;
  await Promise.all([redis.close(), spinel.close()]);
});

/** Lines typed at the prompt: data set up first, then a reply of every kind. */
const SETUP = [
  'FLUSHALL',
  'SET s hello',
  'SET bin "a\\x00b\\xff\\r\\n\\t\\"q\\\\ end"',
  'SET utf8 "caf\\xc3\\xa9 \\xe2\\x82\\xac"',
  'SET num 42',
  'RPUSH l a b c "" "sp ace"',
  'RPUSH big 1 2 3 4 5 6 7 8 9 10 11 12',
  'HSET h f1 v1 f2 v2 n 12',
  'SADD st x y z',
  'SADD ints 3 1 2',
  'ZADD z 1 a 2.5 b 3 c',
  'XADD xs 1-1 f v g w',
  'XADD xs 2-1 f2 v2',
  'XADD xs 3-1 a 1 b 2 c 3 d 4 e 5 f 6',
];

const CORPUS = [
  'PING',
  'PING "with arg"',
  'ECHO ""',
  'GET s',
  'GET bin',
  'GET utf8',
  'GET nokey',
  'INCR counter',
  'INCRBYFLOAT f 1.5',
  'STRLEN bin',
  'MGET s nokey num',
  'LRANGE l 0 -1',
  'LRANGE big 0 -1',
  'LRANGE nolist 0 -1',
  'LPOS l b',
  'HGETALL h',
  'HGETALL nokey',
  'HMGET h f1 nof n',
  'SMEMBERS ints',
  'SMEMBERS nokey',
  'SISMEMBER st x',
  'ZRANGE z 0 -1 WITHSCORES',
  'ZSCORE z b',
  'ZSCORE z nomember',
  'ZINCRBY z 0.25 a',
  'ZRANGE z 0 -1 WITHSCORES',
  'XRANGE xs - +',
  'XREAD STREAMS xs 0',
  'XREAD COUNT 1 STREAMS xs nokey 0 0',
  'CONFIG GET maxmemory',
  'CONFIG GET nonexistent*',
  'OBJECT ENCODING l',
  'TYPE h',
  'EXISTS s nokey',
  'LPUSH s x',
  'FOOBAR a b',
  'GET',
  'COMMAND INFO get',
  'COMMAND DOCS lpos',
  'DEBUG PROTOCOL string',
  'DEBUG PROTOCOL integer',
  'DEBUG PROTOCOL double',
  'DEBUG PROTOCOL null',
  'DEBUG PROTOCOL array',
  'DEBUG PROTOCOL set',
  'DEBUG PROTOCOL map',
  'DEBUG PROTOCOL verbatim',
  'DEBUG PROTOCOL true',
  'DEBUG PROTOCOL false',
  'DEBUG PROTOCOL push',
  'PING',
  'SELECT 3',
  'GET s',
  'SELECT 0',
  '3 INCR counter',
  '0 PING',
  'set a "b',
  'get ""key',
  'help get',
  'help @hyperloglog',
  'help',
  ':set hints',
  ':bogus',
  'restart',
  'CLIENT SETNAME cli-test',
  'CLIENT GETNAME',
];

const MODES: { name: string; args: string[]; tty: TtyMode }[] = [
  { name: 'raw', args: [], tty: 'pipe' },
  { name: 'tty', args: [], tty: 'fake' },
  { name: '--no-raw', args: ['--no-raw'], tty: 'pipe' },
  { name: '--raw on a tty', args: ['--raw'], tty: 'fake' },
  { name: '--csv', args: ['--csv'], tty: 'pipe' },
  { name: '--json', args: ['--json'], tty: 'pipe' },
  { name: '--quoted-json', args: ['--quoted-json'], tty: 'pipe' },
  { name: '-d and -D', args: ['-d', '<d>', '-D', '<D>\n'], tty: 'pipe' },
];

async function both(port: number, args: string[], opts: RunOptions = {}): Promise<void> {
  const argv = ['-p', String(port), ...args];
  const ref = await run(REDIS_CLI, argv, opts);
  const ours = await run(SPINEL_CLI, argv, opts);
  const what = `${JSON.stringify(args)} tty=${opts.tty ?? 'pipe'} input=${JSON.stringify(String(opts.input ?? '').slice(0, 80))}`;
  assert.equal(ours.stdout, asSpinel(ref.stdout), `stdout of ${what}`);
  assert.equal(ours.stderr, asSpinel(ref.stderr), `stderr of ${what}`);
  assert.equal(ours.code, ref.code, `exit code of ${what}`);
}

const input = [...SETUP, ...CORPUS].join('\n') + '\n';

for (const target of ['redis', 'spinel'] as const) {
  const port = (): number => (target === 'redis' ? redis.port : spinel.port);
  for (const resp of [2, 3]) {
    for (const m of MODES) {
      test(`prompt on ${target}, RESP${resp}, ${m.name}: ${SETUP.length + CORPUS.length} lines`, { skip }, async () => {
        await both(port(), [...(resp === 3 ? ['-3'] : []), ...m.args], { input, tty: m.tty });
      });
    }
  }
}

/** One-shot commands: arguments on the command line. */
const ONE_SHOT: string[][] = [
  ['GET', 's'],
  ['GET', 'bin'],
  ['LRANGE', 'l', '0', '-1'],
  ['HGETALL', 'h'],
  ['-3', 'HGETALL', 'h'],
  ['-3', 'SMEMBERS', 'ints'],
  ['-3', 'ZSCORE', 'z', 'b'],
  ['XRANGE', 'xs', '-', '+'],
  ['-3', 'XREAD', 'STREAMS', 'xs', '0'],
  ['GET', 'nokey'],
  ['FOOBAR'],
  ['-e', 'FOOBAR'],
  ['-e', 'GET', 's'],
  ['-r', '3', 'LLEN', 'l'],
  ['-r', '2', '-d', ',', 'LRANGE', 'l', '0', '1'],
  ['-r', '2', '-i', '0.05', 'PING'],
  ['-n', '2', 'SET', 'dbkey', 'v'],
  ['-n', '99', 'PING'],
  ['-3', 'DEBUG', 'PROTOCOL', 'bignum'],
  ['-3', 'DEBUG', 'PROTOCOL', 'attrib'],
  ['-3', 'DEBUG', 'PROTOCOL', 'push'],
  ['-3', 'DEBUG', 'PROTOCOL', 'map'],
  ['-3', 'DEBUG', 'PROTOCOL', 'verbatim'],
  ['--quoted-input', 'GET', '"\\x73"'],
  ['--quoted-input', 'SET', '"Unterminated'],
  ['--quoted-input', 'GET', ''],
  ['--json', 'HGETALL', 'h'],
  ['--quoted-json', 'GET', 'bin'],
  ['--csv', 'MGET', 's', 'nokey'],
  ['-a', 'secret', 'PING'],
  ['-a', 'secret', '--no-auth-warning', 'PING'],
  ['--user', 'u', '-a', 'p', 'PING'],
  ['-2', '--json', 'HGETALL', 'h'],
  ['HELP', 'SET'],
  ['HELP'],
  ['INFO', 'keyspace'],
];

for (const target of ['redis', 'spinel'] as const) {
  const port = (): number => (target === 'redis' ? redis.port : spinel.port);
  for (const tty of ['pipe', 'fake', 'pty'] as const) {
    test(`one-shot commands on ${target}, stdout ${tty}: ${ONE_SHOT.length} cases`, { skip: skip || (tty === 'pty' && !havePty() ? 'no `script` for a pseudo-terminal' : false) }, async () => {
      await run(SPINEL_CLI, ['-p', String(port())], { input: SETUP.join('\n') + '\n' });
      for (const args of ONE_SHOT) await both(port(), args, { tty });
    });
  }
}

test('-x, -X, stdin and their errors', { skip }, async () => {
  for (const port of [redis.port, spinel.port]) {
    await both(port, ['-x', 'SET', 'fromstdin'], { input: 'line one\nline two\n' });
    await both(port, ['GET', 'fromstdin']);
    await both(port, ['-X', 'TAG', 'SET', 'tagged', 'TAG'], { input: 'bytes\x00\xff' });
    await both(port, ['GET', 'tagged']);
    await both(port, ['-X', 'TAG', 'SET', 'tagged', 'OTHER'], { input: 'x' });
    await both(port, ['-x', '-X', 'T', 'GET', 'k']);
    await both(port, ['-X']);
  }
});

test('options: help, version, usage errors, URIs, connection failures', { skip }, async () => {
  const p = String(redis.port);
  const cases: string[][] = [
    ['--help'],
    ['-h'],
    ['--version'],
    ['-v'],
    ['--bogus'],
    ['-p'],
    ['-p', '99999', 'PING'],
    ['-p', '-1', 'PING'],
    ['-c', '-s', '/tmp/x.sock', 'PING'],
    ['-2', '-3', 'PING'],
    ['--ldb'],
    ['--rdb', 'a', '--functions-rdb', 'b'],
    ['--show-pushes', 'maybe', '-p', p, 'PING'],
    ['-u', 'http://x', 'PING'],
    ['-u', `redis://127.0.0.1:${p}/2`, 'CLIENT', 'INFO'],
    ['-u', `redis://:pw@127.0.0.1:${p}`, 'PING'],
    ['-u', `redis://u%41:p%zz@127.0.0.1:${p}`, 'PING'],
    ['-u', `redis://u:p%4@127.0.0.1:${p}`, 'PING'],
    ['-p', '1', 'PING'],
    ['-s', '/nonexistent/socket', 'PING'],
    ['--scan', '--quoted-pattern', '"unterminated'],
    ['--cluster'],
    ['--cluster', 'help'],
    ['--cluster', 'nosuch'],
    ['--cluster', 'create', '127.0.0.1:1'],
    ['--cluster', 'info', 'nohostport'],
    ['--cluster', 'info', `127.0.0.1:${p}`],
    ['--cluster', 'import', `127.0.0.1:${p}`],
  ];
  for (const args of cases) {
    const ref = await run(REDIS_CLI, args);
    const ours = await run(SPINEL_CLI, args);
    // CLIENT INFO carries connection ids and addresses: compare its shape.
    const norm = (s: string): string => s.replace(/id=\d+ addr=\S+ laddr=\S+ fd=\d+/, 'id=N').replace(/age=\d+ idle=\d+/, '').replace(/qbuf=\d+ qbuf-free=\d+ argv-mem=\d+/, '').replace(/tot-mem=\d+/, '').replace(/rbs=\d+ rbp=\d+/, '');
    const what = JSON.stringify(args);
    assert.equal(norm(ours.stdout), norm(asSpinel(ref.stdout)), `stdout of ${what}`);
    // argv[0] appears in one message.
    assert.equal(ours.stderr, asSpinel(ref.stderr).replace(REDIS_CLI.replace('redis-cli', 'spinel-cli'), 'spinel-cli'), `stderr of ${what}`);
    assert.equal(ours.code, ref.code, `exit code of ${what}`);
  }
});

test('command hints: the reference test suite, with and without a server', { skip }, async () => {
  const suite = new URL('../../../../shared/redis-7.2.6/tests/assets/test_cli_hint_suite.txt', import.meta.url).pathname;
  const fs = await import('node:fs');
  const file = fs.existsSync(suite) ? suite : null;
  if (file === null) return;
  for (const port of [String(redis.port), '1']) {
    const r = await run(SPINEL_CLI, ['-p', port, '--test_hint_file', file]);
    assert.match(r.stdout, /^SUCCESS: \d+\/\d+ passed\n$/, r.stdout);
  }
});

/** Kills a streaming client (MONITOR, SUBSCRIBE) from another connection once it has seen some traffic. */
async function streaming(port: number, bin: string, args: string[], traffic: string[][], killType: string, tty: TtyMode): Promise<string> {
  const child = run(bin, ['-p', String(port), ...args], { tty, timeoutMs: 60000 });
  // Traffic starts once the streaming client's command has run (its name is in CLIENT LIST).
  const cmd = args.find((a) => /^(MONITOR|P?SUBSCRIBE)$/.test(a))!.toLowerCase();
  for (let i = 0; i < 600; i++) {
    const list = (await run(SPINEL_CLI, ['-p', String(port), 'CLIENT', 'LIST'])).stdout;
    if (list.includes(`cmd=${cmd} `)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const cmd of traffic) await run(SPINEL_CLI, ['-p', String(port), ...cmd]);
  await new Promise((r) => setTimeout(r, 300));
  await run(SPINEL_CLI, ['-p', String(port), 'CLIENT', 'KILL', 'TYPE', killType]);
  const r = await child;
  return `${r.stdout}|${r.stderr}|${r.code}`;
}

test('MONITOR and SUBSCRIBE stream until the server closes the connection', { skip }, async () => {
  // MONITOR lines carry a timestamp and the client's address.
  const norm = (s: string): string => s.replace(/\d+\.\d+ \[(\d+) [^\]]+\]/g, 'T [$1 addr]');
  const traffic = [['SET', 'mon', 'v a l'], ['GET', 'mon']];
  for (const port of [redis.port, spinel.port]) {
    for (const tty of ['pipe', 'fake'] as const) {
      const ref = await streaming(port, REDIS_CLI, ['MONITOR'], traffic, 'normal', tty);
      const ours = await streaming(port, SPINEL_CLI, ['MONITOR'], traffic, 'normal', tty);
      assert.equal(norm(ours), norm(asSpinel(ref)), `MONITOR, stdout ${tty}`);
    }
  }
  // Spinel has no pub/sub yet: against the reference only.
  const pub = [['PUBLISH', 'ch1', 'hello'], ['PUBLISH', 'other', 'x'], ['PUBLISH', 'ch2', 'wor ld']];
  for (const args of [['SUBSCRIBE', 'ch1', 'ch2'], ['-3', 'SUBSCRIBE', 'ch1', 'ch2'], ['PSUBSCRIBE', 'ch*']]) {
    for (const tty of ['pipe', 'fake'] as const) {
      const ref = await streaming(redis.port, REDIS_CLI, args, pub, 'pubsub', tty);
      const ours = await streaming(redis.port, SPINEL_CLI, args, pub, 'pubsub', tty);
      assert.equal(ours, asSpinel(ref), `${args.join(' ')}, stdout ${tty}`);
    }
  }
});

test('hints agree with redis-cli --test_hint on random partial command lines', { skip }, async () => {
  const { Connection } = await import('../../src/cli/connection.js');
  const help = await import('../../src/cli/help.js');
  const conn = await Connection.open({ host: '127.0.0.1', port: redis.port, socket: null, family: 0, timeoutMs: 0, tls: null });
  const docs = await conn.command('COMMAND', 'DOCS');
  conn.close();
  const entries = help.entriesFromDocs(docs);
  help.setEntries(entries);
  let seed = 2024;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const values: Record<string, string[]> = { integer: ['12', 'x', '-3'], double: ['1.5', 'abc'], 'unix-time': ['100'], key: ['k'], string: ['s', 'GET'], pattern: ['p*'] };
  type Arg = import('../../src/cli/help.js').ArgSpec;
  const words = (args: Arg[], out: string[]): void => {
    for (const a of args) {
      if (a.optional && rnd(2)) continue;
      const reps = a.multiple ? 1 + rnd(3) : 1;
      for (let r = 0; r < reps; r++) {
        if (a.token !== null && (r === 0 || a.multipleToken)) out.push(a.token === '' ? '""' : rnd(2) ? a.token : a.token.toLowerCase());
        if (a.type === 'oneof') words([{ ...a.subargs![rnd(a.subargs!.length)], optional: false }], out);
        else if (a.type === 'block') words(a.subargs!, out);
        else if (a.type !== 'pure-token') {
          const v = values[a.type] ?? ['v'];
          out.push(v[rnd(v.length)]);
        }
      }
    }
  };
  const commands = entries.filter((e) => !e.isGroup && e.docs!.args);
  const inputs = new Set<string>();
  while (inputs.size < 250) {
    const e = commands[rnd(commands.length)];
    const w = [...e.argv];
    words(e.docs!.args!, w);
    if (rnd(5) === 0) w.push('junk');
    const cut = e.argv.length + rnd(w.length - e.argv.length + 1);
    let line = w.slice(0, cut).join(' ');
    if (rnd(3)) line += ' ';
    else if (cut < w.length) line += ' ' + w[cut].slice(0, 1 + rnd(w[cut].length));
    inputs.add(line);
  }
  for (const line of inputs) {
    const r = await run(REDIS_CLI, ['-p', String(redis.port), '--test_hint', line]);
    // redis-cli crashes (status 139) where it has no hint at all.
    const expected = r.code === 0 ? r.stdout.replace(/\n$/, '') : null;
    const ours = help.hintForInput(line);
    assert.equal(ours === '' && expected === null ? null : ours, expected, JSON.stringify(line));
  }
});
