import { AppError, normalizeEmail, normalizeName, type Actor, type User } from '@taskwire/domain';
import type { Clock, IdGenerator, IssuedToken, PasswordHasher, TokenIssuer, TokenRevocation, UserRepository } from './ports.js';

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface AuthServiceDeps {
  users: UserRepository;
  hasher: PasswordHasher;
  tokens: TokenIssuer;
  clock: Clock;
  ids: IdGenerator;
  revocation: TokenRevocation;
}

/** The token that authenticated the current request. */
export interface SessionToken {
  tokenId: string;
  expiresAt: Date;
}

export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  /** Create a member account. Rejects with CONFLICT when the email is taken. */
  async register(input: RegisterInput): Promise<User> {
    const email = normalizeEmail(input.email);
    const name = normalizeName(input.name);
    if (!name.ok) throw AppError.validation('name', name.message, name.rule);
    const passwordHash = await this.deps.hasher.hash(input.password);
    return this.deps.users.insert({
      id: this.deps.ids.newId(),
      email,
      name: name.value,
      role: 'member',
      passwordHash,
      createdAt: this.deps.clock.now(),
    });
  }

  /**
   * Check the credentials and issue an access token. Unknown emails and
   * wrong passwords get the same error, and both run one password check, so
   * neither the message nor the timing reveals whether an account exists.
   */
  async login(input: LoginInput): Promise<IssuedToken & { user: User }> {
    const record = await this.deps.users.findByEmail(normalizeEmail(input.email));
    const valid = await this.deps.hasher.verify(input.password, record?.passwordHash ?? DUMMY_HASH);
    if (!record || !valid) {
      throw new AppError('UNAUTHENTICATED', 'Invalid email or password.');
    }
    const { passwordHash: _secret, status: _status, ...user } = record;
    const issued = await this.deps.tokens.issue(user);
    return { ...issued, user };
  }

  /** Revoke the token that authenticated this request; other tokens of the user stay valid. */
  async logout(actor: Actor, session: SessionToken): Promise<void> {
    await this.deps.revocation.revoke({ tokenId: session.tokenId, userId: actor.userId, expiresAt: session.expiresAt, revokedAt: this.deps.clock.now() });
  }

  /** The caller's own account. */
  async me(actor: Actor): Promise<User> {
    const user = await this.deps.users.findById(actor.userId);
    if (!user) throw new AppError('UNAUTHENTICATED', 'The account for this access token was deleted.');
    return user;
  }
}

// A well-formed hash of a random password, checked when the email is unknown.
const DUMMY_HASH =
  'scrypt$16384$8$1$6a1b7c0d5e4f3a2b1c0d9e8f7a6b5c4d$0b9f2b1e4c7d0a3f6e9b2c5f8a1d4e7b0c3f6a9d2e5b8c1f4a7d0e3b6c9f2a5d8e1b4c7f0a3d6e9b2c5f8a1d4e7b0c3f6a9d2e5b8c1f4a7d0e3b6c9f2a5d';
