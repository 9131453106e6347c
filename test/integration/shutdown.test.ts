// SHUTDOWN and signals against spinel-server child processes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-shutdown-'));
const BIN = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin', 'spinel-server');

function spawnServer(args: string[]): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: TMP });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
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

after(() => fs.rmSync(TMP, { recursive: true, force: true }));

test('SHUTDOWN argument errors, ABORT, failing save without persistence, FORCE exits', async () => {
  const port = await freePort();
  const pidfile = path.join(TMP, 'a.pid');
  const sock = path.join(TMP, 'a.sock');
  // Default save points (3600 1 300 100 60 10000): the final save is required.
  const s = spawnServer(['--port', String(port), '--pidfile', pidfile, '--unixsocket', sock]);
  const c = await connectRetry(port);
  assert.equal(await c.call('SHUTDOWN', 'foo'), '-ERR syntax error\r\n');
  assert.equal(await c.call('SHUTDOWN', 'nosave', 'save'), '-ERR syntax error\r\n');
  assert.equal(await c.call('SHUTDOWN', 'abort', 'now'), '-ERR syntax error\r\n');
  assert.equal(await c.call('SHUTDOWN', 'ABORT'), '-ERR No shutdown in progress.\r\n');
  assert.equal(await c.call('SHUTDOWN'), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
  assert.equal(await c.call('SHUTDOWN', 'SAVE', 'NOW'), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
  assert.equal(await c.call('PING'), '+PONG\r\n');
  assert.ok(fs.existsSync(pidfile));
  assert.ok(fs.existsSync(sock));
  await assert.rejects(c.call('SHUTDOWN', 'save', 'force'), /connection closed/);
  assert.equal(await s.exited, 0);
  assert.equal(fs.existsSync(pidfile), false);
  assert.equal(fs.existsSync(sock), false);
  const out = s.out();
  assert.match(out, /# User requested shutdown\.\.\.\n/);
  assert.match(out, /\* Saving the final RDB snapshot before exiting\.\n/);
  assert.match(out, /# Error trying to save the DB, can't exit\.\n/);
  assert.match(out, /# Errors trying to shut down the server\. Check the logs for more information\.\n/);
  assert.match(out, /# Error trying to save the DB\. Exit anyway\.\n/);
  assert.match(out, /\* Removing the pid file\.\n/);
  assert.match(out, /\* Removing the unix socket file\.\n/);
});

test('SHUTDOWN NOSAVE exits at once; save "" makes a plain SHUTDOWN work', async () => {
  const port = await freePort();
  const s = spawnServer(['--port', String(port)]);
  const c = await connectRetry(port);
  await assert.rejects(c.call('shutdown', 'nosave'), /connection closed/);
  assert.equal(await s.exited, 0);

  const port2 = await freePort();
  const s2 = spawnServer(['--port', String(port2), '--save', '']);
  const c2 = await connectRetry(port2);
  assert.equal(await c2.call('SHUTDOWN', 'SAVE'), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
  await assert.rejects(c2.call('SHUTDOWN', 'NOW'), /connection closed/);
  assert.equal(await s2.exited, 0);
});

test('SIGTERM and SIGINT: clean exit, pidfile removed', async () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    const port = await freePort();
    const pidfile = path.join(TMP, `${sig}.pid`);
    const s = spawnServer(['--port', String(port), '--pidfile', pidfile]);
    const c = await connectRetry(port);
    assert.equal(await c.call('PING'), '+PONG\r\n');
    assert.equal(fs.readFileSync(pidfile, 'latin1'), `${s.child.pid}\n`);
    s.child.kill(sig);
    assert.equal(await s.exited, 0);
    assert.equal(fs.existsSync(pidfile), false);
    assert.match(s.out(), new RegExp(`\\d+:signal-handler \\(\\d+\\) Received ${sig} scheduling shutdown\\.\\.\\.\\n`));
    c.close();
  }
});
