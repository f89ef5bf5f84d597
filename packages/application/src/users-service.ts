import { AppError, authorize, normalizeEmail, normalizeName, type Actor, type Page, type PageRequest, type Role, type User } from '@taskwire/domain';
import type { AccessChangeListener, Clock, IdGenerator, PasswordHasher, TaskUnassigner, UserRepository, UserTaskReferences } from './ports.js';

export interface UsersServiceDeps {
  users: UserRepository;
  references: UserTaskReferences;
  unassigner: TaskUnassigner;
  hasher: PasswordHasher;
  clock: Clock;
  ids: IdGenerator;
  /** The local access cache, notified at once so this node applies a change before its next poll. */
  accessChanges?: AccessChangeListener;
}

export interface DeleteUserResult {
  userId: string;
  /** Tasks whose assignment to the deleted user was cleared, each recorded as an unassignment event. */
  unassignedTaskIds: string[];
}

export interface EnsureAdminInput {
  email: string;
  password: string;
  name: string;
}

const UNASSIGN_BATCH = 100;

export class UsersService {
  constructor(private readonly deps: UsersServiceDeps) {}

  async list(actor: Actor, page: PageRequest): Promise<Page<User>> {
    authorize(actor, 'users.manage');
    return this.deps.users.list(page);
  }

  async setRole(actor: Actor, userId: string, role: Role): Promise<User> {
    authorize(actor, 'users.manage');
    if (userId === actor.userId && role !== 'admin') {
      throw new AppError('CONFLICT', 'You may not remove your own admin role; ask another admin to change it.');
    }
    const user = await this.deps.users.setRole(userId, role, this.deps.clock.now());
    if (!user) throw AppError.notFound('User', userId);
    this.notify(user.id, user.role, true, false, user.updatedAt);
    return user;
  }

  /**
   * Delete a user. Rejected with CONFLICT while the user is the creator of
   * any task. Assignments to the user are cleared through the event log.
   *
   * The user is first marked `deleting`: from then on assignments to the
   * user are rejected and the user's tokens stop working. An assignment
   * that passed its check just before that re-checks the assignee after
   * committing and undoes itself. A last sweep after the removal clears any
   * assignment that still slipped through, so no task is left pointing at a
   * missing user.
   */
  async delete(actor: Actor, userId: string): Promise<DeleteUserResult> {
    authorize(actor, 'users.manage');
    if (userId === actor.userId) {
      throw new AppError('CONFLICT', 'You may not delete your own account; ask another admin to delete it.');
    }
    const record = await this.deps.users.findRecordById(userId);
    if (!record) throw AppError.notFound('User', userId);

    await this.setStatus(record.id, record.role, 'deleting');
    // A task committed after this count withdraws itself: task creation
    // re-reads its creator after committing and finds the account inactive.
    const created = await this.deps.references.countCreatedBy(userId);
    if (created > 0) {
      await this.setStatus(record.id, record.role, 'active');
      throw new AppError(
        'CONFLICT',
        `User ${userId} created ${created} task${created === 1 ? '' : 's'}; delete or hand over those tasks before deleting the user.`,
        { details: [{ path: 'id', rule: 'restrict', message: `is the creator of ${created} task${created === 1 ? '' : 's'}` }] },
      );
    }

    const unassigned = await this.clearAssignments(actor, userId);
    const at = this.deps.clock.now();
    await this.deps.users.remove(userId, at);
    this.notify(userId, record.role, false, true, at);
    unassigned.push(...(await this.clearAssignments(actor, userId)));
    return { userId, unassignedTaskIds: unassigned };
  }

  /**
   * Create an admin account, or promote the existing account with this
   * email to admin (its password is left unchanged). Used by the operator
   * CLI, which has no caller to authorize.
   */
  async ensureAdmin(input: EnsureAdminInput): Promise<{ user: User; created: boolean }> {
    const email = normalizeEmail(input.email);
    const existing = await this.deps.users.findByEmail(email);
    if (existing) {
      const user = existing.role === 'admin' ? existing : await this.deps.users.setRole(existing.id, 'admin', this.deps.clock.now());
      if (!user) throw AppError.notFound('User', existing.id);
      const { passwordHash: _secret, status: _status, ...plain } = { ...existing, ...user };
      return { user: plain, created: false };
    }
    const name = normalizeName(input.name);
    if (!name.ok) throw AppError.validation('name', name.message, name.rule);
    const user = await this.deps.users.insert({
      id: this.deps.ids.newId(),
      email,
      name: name.value,
      role: 'admin',
      passwordHash: await this.deps.hasher.hash(input.password),
      createdAt: this.deps.clock.now(),
    });
    return { user, created: true };
  }

  private async clearAssignments(actor: Actor, userId: string): Promise<string[]> {
    const cleared: string[] = [];
    const attempted = new Set<string>();
    for (;;) {
      const taskIds = (await this.deps.references.listAssignedTo(userId, UNASSIGN_BATCH)).filter((id) => !attempted.has(id));
      if (taskIds.length === 0) return cleared;
      for (const taskId of taskIds) {
        attempted.add(taskId);
        if (await this.deps.unassigner.unassignIfAssignedTo(actor, taskId, userId)) cleared.push(taskId);
      }
    }
  }

  private async setStatus(userId: string, role: Role, status: 'active' | 'deleting'): Promise<void> {
    const at = this.deps.clock.now();
    if (!(await this.deps.users.setStatus(userId, status, at))) throw AppError.notFound('User', userId);
    this.notify(userId, role, status === 'active', false, at);
  }

  private notify(userId: string, role: Role, active: boolean, deleted: boolean, changedAt: Date): void {
    this.deps.accessChanges?.userChanged({ userId, role, active, deleted, changedAt });
  }
}
