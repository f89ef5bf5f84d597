/**
 * Title rule, used by every transport and service:
 *
 * 1. The title is normalized to Unicode NFC.
 * 2. Leading and trailing white space and invisible format characters
 *    (zero-width space, joiners, word joiner, byte order mark) are removed.
 * 3. Its length is counted in user-perceived characters (extended grapheme
 *    clusters, as `Intl.Segmenter` splits them): an emoji with skin tone or
 *    a letter with combining marks counts as one.
 * 4. It must be 3 to 200 such characters, contain no control characters,
 *    and be at most 1,000 UTF-16 code units (a bound checked first, so no
 *    long input is segmented).
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

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count += 1;
  return count;
}

export type TextCheck = { ok: true; value: string } | { ok: false; message: string; rule: string };

export function normalizeTitle(raw: string): TextCheck {
  if (raw.length > TITLE_MAX_CODE_UNITS) {
    return { ok: false, rule: 'max_length', message: `must be at most ${TITLE_MAX_CHARACTERS} characters (got ${raw.length} UTF-16 code units)` };
  }
  const value = raw.normalize('NFC').replace(EDGE_INVISIBLE, '');
  if (CONTROL.test(value)) {
    return { ok: false, rule: 'no_control_characters', message: 'must not contain control characters such as line breaks or tabs' };
  }
  const characters = countCharacters(value);
  if (characters < TITLE_MIN_CHARACTERS) {
    return { ok: false, rule: 'min_length', message: `must be at least ${TITLE_MIN_CHARACTERS} characters after trimming (got ${characters})` };
  }
  if (characters > TITLE_MAX_CHARACTERS) {
    return { ok: false, rule: 'max_length', message: `must be at most ${TITLE_MAX_CHARACTERS} characters (got ${characters})` };
  }
  return { ok: true, value };
}

/**
 * Descriptions are plain text: stored as sent (NFC-normalized, trimmed) and
 * never interpreted as HTML, so clients must escape them when rendering.
 */
export function normalizeDescription(raw: string): TextCheck {
  if (raw.length > DESCRIPTION_MAX_CODE_UNITS) {
    return { ok: false, rule: 'max_length', message: `must be at most ${DESCRIPTION_MAX_CODE_UNITS} characters (got ${raw.length})` };
  }
  const value = raw.normalize('NFC').trim();
  if (CONTROL_EXCEPT_NEWLINES.test(value)) {
    return { ok: false, rule: 'no_control_characters', message: 'must not contain control characters other than tab and line breaks' };
  }
  return { ok: true, value };
}
