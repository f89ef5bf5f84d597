import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URI without a database name; each test file uses its own database. */
    mongoUri: string;
  }
}

/** Build a connection URI for a database that no other test file uses. */
export function uniqueDatabaseUri(label: string): string {
  const url = new URL(inject('mongoUri'));
  url.pathname = `/tw_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}
