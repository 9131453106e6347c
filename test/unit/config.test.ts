import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Config } from '../../src/config/config.js';
import { PARAMS } from '../../src/config/params.js';
import {
  ConfigLoadError,
  emptyExtras,
  loadServerConfig,
  loadServerConfigFromString,
  parseCommandLine,
} from '../../src/config/parse.js';
import { memtoull, formatMemory, formatPercentile } from '../../src/config/values.js';
import { rewriteConfigContent } from '../../src/config/rewrite.js';

function load(text: string): Config {
  const cfg = new Config();
  loadServerConfigFromString(cfg, emptyExtras(), text);
  return cfg;
}

function loadErr(text: string): string {
  try {
    load(text);
  } catch (e) {
    assert.ok(e instanceof ConfigLoadError);
    return e.stderr ?? e.log ?? '';
  }
  assert.fail('expected a config error');
}

function get(cfg: Config, name: string): string {
  return cfg.format(cfg.param(name)!);
}

test('memtoull units as Redis', () => {
  assert.equal(memtoull('1024'), 1024n);
  assert.equal(memtoull('5k'), 5000n);
  assert.equal(memtoull('5kb'), 5120n);
  assert.equal(memtoull('100MB'), 104857600n);
  assert.equal(memtoull('1Gb'), 1073741824n);
  assert.equal(memtoull('1g'), 1000000000n);
  assert.equal(memtoull('7b'), 7n);
  assert.equal(memtoull(''), 0n);
  assert.equal(memtoull('-1'), null);
  assert.equal(memtoull('1x'), null);
  assert.equal(memtoull('1.5mb'), null);
  assert.equal(memtoull('18446744073709551615'), 18446744073709551615n);
  assert.equal(memtoull('18446744073709551616'), null);
  assert.equal(memtoull('17179869184gb'), null);
  assert.equal(formatMemory(1073741824), '1gb');
  assert.equal(formatMemory(3 * 1048576), '3mb');
  assert.equal(formatMemory(2048), '2kb');
  assert.equal(formatMemory(2000), '2000');
  assert.equal(formatMemory(0), '0');
  assert.equal(formatPercentile(99.123456789), '99.123457');
  assert.equal(formatPercentile(50), '50');
  assert.equal(formatPercentile(99.9), '99.9');
});

test('every parameter has a unique name and alias', () => {
  const seen = new Set<string>();
  for (const p of PARAMS) {
    for (const n of [p.name, ...(p.aliases ?? [])]) {
      assert.ok(!seen.has(n), n);
      seen.add(n);
    }
  }
  assert.ok(seen.has('locale-collate') && seen.has('slaveof') && seen.has('set-max-listpack-entries'));
});

