import type { Actor } from '@taskwire/domain';
import type { AuthService, IdempotencyService, SessionToken, TaskService, UsersService } from '@taskwire/application';

/** The subset of a pino logger that procedures use; plain so the router type stays free of server packages. */
export interface RequestLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface Services {
  idempotency: Pick<IdempotencyService, 'execute'>;
  auth: Pick<AuthService, 'register' | 'login' | 'logout' | 'me'>;
  users: Pick<UsersService, 'list' | 'setRole' | 'delete'>;
  tasks: Pick<TaskService, 'create' | 'get' | 'list' | 'update' | 'transition' | 'assign' | 'unassign' | 'delete' | 'history'>;
}

export interface Context {
  requestId: string;
  log: RequestLogger;
  services: Services;
  /** The verified caller, or null when the request carried no valid token. */
  actor: Actor | null;
  /** The verified token of the request, when `actor` is set. */
  session: SessionToken | null;
  /** Reason the token was rejected, when one was sent and failed verification. */
  authError: string | null;
}
