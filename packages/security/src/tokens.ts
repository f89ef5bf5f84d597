import { randomUUID } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { AppError, type Role } from '@taskwire/domain';
import type { IssuedToken, TokenIssuer } from '@taskwire/application';

/** The only algorithm tokens are signed and accepted with. */
export const JWT_ALGORITHM = 'HS256';
export const JWT_MIN_SECRET_BYTES = 32;
const TOKEN_TYPE = 'at+jwt';

export interface TokenSettings {
  secret: Uint8Array;
  issuer: string;
  audience: string;
  /** Token lifetime in seconds; 24 hours unless set. */
  ttlSeconds?: number;
  /** Accepted clock difference between nodes, in seconds. */
  clockToleranceSeconds?: number;
  now?: () => Date;
}

export interface VerifiedToken {
  userId: string;
  tokenId: string;
  role: Role;
  expiresAt: Date;
}

/** Issue and verify HS256 access tokens with required exp, jti, sub, iss and aud claims. */
export class JwtTokenService implements TokenIssuer {
  private readonly ttlSeconds: number;
  private readonly clockToleranceSeconds: number;
  private readonly now: () => Date;

  constructor(private readonly settings: TokenSettings) {
    if (settings.secret.byteLength < JWT_MIN_SECRET_BYTES) {
      throw new Error(`The JWT secret is ${settings.secret.byteLength} bytes; it must be at least ${JWT_MIN_SECRET_BYTES} bytes.`);
    }
    this.ttlSeconds = settings.ttlSeconds ?? 24 * 60 * 60;
    this.clockToleranceSeconds = settings.clockToleranceSeconds ?? 30;
    this.now = settings.now ?? (() => new Date());
  }

  /** How long after issue a token can still be accepted: its lifetime plus the clock tolerance, in milliseconds. */
  get acceptanceWindowMs(): number {
    return (this.ttlSeconds + this.clockToleranceSeconds) * 1000;
  }

  async issue(user: { id: string; role: Role }): Promise<IssuedToken> {
    const tokenId = randomUUID();
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAtSeconds = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ role: user.role })
      .setProtectedHeader({ alg: JWT_ALGORITHM, typ: TOKEN_TYPE })
      .setSubject(user.id)
      .setJti(tokenId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAtSeconds)
      .sign(this.settings.secret);
    return { token, tokenId, expiresAt: new Date(expiresAtSeconds * 1000) };
  }

  /** Verify signature, algorithm, type and claims; any failure is UNAUTHENTICATED. */
  async verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, this.settings.secret, {
        algorithms: [JWT_ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: TOKEN_TYPE,
        requiredClaims: ['exp', 'jti', 'sub', 'iat', 'iss', 'aud'],
        clockTolerance: this.clockToleranceSeconds,
        currentDate: this.now(),
      });
      const role = payload.role;
      if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number' || (role !== 'admin' && role !== 'manager' && role !== 'member')) {
        throw new AppError('UNAUTHENTICATED', 'The access token is missing required claims; log in again.');
      }
      return { userId: payload.sub, tokenId: payload.jti, role, expiresAt: new Date(payload.exp * 1000) };
    } catch (error) {
      if (error instanceof AppError) throw error;
      const reason = error instanceof joseErrors.JWTExpired ? 'has expired' : 'is invalid';
      throw new AppError('UNAUTHENTICATED', `The access token ${reason}; log in again to get a new one.`, { cause: error });
    }
  }
}
