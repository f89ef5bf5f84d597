import { AppError, isAppError, type Actor } from '@taskwire/domain';
import type { TaskUnassigner } from './ports.js';
import type { TaskService } from './task-service.js';

const MAX_ATTEMPTS = 10;

/**
 * Clears an assignment through TaskService.unassign, so each one is
 * recorded as an unassignment event. The expected version makes sure a task
 * reassigned to someone else in the meantime is left alone.
 */
export class TaskAssignmentCleaner implements TaskUnassigner {
  constructor(private readonly tasks: Pick<TaskService, 'get' | 'unassign'>) {}

  async unassignIfAssignedTo(actor: Actor, taskId: string, userId: string): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      let version: number;
      try {
        const task = await this.tasks.get(actor, taskId);
        if (task.assigneeId !== userId) return false;
        version = task.version;
      } catch (error) {
        if (isAppError(error) && error.code === 'NOT_FOUND') return false;
        throw error;
      }
      try {
        await this.tasks.unassign(actor, taskId, version);
        return true;
      } catch (error) {
        if (!(isAppError(error) && error.code === 'VERSION_CONFLICT')) throw error;
      }
    }
    throw new AppError('CONFLICT', `Task ${taskId} kept changing while its assignment to user ${userId} was being cleared; retry the request.`, {
      retryAfterSeconds: 1,
    });
  }
}
