/**
 * A small PKI for TLS tests, made with the real `openssl` command: a CA, server certificates for
 * loopback (localhost and 127.0.0.1) and client certificates, EC P-256, valid one day.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Issued {
  readonly cert: string;
  readonly key: string;
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA named `name`, its files in `dir`. */
export function makeCa(dir: string, name: string): Issued {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  openssl([
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    `/O=OpenCEIR test/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { cert, key };
}

/**
 * A certificate `name` signed by `ca`: a server's (for localhost and 127.0.0.1) or a client's, with
 * the subject given as openssl writes it (`/O=mno-a/CN=amf-1`).
 */
export function issue(
  dir: string,
  ca: Issued,
  name: string,
  use: 'server' | 'client',
  subject: string,
): Issued {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const extensions = path.join(dir, `${name}.ext`);
  writeFileSync(
    extensions,
    use === 'server'
      ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'
      : 'extendedKeyUsage=clientAuth\n',
  );
  openssl(['req', '-new', ...newKey, '-keyout', key, '-out', csr, '-subj', subject]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-set_serial',
    `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`,
    '-days',
    '1',
    '-extfile',
    extensions,
    '-out',
    cert,
  ]);
  return { cert, key };
}
