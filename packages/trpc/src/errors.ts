import { TRPCError } from '@trpc/server';
import { AppError, errorCodeTable, type FieldIssue } from '@taskwire/domain';

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

function pathParts(issue: SchemaIssue): string[] {
  return (issue.path ?? []).map((part) => (typeof part === 'object' ? String(part.key) : String(part)));
}

// Values of these fields are never echoed back in error messages.
const SECRET_FIELD = /password|token|secret/i;
const MAX_ECHO_LENGTH = 60;

/** Show the rejected value briefly, or undefined when it is secret or cannot be shown. */
function echo(input: unknown, parts: readonly string[]): string | undefined {
  if (parts.some((part) => SECRET_FIELD.test(part))) return undefined;
  let value = input;
  for (const part of parts) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  let shown: string | undefined;
  try {
    shown = value instanceof Date ? value.toISOString() : JSON.stringify(value);
  } catch {
    return undefined;
  }
  if (shown === undefined) return undefined;
  return shown.length > MAX_ECHO_LENGTH ? `${shown.slice(0, MAX_ECHO_LENGTH)}...` : shown;
}

/**
 * Convert an input validation failure (a zod or Standard Schema error) into
 * field issues, or return null when `cause` is something else. Each issue
 * names the field, the rule and, unless secret, the value that was sent.
 */
export function schemaIssues(cause: unknown, input?: unknown): FieldIssue[] | null {
  if (!hasIssues(cause)) return null;
  return cause.issues.map((issue) => {
    const parts = pathParts(issue);
    // zod's default messages start with "Invalid input: ", which the summary already contains.
    const rule = issue.message.replace(/^Invalid input: /, '');
    const received = echo(input, parts);
    const detail: FieldIssue = {
      path: parts.length === 0 ? '(input)' : parts.join('.'),
      message: received === undefined ? rule : `${rule} (received ${received})`,
    };
    return issue.code === undefined ? detail : { ...detail, rule: issue.code };
  });
}

/** Describe each invalid field and the rule it broke in one sentence. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return `Invalid input: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`;
}

interface FormatterArguments<Shape extends { message: string; data: object }> {
  shape: Shape;
  error: TRPCError;
  input: unknown;
  ctx: { requestId?: string } | undefined;
}

/**
 * Shape every tRPC error: the domain code, field details, the current
 * version on conflicts and the retry delay. Stack traces never leave the
 * server, and unexpected errors carry a generic message with the request id
 * instead of internal details such as database addresses.
 */
export function formatError<Shape extends { message: string; data: object & { stack?: string } }>({ shape, error, input, ctx }: FormatterArguments<Shape>) {
  const cause = error.cause;
  const issues = error.code === 'BAD_REQUEST' ? schemaIssues(cause, input) : null;
  const appError = cause instanceof AppError ? cause : null;
  const { stack: _stack, ...data } = shape.data;

  let message = shape.message;
  if (issues) message = describeIssues(issues);
  else if (error.code === 'INTERNAL_SERVER_ERROR' && !appError) {
    message = `Internal server error; report request id ${ctx?.requestId ?? 'unknown'} to the operators.`;
  }

  return {
    ...shape,
    message,
    data: {
      ...data,
      appCode: appError?.code ?? (issues ? 'VALIDATION_FAILED' : null),
      details: appError?.details ?? issues ?? [],
      currentVersion: appError?.currentVersion ?? null,
      retryAfterSeconds: appError?.retryAfterSeconds ?? null,
      requestId: ctx?.requestId ?? null,
    },
  };
}
