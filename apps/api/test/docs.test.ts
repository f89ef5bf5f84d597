import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.js';

const CHROMIUM = '/usr/bin/chromium';

let api: RunningApi;
let browser: BrowserContext | undefined;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh (npm test runs it) to install Debian's chromium.`);
  }
  api = await startApi('docs');
  profile = mkdtempSync(join(tmpdir(), 'taskwire-chromium-'));
  // A fresh profile per run; the flags keep Chromium from contacting Google services in the background.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('/docs', () => {
  it('renders the task operations from local assets only', async () => {
    const page = await browser!.newPage();
    const outside: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(api.url)) return route.continue();
      outside.push(url);
      return route.abort();
    });

    const response = await page.goto(`${api.url}/docs`);
    expect(response?.status()).toBe(200);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });

    const operations = await page.locator('.opblock-summary').evaluateAll((blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
        const path = block.querySelector('.opblock-summary-path')?.textContent?.replace(/\u200b/g, '').trim() ?? '';
        return `${method} ${path}`;
      }),
    );
    expect(operations).toEqual(
      expect.arrayContaining(['GET /tasks', 'POST /tasks', 'GET /tasks/{id}', 'PATCH /tasks/{id}', 'POST /tasks/{id}/transitions']),
    );
    expect(outside).toEqual([]);
    await page.close();
  });
});
