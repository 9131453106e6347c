// TLS for clients: certificates made by openssl for the test, mutual TLS,
// refused certificates (other CA, expired, none when required), optional
// client certificates, protocol and cipher limits, plaintext on the TLS port,
// certificate reload by CONFIG SET, and real clients (ioredis, node-redis)
// with an ACL user over TLS, beside the TCP port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startSpinel, freePort, type SpinelHandle } from '../helpers/servers.js';
import { makeTestCerts, opensslMissing, type TestCerts } from '../helpers/tls-certs.js';
import { RawClient, encodeCommand } from '../helpers/resp.js';

const skip = opensslMissing();
let certs: TestCerts;
let s: SpinelHandle;
let tlsPort = 0;

before(async () => {
  if (skip) return;
  certs = makeTestCerts();
  tlsPort = await freePort();
  s = await startSpinel({
    'tls-port': tlsPort,
    'tls-cert-file': certs.serverCert,
    'tls-key-file': certs.serverKey,
    'tls-ca-cert-file': certs.ca,
  });
});
after(async () => {
  if (skip) return;
  await s.close();
  certs.remove();
});

interface ConnectOpts {
  cert?: string;
  key?: string;
  ca?: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
}

/** Opens a TLS connection; resolves with the socket once the server answered PING, or rejects. */
function connect(o: ConnectOpts = {}): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({
      host: '127.0.0.1',
      port: tlsPort,
      ca: fs.readFileSync(o.ca ?? certs.ca),
      cert: o.cert ? fs.readFileSync(o.cert) : undefined,
      key: o.key ? fs.readFileSync(o.key) : undefined,
      minVersion: o.minVersion,
      maxVersion: o.maxVersion,
      ciphers: o.ciphers,
      servername: 'localhost',
    });
    let got = '';
    sock.on('secureConnect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      got += d.toString('latin1');
      if (got.endsWith('\r\n')) {
        if (got === '+PONG\r\n') resolve(sock);
        else reject(new Error(got));
      }
    });
    sock.on('error', reject);
    sock.on('close', () => reject(new Error('closed')));
  });
}

async function refused(o: ConnectOpts): Promise<void> {
  await assert.rejects(connect(o));
}

test('mutual TLS: a client certificate of the CA is accepted; none, another CA or an expired one are refused', { skip }, async () => {
  const ok = await connect({ cert: certs.clientCert, key: certs.clientKey });
  ok.destroy();
  await refused({});
  await refused({ cert: certs.otherClientCert, key: certs.otherClientKey });
  await refused({ cert: certs.expiredCert, key: certs.expiredKey });
  // The server's certificate must chain to the CA the client trusts.
  await refused({ cert: certs.clientCert, key: certs.clientKey, ca: certs.otherCa });
});

test('tls-auth-clients optional and no', { skip }, async () => {
  const admin = await RawClient.connect(s.port);
  try {
    assert.equal(await admin.call('CONFIG', 'SET', 'tls-auth-clients', 'optional'), '+OK\r\n');
    (await connect({})).destroy();
    (await connect({ cert: certs.clientCert, key: certs.clientKey })).destroy();
    await refused({ cert: certs.otherClientCert, key: certs.otherClientKey });
    assert.equal(await admin.call('CONFIG', 'SET', 'tls-auth-clients', 'no'), '+OK\r\n');
    (await connect({})).destroy();
  } finally {
    await admin.call('CONFIG', 'SET', 'tls-auth-clients', 'yes');
    admin.close();
  }
});

