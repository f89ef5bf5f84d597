import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { protectedProcedure, publicProcedure, router } from '../trpc.js';
import { idempotencyKeyField, idempotent } from '../idempotency.js';
import { emailSchema, nameSchema, passwordSchema, userSchema } from '../schemas.js';

const registerInput = z.strictObject({ email: emailSchema, password: passwordSchema, name: nameSchema, ...idempotencyKeyField });
const loginInput = z.strictObject({ email: emailSchema, password: z.string().max(1024, 'must be at most 1024 characters') });
const loginOutput = z.object({ token: z.string(), expiresAt: z.date(), user: userSchema });

export const authRouter = router({
  register: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/register', tags: ['auth'], protect: false, summary: 'Register a member account', successDescription: 'The new user' } })
    .input(registerInput)
    .output(userSchema)
    .mutation(
      idempotent(({ ctx, input }) => {
        const { idempotencyKey: _key, ...fields } = input;
        return ctx.services.auth.register(fields);
      }),
    ),

  login: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/login', tags: ['auth'], protect: false, summary: 'Log in and get an access token', successDescription: 'A bearer token, its expiry and the user' } })
    .input(loginInput)
    .output(loginOutput)
    .mutation(async ({ ctx, input }) => {
      const { token, expiresAt, user } = await ctx.services.auth.login(input);
      return { token, expiresAt, user };
    }),

  logout: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/logout', tags: ['auth'], summary: 'Revoke the access token of this request' } })
    .input(z.strictObject({}).optional())
    .output(z.object({ revoked: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Logout requires the access token to revoke.' });
      await ctx.services.auth.logout(ctx.actor, ctx.session);
      return { revoked: true as const };
    }),

  me: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/auth/me', tags: ['auth'], summary: 'Get the calling user' } })
    .input(z.strictObject({}).optional())
    .output(userSchema)
    .query(({ ctx }) => ctx.services.auth.me(ctx.actor)),
});
