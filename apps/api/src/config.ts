import { z } from 'zod';

const portSchema = z.coerce.number().int().min(0).max(65535);
const perWindowSchema = z.coerce.number().int().min(1, 'must be a whole number of requests, 1 or more');
const booleanSchema = z.enum(['true', 'false']).transform((value) => value === 'true');
const addressListSchema = z
  .string()
  .max(10_000)
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: portSchema.default(3000),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'),
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default('taskwire'),
  JWT_AUDIENCE: z.string().min(1).default('taskwire-api'),
  DATA_DIR: z.string().min(1).default('.data'),
  // Milliseconds between maintenance sweeps (crash repair, expired idempotency keys); 0 turns them off.
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUSTED_PROXIES: addressListSchema.default([]),
  RATE_LIMIT_ENABLED: booleanSchema.default(true),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000, 'must be at least 1000 milliseconds').default(60_000),
  RATE_LIMIT_ANONYMOUS: perWindowSchema.default(10),
  RATE_LIMIT_USER: perWindowSchema.default(100),
  RATE_LIMIT_ADMIN: perWindowSchema.default(1000),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_KEY_PREFIX: z.string().max(200).default('taskwire:rate:'),
  ACCESS_POLL_INTERVAL_MS: z.coerce.number().int().min(100, 'must be at least 100 milliseconds').max(60_000).default(1000),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validate environment variables once at start-up, naming every invalid one. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = env[name];
        const shown = value === undefined ? 'not set' : name.includes('SECRET') || name.includes('URI') || name.includes('URL') ? 'set' : JSON.stringify(value);
        return `${name} (${shown}): ${issue.message}`;
      }),
    );
  }
  return result.data;
}
