import { z } from 'zod';
import { permittedProcedure, router } from '../trpc.js';
import { idempotencyKeyField, idempotent } from '../idempotency.js';
import { objectIdSchema, pageInputSchema, pageOf, roleSchema, userSchema } from '../schemas.js';

const adminProcedure = permittedProcedure('users.manage');

export const usersRouter = router({
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/users', tags: ['users'], summary: 'List users (admins)' } })
    .input(pageInputSchema.optional())
    .output(pageOf(userSchema))
    .query(({ ctx, input }) => {
      const page = pageInputSchema.parse(input ?? {});
      return ctx.services.users.list(ctx.actor, { page: page.page, perPage: page.per_page });
    }),

  setRole: adminProcedure
    .meta({ openapi: { method: 'PUT', path: '/users/{id}/role', tags: ['users'], summary: 'Change the role of a user (admins)' } })
    .input(z.strictObject({ id: objectIdSchema, role: roleSchema, ...idempotencyKeyField }))
    .output(userSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.users.setRole(ctx.actor, input.id, input.role))),

  delete: adminProcedure
    .meta({ openapi: { method: 'DELETE', path: '/users/{id}', tags: ['users'], summary: 'Delete a user and clear their assignments (admins)' } })
    .input(z.strictObject({ id: objectIdSchema, ...idempotencyKeyField }))
    .output(z.object({ userId: z.string(), unassignedTaskIds: z.array(z.string()) }))
    .mutation(idempotent(({ ctx, input }) => ctx.services.users.delete(ctx.actor, input.id))),
});
