import { z } from 'zod';
import { fingerprintOf, idempotent, idForIdempotentCreate } from '../idempotency.js';
import { protectedProcedure, router } from '../trpc.js';
import { objectIdSchema, pageOf, taskSchema } from '../schemas.js';
import {
  assignTaskInput,
  createTaskInput,
  deletedTaskSchema,
  listTasksInput,
  taskListOutput,
  taskHistoryEntrySchema,
  taskHistoryInput,
  taskVersionInput,
  transitionTaskInput,
  updateTaskInput,
} from '../task-schemas.js';

export const tasksRouter = router({
  create: protectedProcedure
    .input(createTaskInput)
    .output(taskSchema)
    .mutation(
      idempotent(({ ctx, input, path }) => {
        const { idempotencyKey, ...fields } = input;
        const id = idempotencyKey === undefined ? undefined : idForIdempotentCreate(ctx.actor.userId, idempotencyKey, fingerprintOf(path, fields));
        return ctx.services.tasks.create(ctx.actor, fields, { id });
      }),
    ),

  get: protectedProcedure
    .input(z.strictObject({ id: objectIdSchema }))
    .output(taskSchema)
    .query(({ ctx, input }) => ctx.services.tasks.get(ctx.actor, input.id)),

  list: protectedProcedure
    .input(listTasksInput.optional())
    .output(taskListOutput)
    .query(({ ctx, input }) => {
      const query = listTasksInput.parse(input ?? {});
      const states = query.state === undefined ? undefined : Array.isArray(query.state) ? query.state : [query.state];
      return ctx.services.tasks.list(ctx.actor, {
        filter: {
          states,
          assigneeId: query.assignee === 'unassigned' ? null : query.assignee,
          creatorId: query.creator,
          createdAt: { from: query.createdFrom, to: query.createdTo },
          updatedAt: { from: query.updatedFrom, to: query.updatedTo },
          titleContains: query.title,
        },
        sort: { field: query.sort, direction: query.order },
        page: query.page,
        perPage: query.per_page,
        cursor: query.cursor,
      });
    }),

  update: protectedProcedure
    .input(updateTaskInput)
    .output(taskSchema)
    .mutation(
      idempotent(({ ctx, input }) => {
        const { id, expectedVersion, idempotencyKey: _key, ...changes } = input;
        return ctx.services.tasks.update(ctx.actor, id, changes, expectedVersion);
      }),
    ),

  transition: protectedProcedure
    .input(transitionTaskInput)
    .output(taskSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.transition(ctx.actor, input.id, input.to, input.expectedVersion))),

  assign: protectedProcedure
    .input(assignTaskInput)
    .output(taskSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.assign(ctx.actor, input.id, input.assigneeId, input.expectedVersion))),

  unassign: protectedProcedure
    .input(taskVersionInput)
    .output(taskSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.unassign(ctx.actor, input.id, input.expectedVersion))),

  delete: protectedProcedure
    .input(taskVersionInput)
    .output(deletedTaskSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.delete(ctx.actor, input.id, input.expectedVersion))),

  history: protectedProcedure
    .input(taskHistoryInput)
    .output(pageOf(taskHistoryEntrySchema))
    .query(({ ctx, input }) => ctx.services.tasks.history(ctx.actor, input.id, { page: input.page, perPage: input.per_page })),
});
