import { initTRPC, TRPCError } from '@trpc/server';
import { AppError, authorize, type SystemAction } from '@taskwire/domain';
import type { Context } from './context.js';
import type { ApiMeta } from './meta.js';
import { formatError, toTRPCError } from './errors.js';
import { transformer } from './transformer.js';

const t = initTRPC.context<Context>().meta<ApiMeta>().create({
  transformer,
  errorFormatter: formatError,
});

/** Converts the domain's AppError into the matching tRPC error, so the HTTP status follows the code table. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    throw toTRPCError(result.error.cause);
  }
  return result;
});

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(appErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: ctx.authError ?? 'Authentication required: send an access token from auth.login as "Authorization: Bearer <token>".',
    });
  }
  return next({ ctx: { ...ctx, actor: ctx.actor, session: ctx.session } });
});

/**
 * A procedure that requires the caller's role to allow `action`, as decided
 * by the domain access policy. Denials are FORBIDDEN, never UNAUTHORIZED.
 */
export function permittedProcedure(action: SystemAction) {
  return protectedProcedure.use(({ ctx, next }) => {
    authorize(ctx.actor, action);
    return next();
  });
}
