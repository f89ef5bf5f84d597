import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  const address = await app.server.listen({ host: config.HOST, port: config.PORT });
  app.logger.info({ address }, `Taskwire API listening on ${address} (tRPC at ${address}/trpc)`);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      app.logger.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

/** Explain the common start-up failures in one line each; anything else keeps its stack. */
function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  const { code, name } = error as { code?: string; name?: string };
  if (code === 'EADDRINUSE') {
    return `Taskwire API failed to start: ${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? 3000} is already in use; stop the other server or set PORT to a free port.`;
  }
  if (name === 'MongooseServerSelectionError' || name === 'MongoServerSelectionError') {
    return 'Taskwire API failed to start: no database answered at MONGODB_URI within 5 s; check that the server runs and the URI is right.';
  }
  return `Taskwire API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
