import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate authority made for one test run: its key and self-signed certificate (PEM files). */
export interface TestCa {
  name: string;
  keyFile: string;
  certFile: string;
}

/** A server's key and certificate chain (the leaf), as PEM text, for the mail catcher. */
export interface TestServerCert {
  key: string;
  cert: string;
}

/**
 * Test PKI made with the openssl command at test time (nothing is shipped): authorities, and server
 * certificates they sign for 127.0.0.1 and localhost. `dispose()` removes the folder with the keys.
 */
export async function createTestPki() {
  const dir = await mkdtemp(path.join(tmpdir(), 'risk-loop-pki-'));
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });

  return {
    dir,
    async authority(name: string): Promise<TestCa> {
      const keyFile = path.join(dir, `${name}.key`);
      const certFile = path.join(dir, `${name}.pem`);
      await openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
        '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
      return { name, keyFile, certFile };
    },
    /** A server certificate for 127.0.0.1 and localhost, signed by `ca`. */
    async server(ca: TestCa, name: string): Promise<TestServerCert> {
      const keyFile = path.join(dir, `${name}.key`);
      const csrFile = path.join(dir, `${name}.csr`);
      const certFile = path.join(dir, `${name}.pem`);
      const extFile = path.join(dir, `${name}.ext`);
      await writeFile(extFile, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n');
      await openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=127.0.0.1');
      await openssl('x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', `0x${Date.now().toString(16)}`, '-days', '2',
        '-extfile', extFile, '-out', certFile);
      return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
