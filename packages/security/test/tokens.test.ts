import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError } from '@taskwire/domain';
import { JwtTokenService } from '../src/tokens.js';

const secret = new TextEncoder().encode('s'.repeat(48));
const otherSecret = new TextEncoder().encode('o'.repeat(48));
const issuer = 'taskwire';
const audience = 'taskwire-api';
const start = new Date('2026-03-01T12:00:00Z');

function service(now: Date = start, key: Uint8Array = secret) {
  return new JwtTokenService({ secret: key, issuer, audience, now: () => now });
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** A token with every required claim, signed HS256 with the test secret unless a step changes it. */
function validBuilder(claims: Record<string, unknown> = { role: 'member' }, header: { alg: string; typ: string } = { alg: 'HS256', typ: 'at+jwt' }) {
  return new SignJWT(claims)
    .setProtectedHeader(header)
    .setSubject('65f000000000000000000001')
    .setJti('token-1')
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(seconds(start))
    .setExpirationTime(seconds(start) + 3600);
}

async function rejectionOf(token: string, verifier = service()): Promise<AppError> {
  const error = await verifier.verify(token).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('JwtTokenService.issue', () => {
  it('issues a 24 hour token with required claims', async () => {
    const issued = await service().issue({ id: '65f000000000000000000001', role: 'manager' });
    const [headerPart, payloadPart] = issued.token.split('.');
    const header = JSON.parse(Buffer.from(headerPart!, 'base64url').toString()) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(payloadPart!, 'base64url').toString()) as Record<string, unknown>;

    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(payload.sub).toBe('65f000000000000000000001');
    expect(payload.jti).toBe(issued.tokenId);
    expect(payload.iss).toBe(issuer);
    expect(payload.aud).toBe(audience);
    expect(payload.role).toBe('manager');
    expect(payload.exp).toBe(seconds(start) + 24 * 3600);
    expect(issued.expiresAt.getTime()).toBe((seconds(start) + 24 * 3600) * 1000);
  });

  it('gives every token its own jti', async () => {
    const first = await service().issue({ id: '65f000000000000000000001', role: 'member' });
    const second = await service().issue({ id: '65f000000000000000000001', role: 'member' });
    expect(first.tokenId).not.toBe(second.tokenId);
  });

  it('rejects a secret shorter than 32 bytes', () => {
    expect(() => service(start, new TextEncoder().encode('x'.repeat(31)))).toThrow(/31 bytes; it must be at least 32/);
  });
});

describe('JwtTokenService.verify', () => {
  it('accepts its own token', async () => {
    const issued = await service().issue({ id: '65f000000000000000000001', role: 'admin' });
    await expect(service().verify(issued.token)).resolves.toEqual({
      userId: '65f000000000000000000001',
      tokenId: issued.tokenId,
      role: 'admin',
      expiresAt: issued.expiresAt,
    });
  });

  it('rejects an unsigned alg=none token', async () => {
    const token = new UnsecuredJWT({ role: 'admin' })
      .setSubject('65f000000000000000000001')
      .setJti('token-1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(seconds(start))
      .setExpirationTime(seconds(start) + 3600)
      .encode();
    const error = await rejectionOf(token);
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toContain('is invalid');
  });

  it('rejects a token signed with another key', async () => {
    const token = await validBuilder().sign(otherSecret);
    expect((await rejectionOf(token)).code).toBe('UNAUTHENTICATED');
  });

  it('rejects HS512 with the right secret', async () => {
    const token = await validBuilder(undefined, { alg: 'HS512', typ: 'at+jwt' }).sign(secret);
    expect((await rejectionOf(token)).code).toBe('UNAUTHENTICATED');
  });

  it('rejects an RS256 token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await validBuilder(undefined, { alg: 'RS256', typ: 'at+jwt' }).sign(privateKey);
    expect((await rejectionOf(token)).code).toBe('UNAUTHENTICATED');
  });

  it('rejects a token without exp', async () => {
    const token = await new SignJWT({ role: 'member' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject('65f000000000000000000001')
      .setJti('token-1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(seconds(start))
      .sign(secret);
    expect((await rejectionOf(token)).code).toBe('UNAUTHENTICATED');
  });

  it('rejects a token missing any required claim', async () => {
    const full = { role: 'member', sub: '65f000000000000000000001', jti: 'token-1', iss: issuer, aud: audience, iat: seconds(start), exp: seconds(start) + 3600 };
    for (const claim of ['sub', 'jti', 'iss', 'aud', 'iat', 'role'] as const) {
      const { [claim]: _dropped, ...claims } = full;
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(secret);
      const error = await rejectionOf(token);
      expect(error.code, `token without ${claim}`).toBe('UNAUTHENTICATED');
    }
  });

  it('rejects the wrong issuer, audience or type', async () => {
    const wrongIssuer = await validBuilder().setIssuer('someone-else').sign(secret);
    const wrongAudience = await validBuilder().setAudience('another-api').sign(secret);
    const wrongType = await validBuilder(undefined, { alg: 'HS256', typ: 'JWT' }).sign(secret);
    expect((await rejectionOf(wrongIssuer)).code).toBe('UNAUTHENTICATED');
    expect((await rejectionOf(wrongAudience)).code).toBe('UNAUTHENTICATED');
    expect((await rejectionOf(wrongType)).code).toBe('UNAUTHENTICATED');
  });

  it('rejects an unknown role claim', async () => {
    const token = await validBuilder({ role: 'superuser' }).sign(secret);
    expect((await rejectionOf(token)).message).toContain('missing required claims');
  });

  it('rejects an expired token', async () => {
    const token = await validBuilder().sign(secret);
    const later = service(new Date(start.getTime() + 3600_000 + 60_000));
    const error = await rejectionOf(token, later);
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toContain('has expired');
  });

  it('tolerates 30 seconds of clock difference', async () => {
    const token = await validBuilder().sign(secret);
    const justExpired = service(new Date(start.getTime() + 3600_000 + 20_000));
    await expect(justExpired.verify(token)).resolves.toMatchObject({ tokenId: 'token-1' });
    const issuedInTheFuture = service(new Date(start.getTime() - 20_000));
    await expect(issuedInTheFuture.verify(token)).resolves.toMatchObject({ tokenId: 'token-1' });
  });

  it('rejects a token not yet valid beyond the tolerance', async () => {
    const token = await validBuilder().setNotBefore(seconds(start) + 120).sign(secret);
    expect((await rejectionOf(token)).code).toBe('UNAUTHENTICATED');
  });

  it('rejects malformed strings', async () => {
    for (const token of ['', 'abc', 'a.b.c', `${'x'.repeat(20)}.${'y'.repeat(20)}.`]) {
      expect((await rejectionOf(token)).code, JSON.stringify(token)).toBe('UNAUTHENTICATED');
    }
  });
});
