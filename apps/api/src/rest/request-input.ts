import { leafType } from './input-schemas.js';

const DECIMAL = /^-?(?:0|[1-9]\d{0,15})(?:\.\d{1,15})?$/;
// ISO 8601 date-time with seconds and an explicit offset, as JSON clients send dates.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Converts one query-string value to the type its field expects. A value that
 * is not an exact decimal number, `true`, `false` or ISO date-time is left as
 * a string, so validation rejects it and names the field.
 */
function convertQueryValue(type: string | null, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (type === 'number' && DECIMAL.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'date') return convertDate(value);
  return value;
}

function convertDate(value: unknown): unknown {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date;
}

/** Parses query-string values strictly into the types of the input fields. */
export function convertQuery(query: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    converted[key] = Object.hasOwn(fields, key) ? convertQueryValue(leafType(fields[key]), value) : value;
  }
  return converted;
}

/**
 * Turns ISO date-time strings into Dates for date fields of a JSON body:
 * tRPC clients send real Dates through superjson, REST clients send strings.
 */
export function convertBody(body: Record<string, unknown>, fields: Record<string, unknown>): Record<string, unknown> {
  const converted: Record<string, unknown> = { ...body };
  for (const [key, value] of Object.entries(body)) {
    if (Object.hasOwn(fields, key) && leafType(fields[key]) === 'date') converted[key] = convertDate(value);
  }
  return converted;
}
