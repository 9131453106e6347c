// TLS for clients (node:tls): the tls-* parameters turned into a secure
// context, and its reload when CONFIG SET changes one of them. The listeners
// themselves are opened by Server.listen beside the TCP ones (tls-port); a
// TLS client then goes through the same Client and dispatch path as a TCP
// one, its replies written through the TLS socket (not straight to the
// libuv handle, as for TCP: see src/server/socket-io.ts).

import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import crypto from 'node:crypto';
import type { Config } from '../config/config.js';

/** The parameters that change the secure context (CONFIG SET of one reloads it). */
export const TLS_CONTEXT_PARAMS = new Set([
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-client-cert-file',
  'tls-client-key-file',
  'tls-client-key-file-pass',
  'tls-dh-params-file',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-auth-clients',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-prefer-server-ciphers',
  'tls-session-caching',
  'tls-session-cache-size',
  'tls-session-cache-timeout',
]);

const PROTOCOLS: Record<string, tls.SecureVersion> = {
  tlsv1: 'TLSv1',
  'tlsv1.1': 'TLSv1.1',
  'tlsv1.2': 'TLSv1.2',
  'tlsv1.3': 'TLSv1.3',
};
const PROTOCOL_ORDER = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Node's default cipher list split into its TLS 1.2 part and its TLS 1.3 suites. */
function defaultCiphers(): { v12: string; v13: string } {
  const all = tls.DEFAULT_CIPHERS.split(':');
  return { v12: all.filter((c) => !c.startsWith('TLS_')).join(':'), v13: all.filter((c) => c.startsWith('TLS_')).join(':') };
}

/** How clients' certificates are checked (tls-auth-clients). */
export interface ClientAuth {
  requestCert: boolean;
  rejectUnauthorized: boolean;
  /** optional: a certificate is not required, but one that is presented must verify. */
  optional: boolean;
}

export interface TlsSetup {
  options: tls.SecureContextOptions;
  auth: ClientAuth;
}

function read(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(`Failed to load ${what} ${file}: ${(e as Error).message}`);
  }
}

/** The secure context options from the config (Redis's tlsConfigure); throws an Error naming the problem. */
export function tlsSetup(config: Config): TlsSetup {
  const certFile = config.str('tls-cert-file');
  const keyFile = config.str('tls-key-file');
  if (certFile === '') throw new Error('No tls-cert-file configured!');
  if (keyFile === '') throw new Error('No tls-key-file configured!');
  const authMode = config.str('tls-auth-clients');
  const caFile = config.str('tls-ca-cert-file');
  const caDir = config.str('tls-ca-cert-dir');
  if (authMode !== 'no' && caFile === '' && caDir === '') {
    throw new Error('Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!');
  }
  const options: tls.SecureContextOptions = {
    cert: read(certFile, 'certificate'),
    key: read(keyFile, 'private key'),
  };
  const pass = config.str('tls-key-file-pass');
  if (pass !== '') options.passphrase = pass;
  const ca: Buffer[] = [];
  if (caFile !== '') ca.push(read(caFile, 'CA certificate(s) file'));
  if (caDir !== '') {
    let names: string[];
    try {
      names = fs.readdirSync(caDir);
    } catch (e) {
      throw new Error(`Failed to configure CA certificate(s) dir ${caDir}: ${(e as Error).message}`);
    }
    for (const n of names.sort()) {
      const p = path.join(caDir, n);
      try {
        if (!fs.statSync(p).isFile()) continue;
        const b = fs.readFileSync(p);
        if (b.includes('-----BEGIN CERTIFICATE-----')) ca.push(b);
      } catch {
        /* unreadable: skipped, as OpenSSL's hashed directory lookup would */
      }
    }
  }
  if (ca.length !== 0) options.ca = ca;
  const dh = config.str('tls-dh-params-file');
  if (dh !== '') options.dhparam = read(dh, 'DH params file');
  const protocols = config.str('tls-protocols').trim();
  if (protocols !== '') {
    const versions: string[] = [];
    for (const word of protocols.split(/\s+/)) {
      const v = PROTOCOLS[word.toLowerCase()];
      if (v === undefined) throw new Error(`Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.`);
      versions.push(v);
    }
    versions.sort((a, b) => PROTOCOL_ORDER.indexOf(a) - PROTOCOL_ORDER.indexOf(b));
    options.minVersion = versions[0] as tls.SecureVersion;
    options.maxVersion = versions[versions.length - 1] as tls.SecureVersion;
  }
  const v12 = config.str('tls-ciphers');
  const v13 = config.str('tls-ciphersuites');
  if (v12 !== '' || v13 !== '') {
    const def = defaultCiphers();
    options.ciphers = [v12 !== '' ? v12 : def.v12, v13 !== '' ? v13 : def.v13].filter((s) => s !== '').join(':');
  }
  options.honorCipherOrder = config.bool('tls-prefer-server-ciphers');
  if (config.bool('tls-session-caching')) {
    options.sessionTimeout = config.num('tls-session-cache-timeout');
  } else {
    options.secureOptions = crypto.constants.SSL_OP_NO_TICKET;
    options.sessionTimeout = 0;
  }
  // Building the context checks the key against the certificate, the passphrase, the cipher names.
  try {
    tls.createSecureContext(options);
  } catch (e) {
    throw new Error(`Failed to configure TLS: ${(e as Error).message}`);
  }
  return {
    options,
    auth: {
      requestCert: authMode !== 'no',
      rejectUnauthorized: authMode === 'yes',
      optional: authMode === 'optional',
    },
  };
}

/** Applies a (re)built setup to a listening TLS server: new connections use it. */
export function applyTlsSetup(srv: tls.Server, setup: TlsSetup): void {
  srv.setSecureContext(setup.options);
  const s = srv as unknown as { requestCert: boolean; rejectUnauthorized: boolean; spinelOptionalAuth: boolean };
  s.requestCert = setup.auth.requestCert;
  s.rejectUnauthorized = setup.auth.rejectUnauthorized;
  s.spinelOptionalAuth = setup.auth.optional;
}

/** tls-auth-clients optional: a client that presented a certificate that does not verify is refused. */
export function refusedOptionalCert(srv: tls.Server, socket: tls.TLSSocket): boolean {
  if (!(srv as unknown as { spinelOptionalAuth?: boolean }).spinelOptionalAuth || socket.authorized) return false;
  const cert = socket.getPeerCertificate();
  return cert !== null && Object.keys(cert).length !== 0;
}
