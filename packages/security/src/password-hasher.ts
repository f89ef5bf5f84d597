import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '@taskwire/application';

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export interface ScryptParameters {
  /** CPU and memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** N=2^14, r=8, p=1: the parameters Node.js documents as its defaults, about 16 MiB and tens of ms per hash. */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 64;

/**
 * scrypt password hashes stored as `scrypt$N$r$p$salt$key` (hex), so the
 * parameters can be raised later without breaking stored hashes.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  constructor(private readonly parameters: ScryptParameters = DEFAULT_SCRYPT) {}

  async hash(password: string): Promise<string> {
    const { N, r, p } = this.parameters;
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r });
    return ['scrypt', N, r, p, salt.toString('hex'), key.toString('hex')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, saltHex, keyHex] = stored.split('$');
    if (scheme !== 'scrypt' || !n || !r || !p || !saltHex || !keyHex) return false;
    const expected = Buffer.from(keyHex, 'hex');
    const N = Number(n);
    const actual = await scryptAsync(password, Buffer.from(saltHex, 'hex'), expected.length, { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
