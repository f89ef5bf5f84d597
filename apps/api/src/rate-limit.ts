import type { FastifyRequest } from 'fastify';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { Actor } from '@taskwire/domain';

export interface RateLimitSettings {
  enabled: boolean;
  windowMs: number;
  /** Requests per window for a caller without a valid token, keyed by client IP. */
  anonymousMax: number;
  /** Requests per window for an authenticated member or manager, keyed by user id. */
  userMax: number;
  /** Requests per window for an admin, keyed by user id. */
  adminMax: number;
  /** With a URL, counters live in Redis and are shared by every API node; without one, in this process. */
  redisUrl?: string | undefined;
  redisKeyPrefix: string;
}

/** The outcome of one counter increment, in the shape @fastify/rate-limit expects from a store. */
interface Counter {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, counter?: Counter) => void;

/**
 * Rate-limit keys carry the request's weight (the number of procedure calls
 * in it) ahead of the caller's identity: `<weight>|<identity>`. The plugin
 * increments a counter by one per request, so the stores below read the
 * weight back from the key and increment by that much instead.
 */
export function weightedKey(weight: number, identity: string): string {
  return `${weight}|${identity}`;
}

function splitKey(key: string): { weight: number; identity: string } {
  const separator = key.indexOf('|');
  const weight = Number(key.slice(0, separator));
  return { weight: Number.isInteger(weight) && weight > 0 ? weight : 1, identity: key.slice(separator + 1) };
}

/** Number of procedure calls in a request: a batched tRPC request names them all in its path, comma-separated. */
export function callCount(request: FastifyRequest): number {
  const url = request.url;
  if (!url.startsWith('/trpc/')) return 1;
  const query = url.indexOf('?');
  const rawPath = url.slice('/trpc/'.length, query === -1 ? undefined : query);
  const isBatch = query !== -1 && new URLSearchParams(url.slice(query + 1)).get('batch') === '1';
  if (!isBatch) return 1;
  // Fastify and then the tRPC adapter each decode the path, so `%252C`
  // reaches the router as a comma. Decode until nothing changes, so no
  // encoding depth can hide calls from the count.
  let path = rawPath;
  for (let round = 0; round < 5; round += 1) {
    const decoded = decodeOnce(path);
    if (decoded === path) break;
    path = decoded;
  }
  return Math.max(1, path.split(/,|%2c/i).length);
}

function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A malformed escape elsewhere must not hide the commas that are there.
    return value.replaceAll(/%2c/gi, ',');
  }
}

export function rateLimitIdentity(actor: Actor | null, ip: string): string {
  return actor ? `user:${actor.userId}` : `ip:${ip}`;
}

export function maxFor(settings: RateLimitSettings, actor: Actor | null): number {
  if (!actor) return settings.anonymousMax;
  return actor.role === 'admin' ? settings.adminMax : settings.userMax;
}

// Fixed window per key. Entries whose window ended are swept once the map
// grows, so keys from many rotating addresses do not accumulate.
class MemoryCounters {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  increment(key: string, weight: number, windowMs: number): Counter {
    const now = Date.now();
    let entry = this.windows.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.windows.size >= 10_000) this.sweep(now);
      entry = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, entry);
    }
    entry.count += weight;
    return { current: entry.count, ttl: entry.resetAt - now };
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.windows) if (entry.resetAt <= now) this.windows.delete(key);
  }
}

// INCRBY and the expiry in one script, so two nodes never both start a window.
const INCREMENT_SCRIPT = `
local current = redis.call('INCRBY', KEYS[1], ARGV[1])
if current == tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return { current, ttl }
`;

export interface RateLimitStore {
  /** The store class handed to @fastify/rate-limit, which constructs it itself. */
  storeClass: FastifyRateLimitStoreCtor;
  close(): Promise<void>;
}

/** Build the counter store: Redis when a URL is set, else memory. */
export function createRateLimitStore(settings: RateLimitSettings): RateLimitStore {
  const redis = settings.redisUrl ? new Redis(settings.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true }) : null;
  const memory = new MemoryCounters();

  class WeightedStore implements FastifyRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      const { weight, identity } = splitKey(key);
      if (!redis) {
        callback(null, memory.increment(identity, weight, timeWindow));
        return;
      }
      redis
        .eval(INCREMENT_SCRIPT, 1, `${settings.redisKeyPrefix}${identity}`, weight, timeWindow)
        .then((result) => {
          const [current, ttl] = result as [number, number];
          callback(null, { current, ttl });
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    }

    child(): WeightedStore {
      return this;
    }
  }

  return {
    storeClass: WeightedStore,
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
