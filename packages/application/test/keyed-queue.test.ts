import { describe, expect, it } from 'vitest';
import { AppError } from '@taskwire/domain';
import { KeyedQueue } from '../src/keyed-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('KeyedQueue', () => {
  it('runs tasks with one key one at a time, in order', async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running += 1;
      expect(running).toBe(1);
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
      running -= 1;
      return name;
    };
    const results = await Promise.all(['a', 'b', 'c'].map((name) => queue.run('task-1', task(name))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(queue.size).toBe(0);
  });

  it('runs tasks with different keys concurrently', async () => {
    const queue = new KeyedQueue();
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
    };
    await Promise.all([queue.run('one', task), queue.run('two', task)]);
    expect(peak).toBe(2);
  });

  it('keeps going after a task fails', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('task-1', () => Promise.reject(new Error('boom')));
    const next = queue.run('task-1', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('rejects with CONFLICT past the queue bound', async () => {
    const queue = new KeyedQueue(2);
    let release: () => void = () => {};
    const blocker = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = queue.run('hot', () => blocker);
    const second = queue.run('hot', async () => undefined);
    const third = queue.run('hot', async () => undefined);
    await expect(third).rejects.toBeInstanceOf(AppError);
    await expect(third).rejects.toMatchObject({ code: 'CONFLICT', retryAfterSeconds: 1 });
    release();
    await Promise.all([first, second]);
    expect(queue.size).toBe(0);
  });
});
