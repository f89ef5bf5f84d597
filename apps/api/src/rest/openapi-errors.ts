import { errorCodeTable } from '@taskwire/domain';
import type { OpenAPIObject } from 'trpc-to-openapi';

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const errorBodySchema: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details', 'requestId'],
      properties: {
        code: { type: 'string', enum: Object.keys(errorCodeTable), description: 'Stable error code; the HTTP status follows from it.' },
        message: { type: 'string', description: 'What failed, on which value, and what to do.' },
        details: {
          type: 'array',
          description: 'One entry per invalid input field.',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: {
              path: { type: 'string', example: 'title' },
              message: { type: 'string' },
              rule: { type: 'string', example: 'too_small' },
            },
          },
        },
        requestId: { type: 'string', description: 'Also sent as the x-request-id header; quote it when reporting a problem.' },
        retryAfterSeconds: { type: 'number', description: 'Seconds to wait before retrying (RATE_LIMITED, UNAVAILABLE); also sent as Retry-After.' },
        currentVersion: { type: 'integer', description: 'The current version of the task (VERSION_CONFLICT).' },
      },
    },
  },
};

/**
 * Replaces the error schemas that trpc-to-openapi generates, which describe
 * its own error body, with the body that the REST bridge sends.
 */
export function withRestErrorResponses(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) {
    if (!name.startsWith('error.')) continue;
    const generated = schemas[name] as { title?: string };
    schemas[name] = generated.title ? { ...errorBodySchema, title: generated.title } : errorBodySchema;
  }
  return document;
}
