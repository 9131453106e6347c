// spinel-server as a child process: command line, config file, stdin config,
// fatal config errors, logging, daemonize + pidfile, CONFIG SET port.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'bin', 'spinel-server');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-startup-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

interface Spawned {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function spawnServer(args: string[], stdin?: string): Spawned {
  const child = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: TMP });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  if (stdin !== undefined) child.stdin!.end(stdin);
  else child.stdin!.end();
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

async function connectRetry(port: number, ms = 30000): Promise<RawClient> {
  const t0 = Date.now();
  for (;;) {
    try {
      return await RawClient.connect(port);
    } catch (e) {
      if (Date.now() - t0 > ms) throw e;
      await new Promise((r) => setTimeout(r, 30));
    }
  }
}

function run(args: string[], input?: string) {
  return spawnSync(BIN, args, { encoding: 'latin1', input: input ?? '', cwd: TMP, timeout: 10000 });
}

test('--version and --help', () => {
  const v = run(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^Spinel server v=7.2.6 sha=00000000:0 malloc=libc bits=64 build=\S+\n$/);
  assert.equal(run(['-v']).stdout, v.stdout);
  const h = run(['--help']);
  assert.equal(h.status, 1);
  assert.match(h.stderr, /^Usage: \.\/spinel-server \[\/path\/to\/spinel\.conf\] \[options\] \[-\]\n/);
});

