import { AppError } from '@taskwire/domain';

/**
 * Runs tasks that share a key one after another within this process.
 *
 * Writers to one task in different processes still race through the event
 * log's unique index. Writers within one process queue here instead, so a
 * burst of changes to a hot task costs one database round per change
 * rather than one per lost race.
 */
export class KeyedQueue {
  private readonly queues = new Map<string, { tail: Promise<void>; length: number }>();

  /** @param maxQueued bound on waiting tasks per key; past it, `run` rejects with CONFLICT. */
  constructor(private readonly maxQueued = 200) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), length: 0 };
    if (queue.length >= this.maxQueued) {
      throw new AppError('CONFLICT', `Too many changes to ${key} are waiting (${queue.length}); retry shortly.`, { retryAfterSeconds: 1 });
    }
    const result = queue.tail.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    queue.tail = tail;
    queue.length += 1;
    this.queues.set(key, queue);
    try {
      return await result;
    } finally {
      queue.length -= 1;
      if (queue.length === 0) this.queues.delete(key);
    }
  }

  /** Number of keys with running or waiting tasks. */
  get size(): number {
    return this.queues.size;
  }
}
