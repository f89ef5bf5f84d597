import type { AccessCache } from '@taskwire/application';
import type { Logger } from 'pino';

export interface AccessPolling {
  stop(): Promise<void>;
}

/**
 * Refresh the access cache every `intervalMs`, one refresh at a time. With a
 * 1 s interval a revocation made on another node is applied here within
 * about a second plus one poll's duration.
 */
export function startAccessPolling(cache: AccessCache, intervalMs: number, logger: Logger): AccessPolling {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let failures = 0;

  const tick = () => {
    running = cache.refresh().then(
      () => {
        if (failures > 0) logger.info({ failures }, 'access cache refresh recovered');
        failures = 0;
      },
      (error: unknown) => {
        failures += 1;
        // Log the first failure and then every 30th, so an outage does not flood the log.
        if (failures === 1 || failures % 30 === 0) logger.error({ err: error, failures }, 'access cache refresh failed');
      },
    );
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, intervalMs);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
