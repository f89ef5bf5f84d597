export const roles = ['admin', 'manager', 'member'] as const;
export type Role = (typeof roles)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

/** The authenticated caller of a service. */
export interface Actor {
  userId: string;
  role: Role;
}

export const EMAIL_MAX_LENGTH = 254;
/** Display names: at most this many characters, counted like titles. */
export const NAME_MAX_LENGTH = 100;
/** Bound on the raw name checked before any counting. */
export const NAME_MAX_CODE_UNITS = 400;
export const PASSWORD_MIN_LENGTH = 8;
/** scrypt hashes any length, but a bound keeps one request from costing much CPU. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Canonical form used for uniqueness and login: trimmed and lower-cased.
 * Emails are compared case-insensitively by storing this form, not through a
 * collation, so the rule is the same on every MongoDB-compatible server.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Lifecycle of a stored account. `deleting` is set before a user's
 * assignments are cleared, so that new assignments to the user are rejected
 * and the user's tokens stop working while the deletion runs.
 */
export const userStatuses = ['active', 'deleting'] as const;
export type UserStatus = (typeof userStatuses)[number];