test('protocol and cipher limits', { skip }, async () => {
  const admin = await RawClient.connect(s.port);
  const cert = { cert: certs.clientCert, key: certs.clientKey };
  try {
    assert.equal(await admin.call('CONFIG', 'SET', 'tls-protocols', 'TLSv1.3'), '+OK\r\n');
    await refused({ ...cert, maxVersion: 'TLSv1.2' });
    (await connect({ ...cert, minVersion: 'TLSv1.3' })).destroy();
    assert.equal(await admin.call('CONFIG', 'SET', 'tls-protocols', 'TLSv1.2', 'tls-ciphers', 'ECDHE-ECDSA-AES128-GCM-SHA256'), '+OK\r\n');
    await refused({ ...cert, minVersion: 'TLSv1.3' });
    await refused({ ...cert, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' });
    const sock = await connect({ ...cert, maxVersion: 'TLSv1.2' });
    assert.equal(sock.getCipher().name, 'ECDHE-ECDSA-AES128-GCM-SHA256');
    sock.destroy();
    assert.match(await admin.call('CONFIG', 'SET', 'tls-protocols', 'TLSv9'), /^-ERR CONFIG SET failed \(possibly related to argument 'tls-protocols'\) - Unable to update TLS configuration/);
    assert.equal(await admin.call('CONFIG', 'GET', 'tls-protocols'), '*2\r\n$13\r\ntls-protocols\r\n$7\r\nTLSv1.2\r\n');
  } finally {
    await admin.call('CONFIG', 'SET', 'tls-protocols', '', 'tls-ciphers', '');
    admin.close();
  }
});

test('CONFIG SET tls-cert-file reloads the certificate for new connections; a bad file changes nothing', { skip }, async () => {
  const admin = await RawClient.connect(s.port);
  const cert = { cert: certs.clientCert, key: certs.clientKey };
  try {
    const before = await connect(cert);
    assert.equal(before.getPeerCertificate().subject.CN, 'Server');
    assert.equal(await admin.call('CONFIG', 'SET', 'tls-cert-file', certs.server2Cert, 'tls-key-file', certs.server2Key), '+OK\r\n');
    const after = await connect(cert);
    assert.equal(after.getPeerCertificate().subject.CN, 'Server-Two');
    // The connection made before still works.
    before.write('PING\r\n');
    await new Promise((r) => before.once('data', r));
    before.destroy();
    after.destroy();
    assert.match(await admin.call('CONFIG', 'SET', 'tls-cert-file', '/no/such/file'), /^-ERR CONFIG SET failed \(possibly related to argument 'tls-cert-file'\)/);
    // A key that does not match the certificate.
    assert.match(await admin.call('CONFIG', 'SET', 'tls-key-file', certs.serverKey), /^-ERR CONFIG SET failed/);
    assert.equal((await connect(cert)).getPeerCertificate().subject.CN, 'Server-Two');
    // An encrypted key with its passphrase.
    assert.equal(await admin.call('CONFIG', 'SET', 'tls-cert-file', certs.serverCert, 'tls-key-file', certs.encryptedKey, 'tls-key-file-pass', 'keypass'), '+OK\r\n');
    assert.equal((await connect(cert)).getPeerCertificate().subject.CN, 'Server');
  } finally {
    admin.close();
  }
});

test('plaintext on the TLS port is refused; the TCP port keeps working', { skip }, async () => {
  const got = await new Promise<string>((resolve) => {
    const sock = net.connect(tlsPort, '127.0.0.1', () => sock.write('PING\r\n'));
    let out = '';
    sock.on('data', (d) => (out += d.toString('latin1')));
    sock.on('error', () => undefined);
    sock.on('close', () => resolve(out));
  });
  assert.ok(!got.includes('PONG'));
  const c = await RawClient.connect(s.port);
  assert.equal(await c.call('PING'), '+PONG\r\n');
  c.close();
});

test('over TLS: pipelining, a big value, pub/sub and blocking commands', { skip }, async () => {
  const sock = await connect({ cert: certs.clientCert, key: certs.clientKey });
  const replies: Buffer[] = [];
  let buf = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => (buf = Buffer.concat([buf, d])));
  const waitFor = async (n: number): Promise<string> => {
    for (let i = 0; i < 400 && buf.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    const out = buf.toString('latin1');
    buf = Buffer.alloc(0);
    return out;
  };
  const big = 'x'.repeat(3 * 1024 * 1024);
  const reqs: Buffer[] = [encodeCommand(['SET', 'tls:big', big])];
  for (let i = 0; i < 1000; i++) reqs.push(encodeCommand(['INCR', 'tls:n']));
  reqs.push(encodeCommand(['STRLEN', 'tls:big']));
  sock.write(Buffer.concat(reqs));
  const out = await waitFor(5 + 4 * 1000 + 12);
  assert.ok(out.startsWith('+OK\r\n:1\r\n:2\r\n'));
  assert.ok(out.endsWith(':1000\r\n:3145728\r\n'));
  sock.write(encodeCommand(['GET', 'tls:big']));
  const got = await waitFor(big.length + 12);
  assert.equal(got, `$${big.length}\r\n${big}\r\n`);
  replies.length = 0;
  // Pub/sub and a blocked BLPOP served by a TCP client.
  sock.write(encodeCommand(['SUBSCRIBE', 'tls-ch']));
  await waitFor(30);
  const tcp = await RawClient.connect(s.port);
  assert.equal(await tcp.call('PUBLISH', 'tls-ch', 'hello'), ':1\r\n');
  assert.match(await waitFor(40), /hello/);
  sock.write(encodeCommand(['UNSUBSCRIBE']));
  await waitFor(30);
  sock.write(encodeCommand(['BLPOP', 'tls:list', '0']));
  await new Promise((r) => setTimeout(r, 50));
  await tcp.call('RPUSH', 'tls:list', 'item');
  assert.match(await waitFor(30), /item/);
  tcp.close();
  sock.destroy();
});

test('ioredis and node-redis with an ACL user over TLS', { skip }, async () => {
  const admin = await RawClient.connect(s.port);
  await admin.call('ACL', 'SETUSER', 'tlsapp', 'on', '>tlspass', '~tls:*', '+@read', '+@write', '+@connection', '-@dangerous', '+info');
  const tlsOpts = { ca: fs.readFileSync(certs.ca), cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey), servername: 'localhost' };
  const io = new Redis({ host: '127.0.0.1', port: tlsPort, username: 'tlsapp', password: 'tlspass', tls: tlsOpts, lazyConnect: true, maxRetriesPerRequest: 1 });
  await io.connect();
  try {
    assert.equal(await io.set('tls:io', 'v'), 'OK');
    assert.equal(await io.get('tls:io'), 'v');
    await assert.rejects(io.get('other'), /NOPERM No permissions to access a key/);
    await assert.rejects(io.call('FLUSHALL'), /NOPERM User tlsapp has no permissions to run the 'flushall' command/);
  } finally {
    io.disconnect();
  }
  const nr = createClient({ socket: { host: '127.0.0.1', port: tlsPort, tls: true, ...tlsOpts }, username: 'tlsapp', password: 'tlspass', RESP: 3 });
  await nr.connect();
  try {
    assert.equal(await nr.sendCommand(['ACL', 'WHOAMI']).catch((e: Error) => e.message), "NOPERM User tlsapp has no permissions to run the 'acl|whoami' command");
    assert.equal(await nr.set('tls:nr', '1'), 'OK');
    assert.equal(await nr.incr('tls:nr'), 2);
    const list = String(await admin.call('CLIENT', 'LIST'));
    assert.match(list, /user=tlsapp/);
  } finally {
    await nr.quit();
    admin.close();
  }
});
