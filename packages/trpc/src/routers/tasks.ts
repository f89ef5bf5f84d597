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
    .meta({ openapi: { method: 'POST', path: '/tasks', tags: ['tasks'], summary: 'Create a task' } })
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
    .meta({ openapi: { method: 'GET', path: '/tasks/{id}', tags: ['tasks'], summary: 'Get a task' } })
    .input(z.strictObject({ id: objectIdSchema }))
    .output(taskSchema)
    .query(({ ctx, input }) => ctx.services.tasks.get(ctx.actor, input.id)),

  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/tasks', tags: ['tasks'], summary: 'List the tasks the caller may read, filtered, sorted and paged' } })
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
    .meta({ openapi: { method: 'PATCH', path: '/tasks/{id}', tags: ['tasks'], summary: 'Update the title, description, priority or due date of a task' } })
    .input(updateTaskInput)
    .output(taskSchema)
    .mutation(
      idempotent(({ ctx, input }) => {
        const { id, expectedVersion, idempotencyKey: _key, ...changes } = input;
        return ctx.services.tasks.update(ctx.actor, id, changes, expectedVersion);
      }),
    ),

  transition: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/tasks/{id}/transitions', tags: ['tasks'], summary: 'Move a task to another state' } })
    .input(transitionTaskInput)
    .output(taskSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.transition(ctx.actor, input.id, input.to, input.expectedVersion))),

  assign: protectedProcedure
    .meta({ openapi: { method: 'PUT', path: '/tasks/{id}/assignee', tags: ['tasks'], summary: 'Assign a task to a user (managers and admins)' } })
    .input(assignTaskInput)
    .output(taskSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.assign(ctx.actor, input.id, input.assigneeId, input.expectedVersion))),

  unassign: protectedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/tasks/{id}/assignee', tags: ['tasks'], summary: 'Remove the assignee of a task (managers and admins)' } })
    .input(taskVersionInput)
    .output(taskSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.unassign(ctx.actor, input.id, input.expectedVersion))),

  delete: protectedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/tasks/{id}', tags: ['tasks'], summary: 'Delete a task (admins)' } })
    .input(taskVersionInput)
    .output(deletedTaskSchema)
    .mutation(idempotent(({ ctx, input }) => ctx.services.tasks.delete(ctx.actor, input.id, input.expectedVersion))),

  history: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/tasks/{id}/history', tags: ['tasks'], summary: 'List the recorded changes of a task, oldest first' } })
    .input(taskHistoryInput)
    .output(pageOf(taskHistoryEntrySchema))
    .query(({ ctx, input }) => ctx.services.tasks.history(ctx.actor, input.id, { page: input.page, perPage: input.per_page })),
});
