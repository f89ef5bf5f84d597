import { createHash } from 'node:crypto';
import superjson from 'superjson';
import { z } from 'zod';
import type { Context } from './context.js';

/**
 * Optional input field of every mutation. Clients send a fresh random value
 * (a UUID, for example) per logical request and the same value on retries.
 * The REST bridge maps the `Idempotency-Key` header onto this field.
 */
export const idempotencyKeySchema = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(/^[\x21-\x7E]+$/, 'must be 1 to 255 visible ASCII characters, such as a UUID');

/** Spread into a mutation's input object: `z.strictObject({ ...fields, ...idempotencyKeyField })`. */
export const idempotencyKeyField = { idempotencyKey: idempotencyKeySchema.optional() };

interface ResolverOptions<TContext extends Context, TInput> {
  ctx: TContext;
  input: TInput;
  path: string;
}

/**
 * Wrap a mutation resolver so that a request carrying `idempotencyKey` runs
 * once per caller and key (see IdempotencyService for the two exceptions).
 * A replay with the same procedure and input returns the first response.
 * The same key with different input fails with IDEMPOTENCY_KEY_REUSED.
 * Without a key the resolver runs as usual.
 *
 *     update: protectedProcedure
 *       .input(z.strictObject({ id: objectIdSchema, ...idempotencyKeyField }))
 *       .output(taskSchema)
 *       .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.update(...))),
 */
export function idempotent<TContext extends Context, TInput extends { idempotencyKey?: string | undefined }, TOutput>(
  resolve: (options: ResolverOptions<TContext, TInput>) => Promise<TOutput>,
): (options: ResolverOptions<TContext, TInput>) => Promise<TOutput> {
  return async (options) => {
    const { idempotencyKey, ...rest } = options.input;
    if (idempotencyKey === undefined) return resolve(options);

    let first: { value: TOutput } | undefined;
    const stored = await options.ctx.services.idempotency.execute(
      { userId: options.ctx.actor?.userId ?? null, key: idempotencyKey, operation: options.path, fingerprint: fingerprintOf(options.path, rest) },
      async () => {
        first = { value: await resolve(options) };
        return JSON.stringify(superjson.serialize(first.value));
      },
    );
    return first ? first.value : superjson.deserialize<TOutput>(JSON.parse(stored));
  };
}

/**
 * Derive the id of a resource created under an idempotency key from the
 * caller, the key and the input's fingerprint. A rerun of a create whose
 * first run committed but never recorded its response (the process died in
 * between) then finds the resource instead of making a second one, and a
 * key reused with other input after it expired makes a new resource. The id
 * has the 24-hex-digit ObjectId form.
 */
export function idForIdempotentCreate(userId: string, key: string, fingerprint: string): string {
  return createHash('sha256').update('create\n').update(userId).update('\n').update(key).update('\n').update(fingerprint).digest('hex').slice(0, 24);
}

/** SHA-256 of the procedure path and its input with object keys sorted, so key order does not matter. */
export function fingerprintOf(path: string, input: unknown): string {
  const serialized = superjson.serialize(input);
  return createHash('sha256').update(path).update('\n').update(stableStringify(serialized)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareKeys(a, b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
