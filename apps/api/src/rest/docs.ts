import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import type { AnyTRPCRouter } from '@trpc/server';
import { REST_BASE_PATH } from './plugin.js';
import { withRestErrorResponses } from './openapi-errors.js';
import { withIdempotencyHeader } from './openapi-idempotency.js';

/** Builds the OpenAPI 3.1 document of the REST bridge. */
export function openApiDocument(router: AnyTRPCRouter): OpenAPIObject {
  const document = generateOpenApiDocument(router, {
    title: 'Taskwire REST API',
    version: '1.0.0',
    description:
      'Tasks, assignments and accounts over REST. Send `Authorization: Bearer <token>` from POST /auth/login; ' +
      'send an `Idempotency-Key` header on POST, PATCH, PUT and DELETE to make retries safe.',
    baseUrl: REST_BASE_PATH,
    securitySchemes: { Authorization: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  });
  return withIdempotencyHeader(withRestErrorResponses(document));
}

// Swagger UI is served from the swagger-ui-dist package so the page loads nothing from other hosts.
const swaggerDirectory = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Taskwire API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl: null stops Swagger UI from sending the document to validator.swagger.io.
const init = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/** Serves /openapi.json and a Swagger UI page at /docs. */
export function registerDocs(server: FastifyInstance, router: AnyTRPCRouter): void {
  const document = JSON.stringify(openApiDocument(router));

  server.get('/openapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').send(document));
  server.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  server.get('/docs/init.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(init));
  for (const [file, type] of Object.entries(assets)) {
    const content = readFileSync(join(swaggerDirectory, file));
    server.get(`/docs/${file}`, async (_request, reply) => reply.type(type).header('cache-control', 'public, max-age=3600').send(content));
  }
}
