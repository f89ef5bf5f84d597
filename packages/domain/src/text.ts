import { NAME_MAX_LENGTH } from './user.js';

/**
 * Title rule, used by every transport and service:
 *
 * 1. The title is normalized to Unicode NFC.
 * 2. Leading and trailing white space and invisible format characters
 *    (zero-width space, joiners, word joiner, byte order mark) are removed.
 * 3. Its length is counted in user-perceived characters (extended grapheme
 *    clusters, as `Intl.Segmenter` splits them): an emoji with skin tone or
 *    a letter with combining marks counts as one.
 * 4. It must be at most 200 such characters, of which at least 3 are
 *    visible (not white space, format characters such as soft hyphens or
 *    direction marks, or Hangul and Braille fillers).
 * 5. It must be well-formed UTF-16 (no lone surrogates), contain no control
 *    characters or bidirectional overrides, and be at most 1,000 UTF-16
 *    code units (a bound checked first, so no long input is segmented).
 */
export const TITLE_MIN_CHARACTERS = 3;
export const TITLE_MAX_CHARACTERS = 200;
export const TITLE_MAX_CODE_UNITS = 1000;

export const DESCRIPTION_MAX_CODE_UNITS = 10_000;

const EDGE_INVISIBLE = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/gu;
// C0 and C1 controls; tab, line feed and carriage return are allowed only in descriptions.
/* eslint-disable no-control-regex -- matching control characters is the point of these patterns */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/* eslint-enable no-control-regex */

// Embeddings, overrides and isolates can make text display in another order than stored.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Code points that render as nothing: white space, format characters, and fillers.
const INVISIBLE = /^[\p{White_Space}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]+$/u;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

export function countVisibleCharacters(text: string): number {
  let count = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (!INVISIBLE.test(segment)) count += 1;
  }
  return count;
}

/** The checks shared by every single-line text field, or null when the value passes them. */
function lineTextProblem(value: string): { message: string; rule: string } | null {
  if (LONE_SURROGATE.test(value)) {
    return { rule: 'well_formed', message: 'must be well-formed Unicode text (it contains a lone UTF-16 surrogate)' };
  }
  if (CONTROL.test(value)) {
    return { rule: 'no_control_characters', message: 'must not contain control characters such as line breaks or tabs' };
  }
  if (BIDI_CONTROL.test(value)) {
    return { rule: 'no_bidi_controls', message: 'must not contain bidirectional override or isolate characters (U+202A to U+202E, U+2066 to U+2069)' };
  }
  return null;
}

export type TextCheck = { ok: true; value: string } | { ok: false; message: string; rule: string };

export function normalizeTitle(raw: string): TextCheck {
  if (raw.length > TITLE_MAX_CODE_UNITS) {
    return { ok: false, rule: 'max_length', message: `must be at most ${TITLE_MAX_CODE_UNITS} UTF-16 code units (got ${raw.length})` };
  }
  const problem = lineTextProblem(raw);
  if (problem) return { ok: false, ...problem };
  const value = raw.normalize('NFC').replace(EDGE_INVISIBLE, '');
  const visible = countVisibleCharacters(value);
  if (visible < TITLE_MIN_CHARACTERS) {
    return { ok: false, rule: 'min_length', message: `must be at least ${TITLE_MIN_CHARACTERS} visible characters after trimming (got ${visible})` };
  }
  const characters = countCharacters(value);
  if (characters > TITLE_MAX_CHARACTERS) {
    return { ok: false, rule: 'max_length', message: `must be at most ${TITLE_MAX_CHARACTERS} characters (got ${characters})` };
  }
  return { ok: true, value };
}

/**
 * Display names follow the title's checks with other bounds: 1 to 100
 * characters after NFC normalization and trimming, at least one visible.
 */
export function normalizeName(raw: string): TextCheck {
  const problem = lineTextProblem(raw);
  if (problem) return { ok: false, ...problem };
  const value = raw.normalize('NFC').replace(EDGE_INVISIBLE, '');
  if (countVisibleCharacters(value) === 0) {
    return { ok: false, rule: 'min_length', message: 'must contain at least one visible character' };
  }
  const characters = countCharacters(value);
  if (characters > NAME_MAX_LENGTH) {
    return { ok: false, rule: 'max_length', message: `must be at most ${NAME_MAX_LENGTH} characters (got ${characters})` };
  }
  return { ok: true, value };
}

/**
 * Descriptions are plain text: stored as sent (NFC-normalized, trimmed) and
 * never interpreted as HTML, so clients must escape them when rendering.
 */
export function normalizeDescription(raw: string): TextCheck {
  if (raw.length > DESCRIPTION_MAX_CODE_UNITS) {
    return { ok: false, rule: 'max_length', message: `must be at most ${DESCRIPTION_MAX_CODE_UNITS} UTF-16 code units (got ${raw.length})` };
  }
  if (LONE_SURROGATE.test(raw)) {
    return { ok: false, rule: 'well_formed', message: 'must be well-formed Unicode text (it contains a lone UTF-16 surrogate)' };
  }
  const value = raw.normalize('NFC').trim();
  if (CONTROL_EXCEPT_NEWLINES.test(value)) {
    return { ok: false, rule: 'no_control_characters', message: 'must not contain control characters other than tab and line breaks' };
  }
  return { ok: true, value };
}
