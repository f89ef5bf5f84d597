import { AppError } from '@taskwire/domain';
import type { Clock, IdGenerator, IdempotencyRecord, IdempotencyRepository } from './ports.js';

/** Keys expire this long after first use. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A pending record this old belongs to a request whose process most likely
 * died, so a new request may take the key over. A request that really runs
 * longer than this can run twice.
 */
export const IDEMPOTENCY_PENDING_TIMEOUT_MS = 2 * 60 * 1000;

export interface IdempotentRequest {
  /** The authenticated caller, or null for a public procedure; anonymous callers share one key space. */
  userId: string | null;
  key: string;
  operation: string;
  /** Hash of the operation and its input, computed by the transport. */
  fingerprint: string;
}

export interface IdempotencyServiceDeps {
  store: IdempotencyRepository;
  clock: Clock;
  ids: IdGenerator;
  ttlMs?: number;
  pendingTimeoutMs?: number;
}

const ANONYMOUS = 'anonymous';
const RESERVE_ATTEMPTS = 3;

/**
 * Runs a mutation once per idempotency key. The first request inserts a
 * pending record, and the unique (userId, key) index decides between
 * concurrent ones. The winner runs and stores its serialized response, which
 * a replay with the same input gets without running again. Two cases run
 * again: a failed run deletes its record so the client may retry with the
 * same key, and a record left pending longer than the pending timeout is
 * taken over.
 */
export class IdempotencyService {
  private readonly ttlMs: number;
  private readonly pendingTimeoutMs: number;

  constructor(private readonly deps: IdempotencyServiceDeps) {
    this.ttlMs = deps.ttlMs ?? IDEMPOTENCY_KEY_TTL_MS;
    this.pendingTimeoutMs = deps.pendingTimeoutMs ?? IDEMPOTENCY_PENDING_TIMEOUT_MS;
  }

  /** Run `run` unless this key already ran; returns the serialized response of the one run. */
  async execute(request: IdempotentRequest, run: () => Promise<string>): Promise<string> {
    for (let attempt = 1; attempt <= RESERVE_ATTEMPTS; attempt += 1) {
      const now = this.deps.clock.now();
      const record: IdempotencyRecord = {
        id: this.deps.ids.newId(),
        userId: request.userId ?? ANONYMOUS,
        key: request.key,
        operation: request.operation,
        fingerprint: request.fingerprint,
        state: 'pending',
        response: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.ttlMs),
      };
      const reservation = await this.deps.store.reserve(record);
      if (reservation.status === 'reserved') return this.runReserved(record, run);

      const existing = reservation.existing;
      if (existing === null) continue;
      if (this.isAbandoned(existing, now)) {
        // Deleting by the record's own id means two requests that both saw
        // it abandoned cannot delete each other's fresh reservation.
        await this.deps.store.remove(existing.id);
        continue;
      }
      return replay(existing, request);
    }
    throw new AppError('CONFLICT', `Idempotency key "${request.key}" is being taken over by another request; retry shortly.`, { retryAfterSeconds: 1 });
  }

  /** Sweeper step: delete expired keys, at most `limit` per call. */
  async deleteExpired(limit = 1000): Promise<number> {
    return this.deps.store.deleteExpired(this.deps.clock.now(), limit);
  }

  private async runReserved(record: IdempotencyRecord, run: () => Promise<string>): Promise<string> {
    let response: string;
    try {
      response = await run();
    } catch (error) {
      await this.deps.store.remove(record.id);
      throw error;
    }
    await this.deps.store.complete(record.id, response);
    return response;
  }

  private isAbandoned(record: IdempotencyRecord, now: Date): boolean {
    if (record.expiresAt.getTime() <= now.getTime()) return true;
    return record.state === 'pending' && now.getTime() - record.createdAt.getTime() >= this.pendingTimeoutMs;
  }
}

function replay(existing: IdempotencyRecord, request: IdempotentRequest): string {
  if (existing.operation !== request.operation || existing.fingerprint !== request.fingerprint) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency key "${request.key}" was already used with different input (first for ${existing.operation}); send a new key for a different request.`,
      { details: [{ path: 'idempotencyKey', rule: 'reused', message: 'was already used with different input' }] },
    );
  }
  if (existing.state === 'pending' || existing.response === null) {
    throw new AppError('CONFLICT', `A request with idempotency key "${request.key}" is still running; retry after it finishes to get its result.`, {
      retryAfterSeconds: 1,
    });
  }
  return existing.response;
}
