/** True for a MongoDB duplicate-key error (code 11000) from any driver call. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
