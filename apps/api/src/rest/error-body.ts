import { errorCodeTable, type ErrorCode, type FieldIssue } from '@taskwire/domain';
import { describeIssues } from '@taskwire/trpc';

/** The one JSON body of every failed REST request. */
export interface RestErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details: FieldIssue[];
    requestId: string;
    retryAfterSeconds?: number;
    currentVersion?: number;
  };
}

export interface RestError {
  status: number;
  body: RestErrorBody;
}

// Failures raised by tRPC or trpc-to-openapi themselves carry only a tRPC code.
const codeForTrpcCode: Record<string, ErrorCode> = {
  PARSE_ERROR: 'VALIDATION_FAILED',
  BAD_REQUEST: 'VALIDATION_FAILED',
  UNSUPPORTED_MEDIA_TYPE: 'VALIDATION_FAILED',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
};

const codeForStatus: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION_FAILED',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

export const INTERNAL_MESSAGE = 'The server failed to handle the request; report the request id if it persists.';

export function restError(status: number, code: ErrorCode, message: string, requestId: string, extra: Partial<RestErrorBody['error']> = {}): RestError {
  return { status, body: { error: { code, message, details: [], requestId, ...extra } } };
}

/** The body that trpc-to-openapi sends for a failed call: the router's error shape plus its tRPC code. */
interface OpenApiFailure {
  message?: string;
  code?: string;
  /** Zod issues, which trpc-to-openapi adds for input validation failures. */
  issues?: { path?: PropertyKey[]; message: string; code?: string }[];
  data?: {
    path?: string;
    appCode?: ErrorCode | null;
    details?: FieldIssue[];
    currentVersion?: number | null;
    retryAfterSeconds?: number | null;
  };
}

/** Rebuilds a trpc-to-openapi error body, whose message and stack fields vary, into the REST error body. */
export interface FailureRequest {
  id: string;
  method: string;
  url: string;
  /** Input fields that came from headers, by field name, so details name the header the client sent. */
  headerFields?: Record<string, string>;
}

export function fromOpenApiFailure(status: number, failure: OpenApiFailure, request: FailureRequest): RestError {
  const { id: requestId, method, url } = request;
  const data = failure.data ?? {};
  const code: ErrorCode = data.appCode ?? codeForTrpcCode[failure.code ?? ''] ?? codeForStatus[status] ?? 'INTERNAL';
  const headerFields = request.headerFields ?? {};
  const details = (data.details?.length ? data.details : (failure.issues ?? []).map(issueDetail)).map((detail) => {
    const header = headerFields[detail.path];
    return header === undefined ? detail : { ...detail, path: header };
  });

  let message = failure.message ?? 'Request failed.';
  if (code === 'VALIDATION_FAILED' && details.length > 0) message = describeIssues(details);
  else if (failure.code === 'NOT_FOUND' && data.path === undefined) message = routeNotFoundMessage(method, url);
  else if (failure.code === 'PARSE_ERROR') message = 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.';
  else if (code === 'INTERNAL') message = INTERNAL_MESSAGE;

  const extra: Partial<RestErrorBody['error']> = { details };
  if (typeof data.retryAfterSeconds === 'number') extra.retryAfterSeconds = data.retryAfterSeconds;
  if (typeof data.currentVersion === 'number') extra.currentVersion = data.currentVersion;
  let finalStatus = status >= 400 ? status : errorCodeTable[code].http;
  if (code === 'INTERNAL') finalStatus = 500;
  return restError(finalStatus, code, message, requestId, extra);
}

function issueDetail(issue: { path?: PropertyKey[]; message: string; code?: string }): FieldIssue {
  const path = (issue.path ?? []).map(String).join('.') || '(input)';
  return issue.code === undefined ? { path, message: issue.message } : { path, message: issue.message, rule: issue.code };
}

export function routeNotFoundMessage(method: string, url: string): string {
  const path = url.split('?')[0] ?? url;
  return `No route matches ${method} ${path}; /openapi.json lists the available operations.`;
}

/** Maps a Fastify error (malformed JSON, body too large, rate limited, ...) raised before a procedure ran. */
export function fromFastifyError(error: { statusCode?: number; message: string; code?: string; retryAfterSeconds?: number }, requestId: string, retryAfter?: string): RestError {
  const status = error.statusCode ?? 500;
  const code = status >= 500 ? 'INTERNAL' : (codeForStatus[status] ?? 'VALIDATION_FAILED');
  let message = error.message;
  if (code === 'INTERNAL') message = INTERNAL_MESSAGE;
  else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') message = 'The request body is larger than the 1 MiB limit; send a smaller body.';
  else if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    message = `The request body is not valid JSON (${error.message}); send a JSON object with Content-Type: application/json.`;
  }
  const extra: Partial<RestErrorBody['error']> = {};
  const seconds = error.retryAfterSeconds ?? (retryAfter === undefined ? Number.NaN : Number(retryAfter));
  if (code === 'RATE_LIMITED' && Number.isFinite(seconds)) extra.retryAfterSeconds = seconds;
  return restError(code === 'INTERNAL' ? 500 : status, code, message, requestId, extra);
}
