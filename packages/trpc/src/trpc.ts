import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { AppError } from '@taskwire/domain';
import type { Context } from './context.js';
import { describeIssues, schemaIssues, toTRPCError } from './errors.js';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const issues = error.code === 'BAD_REQUEST' ? schemaIssues(cause) : null;
    const appError = cause instanceof AppError ? cause : null;
    // Stack traces never leave the server, in any environment.
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: issues ? describeIssues(issues) : shape.message,
      data: {
        ...data,
        appCode: appError?.code ?? (issues ? 'VALIDATION_FAILED' : null),
        details: appError?.details ?? issues ?? [],
        currentVersion: appError?.currentVersion ?? null,
        retryAfterSeconds: appError?.retryAfterSeconds ?? null,
      },
    };
  },
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
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});
