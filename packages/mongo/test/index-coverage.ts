/**
 * Decides whether a recorded query is served by a declared index, by the
 * equality-sort-range rule. The index key must start with one or more of
 * the query's equality fields (any order). Its sort fields must follow in
 * order, all in the index's direction or all reversed. Range, `$in`, `$ne`
 * and regex predicates are then checked on the documents the index returns.
 * A query with neither equality nor sort must have one of its predicates on
 * the first index field. Each branch of an `$or` must be served on its own,
 * because MongoDB plans the branches separately.
 */
export type IndexKey = Array<[string, 1 | -1]>;

export interface QueryShape {
  equality: Set<string>;
  others: Set<string>;
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return false;
  return Object.keys(value).some((key) => key.startsWith('$'));
}

/** Expand a filter into its `$or` branches (disjunctive normal form). */
export function branchesOf(filter: Record<string, unknown>): QueryShape[] {
  let branches: QueryShape[] = [{ equality: new Set(), others: new Set() }];
  const combine = (alternatives: QueryShape[]) => {
    branches = branches.flatMap((branch) =>
      alternatives.map((alternative) => ({
        equality: new Set([...branch.equality, ...alternative.equality]),
        others: new Set([...branch.others, ...alternative.others]),
      })),
    );
  };
  for (const [field, value] of Object.entries(filter)) {
    if (field === '$and') {
      for (const part of value as Record<string, unknown>[]) combine(branchesOf(part));
    } else if (field === '$or') {
      combine((value as Record<string, unknown>[]).flatMap((part) => branchesOf(part)));
    } else if (field.startsWith('$')) {
      throw new Error(`unsupported top-level operator ${field}`);
    } else if (isOperatorObject(value) && !('$eq' in value)) {
      combine([{ equality: new Set(), others: new Set([field]) }]);
    } else {
      combine([{ equality: new Set([field]), others: new Set() }]);
    }
  }
  return branches;
}

export function isServed(index: IndexKey, shape: QueryShape, sort: IndexKey): boolean {
  let position = 0;
  while (position < index.length && shape.equality.has(index[position]![0])) position += 1;
  if (shape.equality.size > 0 && position === 0) return false;

  const remainingSort = sort.filter(([field]) => !shape.equality.has(field));
  if (remainingSort.length === 0) {
    if (shape.equality.size > 0 || sort.length > 0 || shape.others.size === 0) return true;
    return shape.others.has(index[0]![0]);
  }
  const first = index[position];
  if (!first) return false;
  const flip = first[1] === remainingSort[0]![1] ? 1 : -1;
  return remainingSort.every(([field, direction], offset) => {
    const key = index[position + offset];
    return key !== undefined && key[0] === field && key[1] * flip === direction;
  });
}

/** Filter and sort of one read or write command, or null for commands that select nothing. */
export function queriesOf(command: Record<string, unknown>): Array<{ filter: Record<string, unknown>; sort: IndexKey }> {
  // The driver sends a find's sort as a Map, so both forms are read.
  const sortOf = (sort: unknown): IndexKey => {
    const entries = sort instanceof Map ? [...(sort as Map<string, number>).entries()] : Object.entries((sort ?? {}) as Record<string, number>);
    return entries.map(([field, direction]) => [field, direction === -1 ? -1 : 1]);
  };
  if ('find' in command) return [{ filter: (command.filter ?? {}) as Record<string, unknown>, sort: sortOf(command.sort) }];
  if ('aggregate' in command) {
    const pipeline = command.pipeline as Array<Record<string, unknown>>;
    const match = pipeline.find((stage) => '$match' in stage)?.$match as Record<string, unknown> | undefined;
    const sort = pipeline.find((stage) => '$sort' in stage)?.$sort;
    return [{ filter: match ?? {}, sort: sortOf(sort) }];
  }
  if ('update' in command) return (command.updates as Array<{ q: Record<string, unknown> }>).map((update) => ({ filter: update.q, sort: [] }));
  if ('delete' in command) return (command.deletes as Array<{ q: Record<string, unknown> }>).map((deletion) => ({ filter: deletion.q, sort: [] }));
  if ('findAndModify' in command) return [{ filter: (command.query ?? {}) as Record<string, unknown>, sort: sortOf(command.sort) }];
  if ('count' in command) return [{ filter: (command.query ?? {}) as Record<string, unknown>, sort: [] }];
  return [];
}
