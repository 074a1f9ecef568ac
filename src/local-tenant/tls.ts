import { generate } from 'selfsigned';

export interface LocalTls {
  certPem: string;
  keyPem: string;
  publicKeyPem: string;
}

let cached: Promise<LocalTls> | undefined;

/**
 * A self-signed certificate for 127.0.0.1/localhost, made once per process.
 * Clients trust it explicitly (it is its own CA); the same key signs tokens.
 */
export function localTls(): Promise<LocalTls> {
  cached ??= generate([{ name: 'commonName', value: 'Custodian local tenant' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  }).then((pems) => ({ certPem: pems.cert, keyPem: pems.private, publicKeyPem: pems.public }));
  return cached;
}
