import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { callCount } from '../src/rate-limit.js';

const count = (url: string) => callCount({ url } as FastifyRequest);

describe('callCount', () => {
  it('counts each call of a batch', () => {
    expect(count('/trpc/a,b,c?batch=1')).toBe(3);
  });

  it('counts commas hidden by one or two rounds of encoding', () => {
    expect(count('/trpc/a%2Cb%2cc?batch=1')).toBe(3);
    expect(count('/trpc/a%252Cb%252Cc%252Cd?batch=1')).toBe(4);
    expect(count('/trpc/a%25252Cb?batch=1')).toBe(2);
  });

  it('still counts commas next to a malformed escape', () => {
    expect(count('/trpc/a%ZZ,b%2Cc?batch=1')).toBe(3);
  });

  it('counts a request without batch=1 once', () => {
    expect(count('/trpc/a,b')).toBe(1);
    expect(count('/healthz')).toBe(1);
  });
});
