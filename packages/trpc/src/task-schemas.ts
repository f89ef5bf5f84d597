import { z } from 'zod';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, taskEventTypes, taskStates, TITLE_MAX_CHARACTERS } from '@taskwire/domain';
import { idempotencyKeyField } from './idempotency.js';
import { descriptionSchema, objectIdSchema, pageMetaSchema, pageInputSchema, taskPrioritySchema, taskSchema, taskStateSchema, titleSchema, versionSchema } from './schemas.js';

export const createTaskInput = z.strictObject({
  title: titleSchema,
  description: descriptionSchema.nullish(),
  priority: taskPrioritySchema.optional(),
  dueAt: z.date().nullish(),
  ...idempotencyKeyField,
});

export const updateTaskInput = z.strictObject({
  id: objectIdSchema,
  expectedVersion: versionSchema.optional(),
  title: titleSchema.optional(),
  description: descriptionSchema.nullish(),
  priority: taskPrioritySchema.optional(),
  dueAt: z.date().nullish(),
  ...idempotencyKeyField,
});

export const transitionTaskInput = z.strictObject({
  id: objectIdSchema,
  to: taskStateSchema,
  expectedVersion: versionSchema.optional(),
  ...idempotencyKeyField,
});

export const assignTaskInput = z.strictObject({
  id: objectIdSchema,
  assigneeId: objectIdSchema,
  expectedVersion: versionSchema.optional(),
  ...idempotencyKeyField,
});

export const taskVersionInput = z.strictObject({
  id: objectIdSchema,
  expectedVersion: versionSchema.optional(),
  ...idempotencyKeyField,
});

export const deletedTaskSchema = z.object({ id: z.string(), version: z.number().int() });

export const taskHistoryInput = pageInputSchema.extend({ id: objectIdSchema });

export const fieldChangeSchema = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });

export const taskHistoryEntrySchema = z.object({
  taskId: z.string(),
  version: z.number().int(),
  type: z.enum(taskEventTypes),
  actorId: z.string().nullable(),
  at: z.date(),
  changes: z.array(fieldChangeSchema),
});

/** 1 to 4 states, or one state; a task in any of them matches. */
const stateFilterSchema = z.union([taskStateSchema, z.array(taskStateSchema).min(1, 'must name at least one state').max(taskStates.length)]);

export const listTasksInput = z
  .strictObject({
    state: stateFilterSchema.optional(),
    /** A user id, or null (or "unassigned") for tasks without an assignee. */
    // Nullable outside the union, because trpc-to-openapi accepts a query parameter only when every union member is a string.
    assignee: z.union([objectIdSchema, z.literal('unassigned')]).nullable().optional(),
    creator: objectIdSchema.optional(),
    createdFrom: z.date().optional(),
    createdTo: z.date().optional(),
    updatedFrom: z.date().optional(),
    updatedTo: z.date().optional(),
    title: z.string().min(1, 'must not be empty').max(TITLE_MAX_CHARACTERS, `must be at most ${TITLE_MAX_CHARACTERS} characters`).optional(),
    sort: z.enum(['createdAt', 'updatedAt', 'priority', 'dueAt']).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    page: z.number().int().min(1, 'must be 1 or more').max(1_000_000).optional(),
    per_page: z.number().int().min(1, 'must be 1 or more').max(MAX_PER_PAGE, `must be at most ${MAX_PER_PAGE}`).default(DEFAULT_PER_PAGE),
    cursor: z.string().max(512, 'must be a cursor returned by tasks.list').optional(),
  })
  .refine((input) => input.page === undefined || input.cursor === undefined, { path: ['cursor'], message: 'cannot be combined with page; send either page or cursor' });

export const taskListOutput = z.object({
  data: z.array(taskSchema),
  meta: pageMetaSchema.extend({ current_page: z.number().int().nullable() }),
  next_cursor: z.string().nullable(),
});
