import { describe, expect, it } from 'vitest';
import { countCharacters, normalizeDescription, normalizeName, normalizeTitle } from '../src/index.js';

function accepted(raw: string): string {
  const result = normalizeTitle(raw);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be accepted: ${result.message}`);
  return result.value;
}

function rejectedRule(raw: string): string {
  const result = normalizeTitle(raw);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
  return result.rule;
}

describe('normalizeTitle', () => {
  it('trims white space and zero-width characters at both ends', () => {
    expect(accepted('\u200B  Plan \u2060\uFEFF')).toBe('Plan');
  });

  it('accepts exactly 3 and 200 characters', () => {
    expect(accepted('abc')).toBe('abc');
    expect(accepted('a'.repeat(200))).toHaveLength(200);
  });

  it('rejects 2 and 201 characters', () => {
    expect(rejectedRule('ab')).toBe('min_length');
    expect(rejectedRule('a'.repeat(201))).toBe('max_length');
  });

  it('counts an emoji with modifiers as one character', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    expect(countCharacters(family)).toBe(1);
    expect(rejectedRule(`${family}${family}`)).toBe('min_length');
    expect(accepted(`${family}${family}${family}`)).toBe(`${family}${family}${family}`);
    expect(accepted('\u{1F44D}\u{1F3FD}'.repeat(200))).toHaveLength(800);
    expect(rejectedRule('\u{1F44D}\u{1F3FD}'.repeat(201))).toBe('max_length');
  });

  it('counts a letter with combining marks as one character and normalizes to NFC', () => {
    const decomposed = 'e\u0301';
    expect(accepted(`caf${decomposed}`)).toBe('caf\u00E9');
    expect(rejectedRule(`${decomposed}${decomposed}`)).toBe('min_length');
    expect(accepted('a\u0301\u0302\u0303'.repeat(200))).toBeTruthy();
  });

  it('rejects a title made only of invisible characters', () => {
    expect(rejectedRule('\u200B\u200B\u200B\u200B')).toBe('min_length');
  });

  it('rejects control characters', () => {
    expect(rejectedRule('line\nbreak')).toBe('no_control_characters');
  });

  it('checks the code-unit bound before segmenting', () => {
    expect(rejectedRule('a'.repeat(1001))).toBe('max_length');
  });
});

describe('normalizeDescription', () => {
  it('keeps markup as plain text', () => {
    const result = normalizeDescription('<script>alert(1)</script>');
    expect(result).toEqual({ ok: true, value: '<script>alert(1)</script>' });
  });

  it('allows line breaks but not other control characters', () => {
    expect(normalizeDescription('one\ntwo').ok).toBe(true);
    expect(normalizeDescription('bell\u0007').ok).toBe(false);
  });
});

describe('invisible and deceptive text', () => {
  it('counts only visible characters toward the minimum', () => {
    expect(rejectedRule('\u00AD\u00AD\u00AD')).toBe('min_length');
    expect(rejectedRule('\u200E\u200E\u200E')).toBe('min_length');
    expect(rejectedRule('\u3164\u3164\u3164')).toBe('min_length');
    expect(rejectedRule('ab\u00AD')).toBe('min_length');
  });

  it('rejects bidirectional overrides', () => {
    expect(rejectedRule('abc\u202Egnp.exe')).toBe('no_bidi_controls');
    expect(rejectedRule('abc\u2066def')).toBe('no_bidi_controls');
  });

  it('rejects lone surrogates', () => {
    expect(rejectedRule('abc\uD800')).toBe('well_formed');
    expect(rejectedRule('abc\uDC00x')).toBe('well_formed');
    expect(accepted('abc\u{1F600}')).toBe('abc\u{1F600}');
  });
});

describe('normalizeName', () => {
  it('trims and accepts a plain name', () => {
    expect(normalizeName('  Ada Lovelace ')).toEqual({ ok: true, value: 'Ada Lovelace' });
  });

  it('rejects invisible-only and control characters', () => {
    expect(normalizeName('\u200B')).toMatchObject({ ok: false, rule: 'min_length' });
    expect(normalizeName('a\u0000b')).toMatchObject({ ok: false, rule: 'no_control_characters' });
    expect(normalizeName('a\nb')).toMatchObject({ ok: false, rule: 'no_control_characters' });
  });

  it('rejects more than 100 characters', () => {
    expect(normalizeName('n'.repeat(100)).ok).toBe(true);
    expect(normalizeName('n'.repeat(101))).toMatchObject({ ok: false, rule: 'max_length' });
  });
});
