import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { resolveJwtSecret } from '../src/jwt-secret.js';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/taskwire' };
const quietLog = { warn: () => {} };

describe('loadConfig', () => {
  it('applies defaults for HOST and PORT', () => {
    const config = loadConfig(base);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.PORT).toBe(3000);
  });

  it('names every invalid variable', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', NODE_ENV: 'staging' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT ("eighty")');
    expect(problems).toContain('NODE_ENV ("staging")');
    expect(problems).toContain('MONGODB_URI (not set)');
  });
});

describe('edge settings', () => {
  it('defaults to 10, 100 and 1000 calls a minute', () => {
    const config = loadConfig(base);
    expect(config.RATE_LIMIT_ENABLED).toBe(true);
    expect(config.RATE_LIMIT_WINDOW_MS).toBe(60_000);
    expect(config.RATE_LIMIT_ANONYMOUS).toBe(10);
    expect(config.RATE_LIMIT_USER).toBe(100);
    expect(config.RATE_LIMIT_ADMIN).toBe(1000);
    expect(config.TRUSTED_PROXIES).toEqual([]);
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('parses a trusted proxy list', () => {
    const config = loadConfig({ ...base, TRUSTED_PROXIES: ' 10.0.0.1, 10.1.0.0/16 ,,' });
    expect(config.TRUSTED_PROXIES).toEqual(['10.0.0.1', '10.1.0.0/16']);
  });

  it('names an invalid Redis URL without echoing it', () => {
    let caught: unknown;
    try {
      loadConfig({ ...base, REDIS_URL: 'http://user:hunter2@cache:6379' });
    } catch (error) {
      caught = error;
    }
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toContain('REDIS_URL (set): must start with redis:// or rediss://');
    expect(problems).not.toContain('hunter2');
  });

  it('rejects a limit of zero', () => {
    expect(() => loadConfig({ ...base, RATE_LIMIT_USER: '0' })).toThrow(/RATE_LIMIT_USER \("0"\): must be a whole number of requests, 1 or more/);
  });
});

describe('resolveJwtSecret', () => {
  it('generates a development secret once and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-secret-'));
    const warnings: string[] = [];
    const config = loadConfig({ ...base, DATA_DIR: dataDir });
    const first = resolveJwtSecret(config, { warn: (_fields, message) => warnings.push(message) });
    const second = resolveJwtSecret(config, { warn: (_fields, message) => warnings.push(message) });
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    expect(first.byteLength).toBeGreaterThanOrEqual(32);
    expect(warnings).toHaveLength(1);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(Buffer.from(first).toString());
  });

  it('requires a secret in production', () => {
    const config = loadConfig({ ...base, NODE_ENV: 'production' });
    expect(() => resolveJwtSecret(config, quietLog)).toThrow(/JWT_SECRET \(not set\): required in production/);
  });

  it('rejects a secret shorter than 32 bytes', () => {
    const config = loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'too-short' });
    expect(() => resolveJwtSecret(config, quietLog)).toThrow(/at least 32 bytes, got 9/);
  });
});