test('fatal config file error: exact report on stderr, exit code 1', () => {
  const f = path.join(TMP, 'bad.conf');
  fs.writeFileSync(f, '# comment\nport 7000\nfoo bar\n');
  const r = run([f]);
  assert.equal(r.status, 1);
  assert.equal(
    r.stderr,
    "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.6) ***\nReading the configuration file, at line 3\n>>> 'foo bar'\nBad directive or wrong number of arguments\n",
  );
  const r2 = run(['--maxmemory', '1x']);
  assert.equal(r2.status, 1);
  assert.equal(
    r2.stderr,
    "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.6) ***\nReading the configuration file, at line 2\n>>> 'maxmemory \"1x\"'\nargument must be a memory value\n",
  );
  const r3 = run([path.join(TMP, 'nope.conf')]);
  assert.equal(r3.status, 1);
  assert.match(r3.stdout, /# Fatal error, can't open config file '.*nope\.conf': No such file or directory\n/);
});

test('no TCP port, or bind with no address, and no unix socket: "Configured to not listen anywhere", exit code 1', () => {
  for (const args of [['--port', '0'], ['--bind', ''], ['--bind']]) {
    const r = run(['--save', '', ...args]);
    assert.equal(r.status, 1, args.join(' '));
    assert.match(r.stdout, /# Configured to not listen anywhere, exiting\.\n$/, args.join(' '));
  }
});

test('config file + command-line overrides + stdin, start-up log lines', async () => {
  const port = await freePort();
  const f = path.join(TMP, 'a.conf');
  fs.writeFileSync(f, `port 1\nhz 20\nmaxmemory 1mb\nsave 900 1\nsave 300 10\n`);
  const s = spawnServer([f, '--port', String(port), '--maxmemory', '2mb', '-'], 'timeout 77\nhz 21\n');
  const c = await connectRetry(port);
  assert.equal(await c.call('CONFIG', 'GET', 'port'), `*2\r\n$4\r\nport\r\n$${String(port).length}\r\n${port}\r\n`);
  assert.equal(await c.call('CONFIG', 'GET', 'maxmemory'), '*2\r\n$9\r\nmaxmemory\r\n$7\r\n2097152\r\n');
  assert.equal(await c.call('CONFIG', 'GET', 'hz'), '*2\r\n$2\r\nhz\r\n$2\r\n21\r\n');
  assert.equal(await c.call('CONFIG', 'GET', 'timeout'), '*2\r\n$7\r\ntimeout\r\n$2\r\n77\r\n');
  assert.equal(await c.call('CONFIG', 'GET', 'save'), '*2\r\n$4\r\nsave\r\n$12\r\n900 1 300 10\r\n');
  c.close();
  s.child.kill('SIGTERM');
  assert.equal(await s.exited, 0);
  const out = s.out();
  assert.match(out, /^\d+:C \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} # Reading config from stdin\n/);
  assert.match(out, /:C .* # oO0OoO0OoO0Oo Spinel is starting oO0OoO0OoO0Oo\n/);
  assert.match(out, /# Spinel version=7.2.6, bits=64, commit=00000000, modified=0, pid=\d+, just started\n/);
  assert.match(out, /# Configuration loaded\n/);
  assert.match(out, /:M .* # Server initialized\n/);
  assert.match(out, /:M .* \* Ready to accept connections tcp\n/);
  assert.match(out, /\d+:signal-handler \(\d+\) Received SIGTERM scheduling shutdown\.\.\.\n/);
  assert.match(out, /# Spinel is now ready to exit, bye bye\.\.\.\n/);
});

test('--save with no value, multi-arg options, logfile and loglevel', async () => {
  const port = await freePort();
  const log = path.join(TMP, 'server.log');
  const s = spawnServer(['--save', '--port', String(port), '--logfile', log, '--client-output-buffer-limit', 'pubsub', '1mb', '2mb', '3']);
  const c = await connectRetry(port);
  assert.equal(await c.call('CONFIG', 'GET', 'save'), '*2\r\n$4\r\nsave\r\n$0\r\n\r\n');
  assert.match(await c.call('CONFIG', 'GET', 'client-output-buffer-limit'), /pubsub 1048576 2097152 3\r\n$/);
  // No save points: a plain SHUTDOWN succeeds (the connection closes).
  await assert.rejects(c.call('SHUTDOWN'), /connection closed/);
  assert.equal(await s.exited, 0);
  assert.equal(s.out(), '');
  const text = fs.readFileSync(log, 'latin1');
  assert.match(text, /Ready to accept connections tcp/);
  assert.match(text, /User requested shutdown\.\.\./);

  const port2 = await freePort();
  const s2 = spawnServer(['--port', String(port2), '--loglevel', 'nothing', '--save', '']);
  const c2 = await connectRetry(port2);
  assert.equal(await c2.call('CONFIG', 'GET', 'loglevel'), '*2\r\n$8\r\nloglevel\r\n$7\r\nnothing\r\n');
  s2.child.kill('SIGINT');
  assert.equal(await s2.exited, 0);
  assert.equal(s2.out(), '');
});

test('daemonize yes: parent exits 0 once listening, pidfile written and removed at exit', async () => {
  const port = await freePort();
  const pidfile = path.join(TMP, 'd.pid');
  const log = path.join(TMP, 'd.log');
  const r = run(['--daemonize', 'yes', '--port', String(port), '--pidfile', pidfile, '--logfile', log, '--save', '']);
  assert.equal(r.status, 0);
  const pid = Number(fs.readFileSync(pidfile, 'latin1').trim());
  assert.ok(pid > 0);
  const c = await connectRetry(port);
  assert.equal(await c.call('PING'), '+PONG\r\n');
  assert.equal(await c.call('CONFIG', 'GET', 'daemonize'), '*2\r\n$9\r\ndaemonize\r\n$3\r\nyes\r\n');
  assert.equal(await c.call('CONFIG', 'SET', 'daemonize', 'no'), "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config\r\n");
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && fs.existsSync(pidfile); i++) await new Promise((res) => setTimeout(res, 50));
  assert.equal(fs.existsSync(pidfile), false);
  c.close();
  assert.match(fs.readFileSync(log, 'latin1'), /Removing the pid file\./);
});

test('CONFIG SET port re-listens; a busy port fails and keeps the old one', async () => {
  const port = await freePort();
  const s = spawnServer(['--port', String(port), '--save', '']);
  const c = await connectRetry(port);
  const port2 = await freePort();
  assert.equal(await c.call('CONFIG', 'SET', 'port', String(port2)), '+OK\r\n');
  const c2 = await connectRetry(port2);
  assert.equal(await c2.call('PING'), '+PONG\r\n');
  await assert.rejects(RawClient.connect(port));
  // Occupied port: error, old port kept.
  const blocker = await connectRetry(port2);
  const busy = (await import('node:net')).createServer();
  const port3 = await freePort();
  await new Promise<void>((r) => busy.listen(port3, '127.0.0.1', () => r()));
  assert.equal(
    await c2.call('CONFIG', 'SET', 'port', String(port3)),
    "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
  );
  assert.equal(await c2.call('CONFIG', 'GET', 'port'), `*2\r\n$4\r\nport\r\n$${String(port2).length}\r\n${port2}\r\n`);
  const c3 = await connectRetry(port2);
  assert.equal(await c3.call('PING'), '+PONG\r\n');
  busy.close();
  blocker.close();
  c.close();
  c3.close();
  await assert.rejects(c2.call('SHUTDOWN', 'NOSAVE'), /connection closed/);
  assert.equal(await s.exited, 0);
});

test('rename-command: renamed and removed commands; unknown command is a fatal config error', async () => {
  const r = run(['--rename-command', 'nosuch', 'x']);
  assert.equal(r.status, 1);
  assert.equal(
    r.stderr,
    "\n*** FATAL CONFIG FILE ERROR (Redis 7.2.6) ***\nReading the configuration file, at line 2\n>>> 'rename-command \"nosuch\" \"x\"'\nNo such command in rename-command\n",
  );
  assert.match(run(['--rename-command', 'get', 'set']).stderr, /\nTarget command name already exists\n$/);
  const port = await freePort();
  const f = path.join(TMP, 'rename.conf');
  fs.writeFileSync(f, `rename-command flushall ""\nrename-command get mYget\nport ${port}\nsave ""\n`);
  const s = spawnServer([f]);
  const c = await connectRetry(port);
  assert.equal(await c.call('FLUSHALL'), "-ERR unknown command 'FLUSHALL', with args beginning with: \r\n");
  assert.equal(await c.call('SET', 'a', 'b'), '+OK\r\n');
  assert.equal(await c.call('GET', 'a'), "-ERR unknown command 'GET', with args beginning with: 'a' \r\n");
  assert.equal(await c.call('MYGET', 'a'), '$1\r\nb\r\n');
  await assert.rejects(c.call('SHUTDOWN'), /connection closed/);
  assert.equal(await s.exited, 0);
});
