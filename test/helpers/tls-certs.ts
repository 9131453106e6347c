// Test certificates made with openssl in a temporary folder (as Redis's
// utils/gen-test-certs.sh does, with EC keys to be quick): a CA, a server
// certificate, a client certificate, a second server certificate (for
// reloads), a client certificate from another CA, and an expired client one.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  server2Cert: string;
  server2Key: string;
  clientCert: string;
  clientKey: string;
  otherCa: string;
  otherClientCert: string;
  otherClientKey: string;
  expiredCert: string;
  expiredKey: string;
  /** The server key encrypted with the passphrase 'keypass'. */
  encryptedKey: string;
  remove(): void;
}

/** Null when openssl is not installed. */
export function opensslMissing(): string | false {
  const r = spawnSync('openssl', ['version']);
  return r.status === 0 ? false : 'openssl not installed';
}

function openssl(dir: string, args: string[], input?: string): void {
  const r = spawnSync('openssl', args, { cwd: dir, input, encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', ...EC, '-sha256', '-days', '30', '-subj', `/O=Spinel Test/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`]);
}

function makeCert(dir: string, ca: string, name: string, cn: string, days: number): void {
  openssl(dir, ['req', '-new', ...EC, '-sha256', '-subj', `/O=Spinel Test/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  fs.writeFileSync(path.join(dir, `${name}.ext`), 'subjectAltName = IP:127.0.0.1, DNS:localhost\n');
  openssl(dir, ['x509', '-req', '-sha256', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
}

export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-tls-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'otherca');
  makeCert(dir, 'ca', 'server', 'Server', 30);
  makeCert(dir, 'ca', 'server2', 'Server-Two', 30);
  makeCert(dir, 'ca', 'client', 'Client', 30);
  makeCert(dir, 'otherca', 'otherclient', 'Other-Client', 30);
  makeCert(dir, 'ca', 'expired', 'Expired', -1);
  openssl(dir, ['pkey', '-in', 'server.key', '-aes256', '-passout', 'pass:keypass', '-out', 'server-enc.key']);
  const p = (n: string) => path.join(dir, n);
  return {
    dir,
    ca: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    server2Cert: p('server2.crt'),
    server2Key: p('server2.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    otherCa: p('otherca.crt'),
    otherClientCert: p('otherclient.crt'),
    otherClientKey: p('otherclient.key'),
    expiredCert: p('expired.crt'),
    expiredKey: p('expired.key'),
    encryptedKey: p('server-enc.key'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
