import { z } from 'zod';
import { taskEventTypes } from '@taskwire/domain';
import { idempotencyKeyField } from './idempotency.js';
import { descriptionSchema, objectIdSchema, pageInputSchema, taskPrioritySchema, taskStateSchema, titleSchema, versionSchema } from './schemas.js';

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
