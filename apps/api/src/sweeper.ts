import type { IdempotencyService, TaskService } from '@taskwire/application';
import type { Logger } from 'pino';

export interface SweeperDeps {
  tasks: Pick<TaskService, 'repairUnapplied'>;
  idempotency: Pick<IdempotencyService, 'deleteExpired'>;
  logger: Logger;
  intervalMs: number;
}

/**
 * Run the maintenance sweep on a timer: apply task events that a crashed
 * writer left unapplied, and delete expired idempotency keys. Each API node
 * runs it; the steps are idempotent, so nodes sweeping at once only repeat
 * work. Returns a function that stops the timer and waits for a running sweep.
 */
export function startSweeper(deps: SweeperDeps): () => Promise<void> {
  let running: Promise<void> | null = null;

  async function sweep(): Promise<void> {
    try {
      const repaired = await deps.tasks.repairUnapplied();
      const expired = await deps.idempotency.deleteExpired();
      if (repaired > 0 || expired > 0) deps.logger.info({ repairedEvents: repaired, expiredIdempotencyKeys: expired }, 'sweep finished');
    } catch (error) {
      deps.logger.error({ err: error }, 'sweep failed; retrying at the next interval');
    }
  }

  const timer = setInterval(() => {
    running ??= sweep().finally(() => {
      running = null;
    });
  }, deps.intervalMs);
  timer.unref();

  return async () => {
    clearInterval(timer);
    await running;
  };
}
