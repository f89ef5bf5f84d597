import { z } from 'zod';
import {
  DEFAULT_PER_PAGE,
  EMAIL_MAX_LENGTH,
  MAX_PER_PAGE,
  NAME_MAX_CODE_UNITS,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  DESCRIPTION_MAX_CODE_UNITS,
  TITLE_MAX_CODE_UNITS,
  normalizeName,
  normalizeTitle,
  roles,
  taskPriorities,
  taskStates,
} from '@taskwire/domain';

// Every string is bounded by length before any pattern or refinement runs,
// and every object is strict, so unknown keys such as `$where` or
// `__proto__` are rejected rather than passed along.

// Ids are compared as strings, so only the canonical lower-case form is accepted.
export const objectIdSchema = z
  .string()
  .regex(/^[0-9a-f]{24}$/, 'must be a 24-character lower-case hexadecimal id');

export const emailSchema = z
  .string()
  .max(EMAIL_MAX_LENGTH, `must be at most ${EMAIL_MAX_LENGTH} characters`)
  .pipe(z.email('must be an email address such as ada@example.com'));

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const nameSchema = z
  .string()
  .max(NAME_MAX_CODE_UNITS, `must be at most ${NAME_MAX_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const result = normalizeName(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
  });

export const titleSchema = z
  .string()
  .max(TITLE_MAX_CODE_UNITS, `must be at most ${TITLE_MAX_CODE_UNITS} UTF-16 code units`)
  .superRefine((value, ctx) => {
    const result = normalizeTitle(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
  });

export const descriptionSchema = z.string().max(DESCRIPTION_MAX_CODE_UNITS, `must be at most ${DESCRIPTION_MAX_CODE_UNITS} characters`);

export const taskStateSchema = z.enum(taskStates);
export const taskPrioritySchema = z.enum(taskPriorities);
export const roleSchema = z.enum(roles);
export const versionSchema = z.number().int().min(1, 'must be a version number of 1 or more');

export const pageInputSchema = z.strictObject({
  page: z.number().int().min(1, 'must be 1 or more').max(1_000_000).default(1),
  per_page: z.number().int().min(1, 'must be 1 or more').max(MAX_PER_PAGE, `must be at most ${MAX_PER_PAGE}`).default(DEFAULT_PER_PAGE),
});

export const pageMetaSchema = z.object({
  current_page: z.number().int(),
  per_page: z.number().int(),
  total_pages: z.number().int(),
  total_count: z.number().int(),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const taskSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  state: taskStateSchema,
  priority: taskPrioritySchema,
  creatorId: z.string(),
  assigneeId: z.string().nullable(),
  dueAt: z.date().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  allowedTransitions: z.array(taskStateSchema),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), meta: pageMetaSchema });
}
