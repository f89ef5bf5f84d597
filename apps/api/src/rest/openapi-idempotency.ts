import type { OpenAPIObject } from 'trpc-to-openapi';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown>; required?: string[] } }> };
};

const FIELD = 'idempotencyKey';
const MUTATING = ['post', 'patch', 'put', 'delete'];

const headerParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A fresh random value (such as a UUID) per logical request, repeated on retries: a retry returns the first response instead of repeating the change, and the same key with other input is rejected with IDEMPOTENCY_KEY_REUSED.',
  schema: { type: 'string', maxLength: 255 },
};

/**
 * Documents the idempotency key of REST mutations as the Idempotency-Key
 * header, which the bridge copies into the `idempotencyKey` input field, in
 * place of the field itself.
 */
export function withIdempotencyHeader(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const method of MUTATING) {
      const operation = (pathItem as Record<string, Operation | undefined>)[method];
      if (!operation) continue;

      let accepts = false;
      const parameters = operation.parameters ?? [];
      if (parameters.some((parameter) => parameter.name === FIELD)) {
        accepts = true;
        operation.parameters = parameters.filter((parameter) => parameter.name !== FIELD);
      }
      for (const media of Object.values(operation.requestBody?.content ?? {})) {
        const properties = media.schema?.properties;
        if (properties && FIELD in properties) {
          accepts = true;
          delete properties[FIELD];
        }
      }
      if (accepts) operation.parameters = [...(operation.parameters ?? []), { ...headerParameter }];
    }
  }
  return document;
}
