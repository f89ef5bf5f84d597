import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSweeper } from '../src/sweeper.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('startSweeper', () => {
  it('repairs events and deletes expired keys every interval', async () => {
    vi.useFakeTimers();
    const tasks = { repairUnapplied: vi.fn(async () => 0) };
    const idempotency = { deleteExpired: vi.fn(async () => 0) };
    const stop = startSweeper({ tasks, idempotency, logger: pino({ level: 'silent' }), intervalMs: 60_000 });

    await vi.advanceTimersByTimeAsync(59_999);
    expect(tasks.repairUnapplied).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(tasks.repairUnapplied).toHaveBeenCalledTimes(1);
    expect(idempotency.deleteExpired).toHaveBeenCalledTimes(1);

    await stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(tasks.repairUnapplied).toHaveBeenCalledTimes(1);
  });

  it('keeps sweeping after a failed sweep', async () => {
    vi.useFakeTimers();
    const tasks = { repairUnapplied: vi.fn().mockRejectedValueOnce(new Error('database unavailable')).mockResolvedValue(0) };
    const idempotency = { deleteExpired: vi.fn(async () => 0) };
    const stop = startSweeper({ tasks, idempotency, logger: pino({ level: 'silent' }), intervalMs: 1_000 });

    await vi.advanceTimersByTimeAsync(2_000);
    expect(tasks.repairUnapplied).toHaveBeenCalledTimes(2);
    expect(idempotency.deleteExpired).toHaveBeenCalledTimes(1);
    await stop();
  });
});
