/**
 * Procedure metadata. `openapi` places a procedure in the REST bridge and the
 * OpenAPI document; its fields follow trpc-to-openapi's `OpenApiMeta`. The
 * type is declared here, not imported, so the router type that SDK users
 * compile against references no server-only package.
 */
export type ApiMeta = {
  openapi?: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    /** Path below the REST base path, with `{name}` for path parameters. */
    path: `/${string}`;
    summary?: string;
    description?: string;
    tags?: string[];
    /** Marks the operation as needing a bearer token in the document (default true); the procedure itself enforces it. */
    protect?: boolean;
    successDescription?: string;
  };
};
