import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JWT_MIN_SECRET_BYTES } from '@taskwire/security';
import { ConfigError, type Config } from './config.js';

export interface SecretLogger {
  warn(object: object, message: string): void;
}

/**
 * Resolve the JWT signing secret. Production requires JWT_SECRET of at least
 * 32 bytes. Elsewhere a missing secret is generated once and kept in
 * DATA_DIR/jwt-secret, so tokens survive restarts of a development server.
 */
export function resolveJwtSecret(config: Config, log: SecretLogger): Uint8Array {
  if (config.JWT_SECRET !== undefined) {
    const secret = new TextEncoder().encode(config.JWT_SECRET);
    if (secret.byteLength < JWT_MIN_SECRET_BYTES) {
      throw new ConfigError([`JWT_SECRET (set): must be at least ${JWT_MIN_SECRET_BYTES} bytes, got ${secret.byteLength}; generate one with \`openssl rand -base64 48\`.`]);
    }
    return secret;
  }
  if (config.NODE_ENV === 'production') {
    throw new ConfigError([`JWT_SECRET (not set): required in production; set it to a random string of at least ${JWT_MIN_SECRET_BYTES} bytes.`]);
  }

  const file = join(config.DATA_DIR, 'jwt-secret');
  try {
    return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  const generated = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process started at the same moment and wrote the file first.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
    throw error;
  }
  log.warn({ file }, 'JWT_SECRET is not set; generated a development secret and stored it for later starts');
  return new TextEncoder().encode(generated);
}
