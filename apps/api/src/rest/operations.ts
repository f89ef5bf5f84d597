import type { ApiMeta } from '@taskwire/trpc';
import { objectShape, pinCoercion } from './input-schemas.js';

type Method = NonNullable<ApiMeta['openapi']>['method'];

/** One REST operation: the procedure behind it and the fields its input accepts. */
export interface RestOperation {
  method: Method;
  /** The path template below the base path, such as `/tasks/{id}`. */
  path: string;
  procedure: string;
  pattern: RegExp;
  /** Input fields by name, or null when the input is not an object. */
  fields: Record<string, unknown> | null;
}

interface ProcedureLike {
  _def: { meta?: ApiMeta; inputs?: unknown[] };
}

function pathPattern(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Lists the procedures that have OpenAPI metadata, and pins the coercion
 * flags of their input schemas before trpc-to-openapi first touches them.
 */
export function restOperations(router: { _def: { procedures: Record<string, unknown> } }): RestOperation[] {
  const operations: RestOperation[] = [];
  for (const [name, value] of Object.entries(router._def.procedures)) {
    const procedure = value as ProcedureLike;
    const openapi = procedure._def.meta?.openapi;
    if (!openapi) continue;
    const inputs = procedure._def.inputs ?? [];
    inputs.forEach((input) => pinCoercion(input));
    operations.push({
      method: openapi.method,
      path: openapi.path,
      procedure: name,
      pattern: pathPattern(openapi.path),
      fields: inputs.length === 1 ? objectShape(inputs[0]) : null,
    });
  }
  return operations;
}

export function findOperation(operations: readonly RestOperation[], method: string, path: string): RestOperation | undefined {
  return operations.find((operation) => operation.method === method && operation.pattern.test(path));
}
