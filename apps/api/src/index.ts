export { createApp, type App } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { buildServer, BODY_LIMIT_BYTES } from './server.js';
