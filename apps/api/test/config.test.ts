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
