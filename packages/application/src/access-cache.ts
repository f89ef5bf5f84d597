import { AppError, type Actor, type Role } from '@taskwire/domain';
import type { AccessChangeListener, Clock, RevokedToken, RevokedTokenStore, UserAccessChange, UserRepository } from './ports.js';

/** The claims of a token whose signature and expiry were already verified. */
export interface TokenClaims {
  userId: string;
  tokenId: string;
  role: Role;
  expiresAt: Date;
}

export interface AccessCacheDeps {
  users: Pick<UserRepository, 'accessChangesSince'>;
  revokedTokens: Pick<RevokedTokenStore, 'revokedSince'>;
  clock: Clock;
  /** Lifetime plus clock tolerance of access tokens: changes older than this cannot affect a token still accepted. */
  tokenHorizonMs: number;
  /**
   * How far each poll reads back before the newest change already seen. A
   * change stamped by a writer's clock but committed later, or by a node
   * whose clock runs behind, is still picked up if it lands within this window.
   */
  overlapMs?: number;
  /** After this long without a successful refresh, authenticated requests fail with UNAVAILABLE. */
  maxStalenessMs?: number;
}

interface UserState {
  role: Role;
  active: boolean;
  deleted: boolean;
  changedAt: number;
}

/**
 * Per-node view of revoked tokens and of users whose role or status changed
 * within the token lifetime. It is refreshed by polling two small queries
 * (revocations and user changes since a high-water mark), so checking a
 * token needs no database read. A token's own role claim is used unless the
 * user changed after it could have been issued.
 */
export class AccessCache implements AccessChangeListener {
  private readonly revoked = new Map<string, number>();
  private readonly users = new Map<string, UserState>();
  private tokenMark: number | null = null;
  private userMark: number | null = null;
  private lastRefreshAt: number | null = null;
  private readonly overlapMs: number;
  private readonly maxStalenessMs: number;

  constructor(private readonly deps: AccessCacheDeps) {
    this.overlapMs = deps.overlapMs ?? 5_000;
    this.maxStalenessMs = deps.maxStalenessMs ?? 30_000;
  }

  /** Read revocations and user changes since the high-water marks, minus the overlap window. */
  async refresh(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const horizon = now - this.deps.tokenHorizonMs;
    const [tokens, changes] = await Promise.all([
      this.deps.revokedTokens.revokedSince(new Date(this.sinceFor(this.tokenMark, horizon))),
      this.deps.users.accessChangesSince(new Date(this.sinceFor(this.userMark, horizon))),
    ]);
    for (const token of tokens) this.tokenRevoked(token);
    for (const change of changes) this.userChanged(change);
    this.prune(now, horizon);
    this.lastRefreshAt = now;
  }

  tokenRevoked(token: RevokedToken): void {
    this.revoked.set(token.tokenId, token.expiresAt.getTime());
    this.tokenMark = Math.max(this.tokenMark ?? 0, token.revokedAt.getTime());
  }

  userChanged(change: UserAccessChange): void {
    const changedAt = change.changedAt.getTime();
    const known = this.users.get(change.userId);
    this.userMark = Math.max(this.userMark ?? 0, changedAt);
    // Ids are never reused, so a deletion is final whatever arrives later.
    if (known?.deleted) return;
    if (known && known.changedAt > changedAt && !change.deleted) return;
    this.users.set(change.userId, { role: change.role, active: change.active, deleted: change.deleted, changedAt });
  }

  /** Return the caller for verified claims, or throw UNAUTHENTICATED when the token or its user was revoked. */
  check(claims: TokenClaims): Actor {
    this.assertFresh();
    if (this.revoked.has(claims.tokenId)) {
      throw new AppError('UNAUTHENTICATED', 'The access token was revoked by a logout; log in again to get a new one.');
    }
    const user = this.users.get(claims.userId);
    if (user?.deleted || user?.active === false) {
      throw new AppError('UNAUTHENTICATED', 'The account for this access token was deleted.');
    }
    return { userId: claims.userId, role: user?.role ?? claims.role };
  }

  /** True once a refresh succeeded within the staleness bound. */
  isFresh(): boolean {
    return this.lastRefreshAt !== null && this.deps.clock.now().getTime() - this.lastRefreshAt <= this.maxStalenessMs;
  }

  private assertFresh(): void {
    if (this.isFresh()) return;
    // Fail closed: a node that cannot see revocations must not accept tokens.
    throw new AppError('UNAVAILABLE', 'The server cannot confirm that tokens are not revoked because it cannot reach the database; retry shortly.', {
      retryAfterSeconds: 5,
    });
  }

  private sinceFor(mark: number | null, horizon: number): number {
    return mark === null ? horizon : Math.max(horizon, mark - this.overlapMs);
  }

  private prune(now: number, horizon: number): void {
    for (const [tokenId, expiresAt] of this.revoked) {
      if (expiresAt < now - this.deps.tokenHorizonMs) this.revoked.delete(tokenId);
    }
    // Any token issued before such a change has expired, and later tokens carry the current role.
    for (const [userId, state] of this.users) {
      if (state.changedAt < horizon) this.users.delete(userId);
    }
  }
}
