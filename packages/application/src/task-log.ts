import type { Task, TaskEvent } from '@taskwire/domain';
import type { AppendResult, TaskEventRepository, TaskRepository } from './ports.js';

/**
 * The two-step write behind every task change, and its repair.
 *
 * A change is committed by inserting its event, unique on taskId and
 * version. The task document is a cache of the newest event's snapshot,
 * written afterwards. If a process dies between the two steps, `load` on the
 * next read and `repairUnapplied` in the sweeper write the missing snapshot.
 */
export class TaskLog {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly events: TaskEventRepository,
    private readonly onApplyFailure: (error: unknown, event: TaskEvent) => void = () => {},
  ) {}

  /**
   * Append the event and then apply it to the task document. Once the
   * append succeeded the change is committed, so a failure to apply it is
   * reported through `onApplyFailure` and left to the next read or the
   * sweeper rather than returned to the caller as a failed change.
   */
  async commit(event: TaskEvent): Promise<AppendResult> {
    const outcome = await this.events.append(event);
    if (outcome === 'appended') {
      try {
        await this.apply(event);
      } catch (error) {
        this.onApplyFailure(error, event);
      }
    }
    return outcome;
  }

  /**
   * Read a task and apply any committed events its document has not caught
   * up with. Returns null for a task that never existed or was deleted.
   */
  async load(id: string): Promise<Task | null> {
    let task = await this.tasks.findById(id);
    if (task === null) {
      // No document: the task never existed, was deleted, or its creation
      // crashed before the first write. The newest event shows which.
      const latest = await this.events.findLatest(id);
      if (latest === null) return null;
      if (!latest.applied) await this.apply(latest);
      if (latest.snapshot === null) return null;
      task = latest.snapshot;
    }
    for (;;) {
      const next = await this.events.findVersion(id, task.version + 1);
      if (next === null) return task;
      await this.apply(next);
      if (next.snapshot === null) return null;
      task = next.snapshot;
    }
  }

  /** Bring each listed task up to date, dropping those whose newest event deleted them. */
  async catchUpMany(tasks: Task[]): Promise<Task[]> {
    const pending = await this.events.findNextVersions(tasks.map((task) => ({ taskId: task.id, version: task.version })));
    if (pending.length === 0) return tasks;
    const stale = new Set(pending.map((event) => event.taskId));
    const current = await Promise.all(tasks.map(async (task) => (stale.has(task.id) ? this.load(task.id) : task)));
    return current.filter((task): task is Task => task !== null);
  }

  /**
   * Apply unapplied events committed before `before`, oldest first, at most
   * `limit` of them. Returns how many events were examined. Events younger
   * than `before` are left alone because their writer is likely still
   * between its two steps.
   */
  async repairUnapplied(before: Date, limit: number): Promise<number> {
    const unapplied = await this.events.findUnapplied(before, limit);
    for (const event of unapplied) {
      await this.load(event.taskId);
      // `load` applied every event above the document's version; this one is
      // at or below it, so only its flag was left behind.
      await this.events.markApplied(event.taskId, event.version);
    }
    return unapplied.length;
  }

  private async apply(event: TaskEvent): Promise<void> {
    if (event.snapshot === null) await this.tasks.remove(event.taskId);
    else await this.tasks.applySnapshot(event.snapshot);
    await this.events.markApplied(event.taskId, event.version);
  }
}
