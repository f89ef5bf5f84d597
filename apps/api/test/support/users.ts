// Roles are now read from each node's access cache rather than from the
// database on every request, so the helper in api.ts also updates the cache
// and logs in again; this module keeps the older import path working.
export { signUpAs } from './api.js';
