import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, signUp, startApi, type RunningApi } from './support/api.js';

let api: RunningApi;
let account: Awaited<ReturnType<typeof signUp>>;
let client: Awaited<ReturnType<typeof signUp>>['client'];

beforeAll(async () => {
  api = await startApi('text-input');
  account = await signUp(api);
  client = account.client;
});

afterAll(async () => {
  await api?.close();
});

const thumbsUpDark = '\u{1F44D}\u{1F3FF}';
const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
const eWithAcute = 'e\u0301';
const zeroWidth = '\u200B';

async function storedTitle(id: string): Promise<string | undefined> {
  const doc = await api.app.database.models.Task.findById(id).lean().exec();
  return doc?.title;
}

describe('title bounds over tRPC', () => {
  it('counts an emoji with a skin tone as one character', async () => {
    const title = thumbsUpDark.repeat(3);
    const task = await client.tasks.create.mutate({ title });
    expect(task.title).toBe(title);
    expect(await storedTitle(task.id)).toBe(title);

    const error = await rejectionOf(client.tasks.create.mutate({ title: thumbsUpDark.repeat(2) }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('at least 3 visible characters after trimming (got 2)');
  });

  it('counts a ZWJ family emoji as one character', async () => {
    const task = await client.tasks.create.mutate({ title: `${family}${family}${family}` });
    expect(task.title).toBe(`${family}${family}${family}`);
    await expect(rejectionOf(client.tasks.create.mutate({ title: `${family}${family}` }))).resolves.toMatchObject({ data: { code: 'BAD_REQUEST' } });
  });

  it('accepts 200 combining sequences and rejects 201', async () => {
    const task = await client.tasks.create.mutate({ title: eWithAcute.repeat(200) });
    // NFC turns each e plus combining acute into the single code point é.
    expect(task.title).toBe('\u00E9'.repeat(200));
    expect(await storedTitle(task.id)).toBe('\u00E9'.repeat(200));

    const error = await rejectionOf(client.tasks.create.mutate({ title: eWithAcute.repeat(201) }));
    expect(error.message).toContain('at most 200 characters (got 201)');
  });

  it('counts stacked combining marks as one character', async () => {
    const zalgo = `a${'\u0300\u0301\u0302\u0303\u0304'.repeat(2)}`;
    const task = await client.tasks.create.mutate({ title: `${zalgo}${zalgo}${zalgo}` });
    expect([...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(task.title)]).toHaveLength(3);
    await expect(rejectionOf(client.tasks.create.mutate({ title: `${zalgo}${zalgo}` }))).resolves.toMatchObject({ data: { code: 'BAD_REQUEST' } });
  });

  it('trims zero-width characters before counting', async () => {
    const task = await client.tasks.create.mutate({ title: `${zeroWidth}abc${zeroWidth}\u2060` });
    expect(task.title).toBe('abc');
    const error = await rejectionOf(client.tasks.create.mutate({ title: `${zeroWidth}ab${zeroWidth}` }));
    expect(error.message).toContain('(got 2)');
  });

  it('rejects an over-long title by code units before counting', async () => {
    const error = await rejectionOf(client.tasks.create.mutate({ title: family.repeat(200) }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('title');
  });

  it('applies the same bounds to updates', async () => {
    const task = await client.tasks.create.mutate({ title: 'Plain title' });
    const updated = await client.tasks.update.mutate({ id: task.id, title: thumbsUpDark.repeat(200) });
    expect(updated.title).toBe(thumbsUpDark.repeat(200));
    const error = await rejectionOf(client.tasks.update.mutate({ id: task.id, title: thumbsUpDark.repeat(201) }));
    expect(error.message).toContain('at most 200 characters');
  });
});

describe('descriptions are plain text', () => {
  const markup = [
    '<script>alert(document.cookie)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<svg onload=alert(1)><p style="x:expression(alert(1))">',
    '&lt;b&gt; already escaped &amp; kept',
  ];

  it('stores and returns markup verbatim', async () => {
    for (const description of markup) {
      const task = await client.tasks.create.mutate({ title: 'Markup check', description });
      expect(task.description, description).toBe(description);
      const fetched = await client.tasks.get.query({ id: task.id });
      expect(fetched.description, description).toBe(description);
      const stored = await api.app.database.models.Task.findById(task.id).lean().exec();
      expect(stored?.description, description).toBe(description);
    }
  });

  it('returns markup as a JSON string, not as HTML', async () => {
    const task = await client.tasks.create.mutate({ title: 'Raw check', description: markup[0] });
    const input = encodeURIComponent(JSON.stringify({ json: { id: task.id } }));
    const response = await fetch(`${api.url}/trpc/tasks.get?input=${input}`, { headers: { authorization: `Bearer ${account.token}` } });
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(text).toContain('"description":"<script>alert(document.cookie)</script>"');
  });
});
