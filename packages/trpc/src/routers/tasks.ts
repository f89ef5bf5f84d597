import { z } from 'zod';
import { protectedProcedure, router } from '../trpc.js';
import {
  descriptionSchema,
  objectIdSchema,
  pageInputSchema,
  pageOf,
  taskPrioritySchema,
  taskSchema,
  taskStateSchema,
  titleSchema,
  versionSchema,
} from '../schemas.js';

const createInput = z.strictObject({
  title: titleSchema,
  description: descriptionSchema.nullish(),
  priority: taskPrioritySchema.optional(),
  dueAt: z.date().nullish(),
});

const updateInput = z.strictObject({
  id: objectIdSchema,
  expectedVersion: versionSchema.optional(),
  title: titleSchema.optional(),
  description: descriptionSchema.nullish(),
  priority: taskPrioritySchema.optional(),
  dueAt: z.date().nullish(),
});

const transitionInput = z.strictObject({
  id: objectIdSchema,
  to: taskStateSchema,
  expectedVersion: versionSchema.optional(),
});

export const tasksRouter = router({
  create: protectedProcedure
    .input(createInput)
    .output(taskSchema)
    .mutation(({ ctx, input }) => ctx.services.tasks.create(ctx.actor, input)),

  get: protectedProcedure
    .input(z.strictObject({ id: objectIdSchema }))
    .output(taskSchema)
    .query(({ ctx, input }) => ctx.services.tasks.get(ctx.actor, input.id)),

  list: protectedProcedure
    .input(pageInputSchema.optional())
    .output(pageOf(taskSchema))
    .query(({ ctx, input }) => {
      const page = pageInputSchema.parse(input ?? {});
      return ctx.services.tasks.list(ctx.actor, { page: page.page, perPage: page.per_page });
    }),

  update: protectedProcedure
    .input(updateInput)
    .output(taskSchema)
    .mutation(({ ctx, input }) => {
      const { id, expectedVersion, ...changes } = input;
      return ctx.services.tasks.update(ctx.actor, id, changes, expectedVersion);
    }),

  transition: protectedProcedure
    .input(transitionInput)
    .output(taskSchema)
    .mutation(({ ctx, input }) => ctx.services.tasks.transition(ctx.actor, input.id, input.to, input.expectedVersion)),
});