test('defaults formatted as CONFIG GET prints them', () => {
  const cfg = new Config();
  assert.equal(get(cfg, 'save'), '3600 1 300 100 60 10000');
  assert.equal(get(cfg, 'bind'), '127.0.0.1 -::1');
  assert.equal(get(cfg, 'client-output-buffer-limit'), 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
  assert.equal(get(cfg, 'proto-max-bulk-len'), '536870912');
  assert.equal(get(cfg, 'oom-score-adj-values'), '0 200 800');
  assert.equal(get(cfg, 'latency-tracking-info-percentiles'), '50 99 99.9');
  assert.equal(get(cfg, 'appendonly'), 'no');
  assert.equal(get(cfg, 'loglevel'), 'notice');
  assert.equal(get(cfg, 'unixsocketperm'), '0');
  assert.equal(get(cfg, 'shutdown-on-sigterm'), 'default');
  assert.equal(get(cfg, 'replicaof'), '');
  assert.equal(get(cfg, 'notify-keyspace-events'), '');
});

test('file parsing: comments, quotes, units, yes/no, case, aliases', () => {
  const cfg = load(
    [
      '# a comment',
      '   ',
      'PORT 7001',
      '  maxmemory 100MB  ',
      'appendonly YES',
      'slave-read-only no',
      'requirepass "p a\\x41ss"',
      "masterauth 'it''s'".replace("''", "\\'"),
      'maxmemory-clients 10%',
      'notify-keyspace-events KEA',
      'loglevel nothing',
      'unixsocketperm 755',
      'client-output-buffer-limit pubsub 1mb 2mb 30',
      'client-output-buffer-limit "replica 1gb 0 0"',
      'oom-score-adj relative',
      'shutdown-on-sigterm nosave now',
      'replicaof 10.0.0.1 7000',
      'list-max-ziplist-entries 512',
    ].join('\n'),
  );
  assert.equal(cfg.num('port'), 7001);
  assert.equal(cfg.num('maxmemory'), 104857600);
  assert.equal(cfg.bool('appendonly'), true);
  assert.equal(cfg.bool('replica-read-only'), false);
  assert.equal(cfg.str('requirepass'), 'p aAss');
  assert.equal(cfg.str('masterauth'), "it's");
  assert.equal(get(cfg, 'maxmemory-clients'), '10%');
  assert.equal(get(cfg, 'notify-keyspace-events'), 'AKE');
  assert.equal(cfg.str('loglevel'), 'nothing');
  assert.equal(get(cfg, 'unixsocketperm'), '755');
  assert.equal(cfg.num('unixsocketperm'), 0o755);
  assert.equal(get(cfg, 'client-output-buffer-limit'), 'normal 0 0 0 slave 1073741824 0 0 pubsub 1048576 2097152 30');
  assert.equal(get(cfg, 'oom-score-adj'), 'yes');
  assert.equal(get(cfg, 'shutdown-on-sigterm'), 'nosave now');
  assert.equal(get(cfg, 'replicaof'), '10.0.0.1 7000');
});

test('save lines accumulate, save "" clears, defaults kept without save lines', () => {
  assert.equal(get(load('port 1\n'), 'save'), '3600 1 300 100 60 10000');
  assert.equal(get(load('save 900 1\nsave 300 10\n'), 'save'), '900 1 300 10');
  assert.equal(get(load('save 900 1\nsave ""\n'), 'save'), '');
  assert.equal(get(load('save ""\nsave 60 5\n'), 'save'), '60 5');
  assert.equal(get(load('save "900 1 300 10"\n'), 'save'), '900 1 300 10');
  assert.equal(get(load('save 900 1 300 10\n'), 'save'), '900 1 300 10');
});

test('fatal errors with Redis report text', () => {
  assert.equal(
    loadErr('port 7000\nfoo bar\n'),
    "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.6) ***\nReading the configuration file, at line 2\n>>> 'foo bar'\nBad directive or wrong number of arguments\n",
  );
  assert.match(loadErr('port abc'), />>> 'port abc'\nargument couldn't be parsed into an integer\n$/);
  assert.match(loadErr('port 70000'), /argument must be between 0 and 65535 inclusive\n$/);
  assert.match(loadErr('save "a'), /at line 1\n>>> 'save "a'\nUnbalanced quotes in configuration line\n$/);
  assert.match(loadErr('port'), /wrong number of arguments\n$/);
  assert.match(loadErr('port 1 2'), /wrong number of arguments\n$/);
  assert.match(loadErr('appendonly maybe'), /argument must be 'yes' or 'no'\n$/);
  assert.match(loadErr('maxmemory 1x'), /argument must be a memory value\n$/);
  assert.match(loadErr('maxmemory-clients 200%'), /percentage argument must be less or equal to 100\n$/);
  assert.match(loadErr('maxmemory-clients x'), /argument must be a memory or percent value\n$/);
  assert.match(loadErr('loglevel foo'), /argument\(s\) must be one of the following: debug, verbose, notice, warning, nothing\n$/);
  assert.match(loadErr('save 1'), /Invalid save parameters\n$/);
  assert.match(loadErr('save 0 1'), /Invalid save parameters\n$/);
  assert.match(loadErr('unixsocketperm 999'), /argument couldn't be parsed into an integer\n$/);
  assert.match(loadErr('unixsocketperm 1777'), /argument must be between 0 and 777 inclusive\n$/);
  assert.match(loadErr('notify-keyspace-events KEA!'), /Invalid event class character. Use 'Ag\$lshzxeKEtmdn'.\n$/);
  assert.match(loadErr('client-output-buffer-limit foo 1 2 3'), /Invalid client class specified in buffer limit configuration.\n$/);
  assert.match(loadErr('replicaof host 99999'), /Invalid master port\n$/);
  assert.match(loadErr('dbfilename a/b'), /dbfilename can't be a path, just a filename\n$/);
  assert.match(loadErr('oom-score-adj-values 1 2'), /wrong number of arguments\n$/);
  assert.match(loadErr('sentinel monitor x'), /sentinel directive while not in sentinel mode\n$/);
  assert.match(loadErr('\n\n   # c\nhz -1'), /at line 4\n>>> 'hz -1'\n/);
});

test('include files, with wildcards, errors report the included file line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-cfg-'));
  fs.writeFileSync(path.join(dir, 'a.conf'), 'hz 20\n');
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.writeFileSync(path.join(dir, 'conf.d', '1.conf'), 'timeout 5\n');
  fs.writeFileSync(path.join(dir, 'conf.d', '2.conf'), 'timeout 6\n');
  const cfg = load(`include ${dir}/a.conf\ninclude ${dir}/conf.d/*.conf\ninclude ${dir}/none/*.conf\nport 1234`);
  assert.equal(cfg.num('hz'), 20);
  assert.equal(cfg.num('timeout'), 6);
  assert.equal(cfg.num('port'), 1234);
  fs.writeFileSync(path.join(dir, 'bad.conf'), '\nbogus 1\n');
  assert.match(loadErr(`include ${dir}/bad.conf`), /at line 2\n>>> 'bogus 1'\nBad directive/);
  assert.match(loadErr(`include ${dir}/missing.conf`), /Fatal error, can't open config file '.*missing.conf': No such file or directory/);
  fs.rmSync(dir, { recursive: true });
});

test('command line: file, options appended, quoting, --save special cases, stdin', () => {
  assert.deepEqual(parseCommandLine(['-v']).mode, 'version');
  assert.deepEqual(parseCommandLine(['--version']).mode, 'version');
  assert.deepEqual(parseCommandLine(['-h']).mode, 'help');
  let cl = parseCommandLine(['a.conf', '--port', '7000', '--save', '900', '1']);
  assert.equal(cl.configFile, path.resolve('a.conf'));
  assert.equal(cl.options, 'port "7000" \nsave "900" "1" ');
  cl = parseCommandLine(['--save', '--port', '7000']);
  assert.equal(cl.options, 'save ""\nport "7000" ');
  cl = parseCommandLine(['--port', '7000', '--save']);
  assert.equal(cl.options, 'port "7000" \nsave ""');
  cl = parseCommandLine(['--save', '', '--port 7001']);
  assert.equal(cl.options, 'save "" \nport 7001 ');
  cl = parseCommandLine(['-', '--port', '1']);
  assert.equal(cl.fromStdin, true);
  cl = parseCommandLine(['x.conf', '--port', '1', '-']);
  assert.equal(cl.fromStdin, true);
  const cfg = new Config();
  cl = parseCommandLine(['--save', '900', '1', '--port', '7000', '--requirepass', 'a b"c']);
  loadServerConfig(cfg, emptyExtras(), null, null, cl.options);
  assert.equal(get(cfg, 'save'), '900 1');
  assert.equal(cfg.num('port'), 7000);
  assert.equal(cfg.str('requirepass'), 'a b"c');
  // A missing value: Redis reports the option line at line 2 (after the file text).
  try {
    loadServerConfig(new Config(), emptyExtras(), null, null, parseCommandLine(['--port']).options);
    assert.fail('no error');
  } catch (e) {
    assert.equal((e as ConfigLoadError).stderr, "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.6) ***\nReading the configuration file, at line 2\n>>> 'port'\nwrong number of arguments\n");
  }
});

test('rewrite keeps comments and order, replaces in place, appends non-defaults, drops orphans', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-rw-'));
  const file = path.join(dir, 'r.conf');
  fs.writeFileSync(
    file,
    '# my comment\nport 7001\n\nsave 900 1\nsave 300 10\nmaxmemory 100mb\nlist-max-ziplist-size -2\nrename-command FOO BAR\nbad "quote\n',
  );
  const cfg = new Config();
  loadServerConfigFromString(cfg, emptyExtras(), 'port 7001\nsave 900 1\nsave 300 10\nmaxmemory 100mb\n');
  cfg.set('maxmemory', 2 * 1024 * 1024 * 1024);
  cfg.set('timeout', 50);
  cfg.set('save', [[60, 5]]);
  cfg.set('notify-keyspace-events', 1 | 256 | 2); // KxE
  const out = rewriteConfigContent(cfg, file);
  const cwd = process.cwd();
  assert.equal(
    out,
    [
      '# my comment',
      'port 7001',
      '',
      'save 60 5',
      '',
      'maxmemory 2gb',
      'list-max-listpack-size -2',
      'rename-command FOO BAR',
      '# ??? bad "quote',
      '',
      '# Generated by CONFIG REWRITE',
      'timeout 50',
      `dir ${JSON.stringify(cwd)}`,
      'notify-keyspace-events "xKE"',
      'latency-tracking-info-percentiles 50 99 99.9',
      '',
    ].join('\n'),
  );
  // A second rewrite is stable (the signature is not repeated).
  fs.writeFileSync(file, out);
  assert.equal(rewriteConfigContent(cfg, file), out);
  fs.rmSync(dir, { recursive: true });
});
