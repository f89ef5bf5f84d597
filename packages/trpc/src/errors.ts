import { TRPCError } from '@trpc/server';
import type { AppError} from '@taskwire/domain';
import { errorCodeTable, type FieldIssue } from '@taskwire/domain';

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: errorCodeTable[error.code].trpc, message: error.message, cause: error });
}

interface SchemaIssue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
  code?: string;
}

function hasIssues(value: unknown): value is { issues: SchemaIssue[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

function issuePath(issue: SchemaIssue): string {
  const parts = (issue.path ?? []).map((part) => (typeof part === 'object' ? String(part.key) : String(part)));
  return parts.length === 0 ? '(input)' : parts.join('.');
}

/** Field issues from an input validation failure (a zod or Standard Schema error), if that is what `cause` is. */
export function schemaIssues(cause: unknown): FieldIssue[] | null {
  if (!hasIssues(cause)) return null;
  return cause.issues.map((issue) => {
    const detail: FieldIssue = { path: issuePath(issue), message: issue.message };
    return issue.code === undefined ? detail : { ...detail, rule: issue.code };
  });
}

/** Describe each invalid field and the rule it broke in one sentence. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return `Invalid input: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`;
}
