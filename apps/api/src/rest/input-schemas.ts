// Helpers that read zod 4 schemas through their definitions. Procedures are
// only typed as tRPC procedures here, so schemas arrive as unknown values.

interface SchemaDef {
  type: string;
  coerce?: boolean;
  innerType?: unknown;
  element?: unknown;
  shape?: Record<string, unknown>;
  in?: unknown;
  out?: unknown;
  options?: unknown[];
  getter?: () => unknown;
}

const COERCIBLE = new Set(['number', 'boolean', 'bigint', 'date']);
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

function defOf(schema: unknown): SchemaDef | null {
  const zod = (schema as { _zod?: { def?: SchemaDef } } | null)?._zod;
  return zod?.def ?? null;
}

/** Strips optional, nullable and default wrappers, returning the schema that decides the value's type. */
export function unwrapSchema(schema: unknown): unknown {
  let current = schema;
  for (let def = defOf(current); def && WRAPPERS.has(def.type) && def.innerType; def = defOf(current)) {
    current = def.innerType;
  }
  return current;
}

/** Returns the zod type name of a field after unwrapping (`number`, `boolean`, `date`, `string`, `object`, ...). */
export function leafType(schema: unknown): string | null {
  return defOf(unwrapSchema(schema))?.type ?? null;
}

/** Returns the fields of an object input schema, or null when the input is not an object. */
export function objectShape(schema: unknown): Record<string, unknown> | null {
  const def = defOf(unwrapSchema(schema));
  return def?.type === 'object' && def.shape ? def.shape : null;
}

/**
 * Pins the `coerce` flag of every number, boolean, bigint and date schema
 * reachable from `schema` to its current value. trpc-to-openapi 3.3.0 sets
 * `coerce = true` on the input schemas of a procedure the first time it
 * serves it over REST. The schemas are shared with tRPC, so tRPC would then
 * accept "5" for a number, and `Boolean("false")` would read a query string
 * `false` as true. Query strings are converted strictly before validation
 * instead (see `convertQuery`).
 */
export function pinCoercion(schema: unknown, seen = new Set<unknown>()): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = defOf(schema);
  if (!def) return;

  if (COERCIBLE.has(def.type)) {
    // Pinned already, by another server built in this process.
    if (Object.getOwnPropertyDescriptor(def, 'coerce')?.get) return;
    const pinned = def.coerce ?? false;
    Object.defineProperty(def, 'coerce', {
      get: () => pinned,
      set: () => {},
      enumerable: true,
      configurable: false,
    });
    return;
  }
  for (const child of [def.innerType, def.element, def.in, def.out, ...(def.options ?? []), ...Object.values(def.shape ?? {})]) {
    if (child !== undefined) pinCoercion(child, seen);
  }
  if (def.type === 'lazy' && def.getter) pinCoercion(def.getter(), seen);
}
