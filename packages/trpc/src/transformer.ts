import { TRPCError } from '@trpc/server';
import superjson from 'superjson';

const ENVELOPE_HINT = 'send the input as {"json": <input>}, optionally with superjson "meta", as @trpc/client with superjson does';

function isPlainContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/**
 * Check the superjson envelope of a request before superjson reads it.
 * superjson trusts `meta` to be well formed: a string in `meta.values`
 * makes it recurse until the stack overflows, and a body without the
 * `json` wrapper silently becomes undefined.
 */
export function checkEnvelope(payload: unknown): void {
  if (payload === undefined) return;
  if (!isPlainContainer(payload) || Array.isArray(payload)) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `Invalid request body ${JSON.stringify(payload)}: ${ENVELOPE_HINT}.` });
  }
  const envelope = payload as { json?: unknown; meta?: unknown };
  if (!Object.hasOwn(envelope, 'json')) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `The request body has no "json" key: ${ENVELOPE_HINT}.` });
  }
  if (envelope.meta === undefined) return;
  if (!isPlainContainer(envelope.meta) || Array.isArray(envelope.meta)) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `Invalid superjson "meta": it must be an object; ${ENVELOPE_HINT}.` });
  }
  const meta = envelope.meta as { values?: unknown; referentialEqualities?: unknown };
  for (const key of ['values', 'referentialEqualities'] as const) {
    const value = meta[key];
    if (value !== undefined && !isPlainContainer(value)) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `Invalid superjson "meta.${key}": it must be an object or array, not ${typeof value}; ${ENVELOPE_HINT}.` });
    }
  }
}

/** superjson, with request envelopes checked before they are deserialized. */
export const transformer = {
  input: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (payload: unknown) => {
      checkEnvelope(payload);
      return payload === undefined ? undefined : superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]);
    },
  },
  output: superjson,
};
