export * from './password-hasher.js';
export * from './tokens.js';
