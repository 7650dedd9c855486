/**
 * The browser tests' harness (not a test file): the real service on a free port (buildApp on
 * the test database, demo data seeded), and the machine's Chromium driven by playwright-core.
 * No browser is downloaded: without /usr/bin/chromium the tests skip with a reason, except
 * under CI, where they must run (.ci/run installs Chromium).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { seedDemo } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '../../docs/screenshots');

/** `describe`, or `describe.skip` with the reason printed, when there is no browser here. */
export function describeInBrowser(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) {
    // A flow is a dozen page steps: more than jest's default 30 s on a loaded 2-core machine.
    jest.setTimeout(90_000);
    describe(name, fn);
    return;
  }
  if (process.env.CI)
    throw new Error(`${CHROMIUM} is missing under CI: apt-get install -y chromium (.ci/run does)`);
  console.warn(`skipped "${name}": no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  describe.skip(name, fn);
}

export interface Served {
  t: TestApp;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function serve(): Promise<Served> {
  const t = await createTestApp();
  await seedDemo(t);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  return {
    t,
    base: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  /** CSP violations, page errors and requests to any other origin: all must stay empty. */
  problems: string[];
}

/** A phone-sized page (390x844) that records anything the CSP refused or any foreign request. */
export async function phonePage(
  s: Served,
  viewport = { width: 390, height: 844 },
): Promise<Watched> {
  const context = await s.browser.newContext({ viewport, locale: 'zh-CN' });
  // Fail with the locator's name, well before jest's own timeout (set below). A step that waits
  // on the service (saving a policy runs its test cases) can take seconds under CI's load.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(s.base) && !r.url().startsWith('data:'))
      problems.push(`foreign request: ${r.url()}`);
  });
  return { context, page, problems };
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is. Evaluated through the DevTools
 * protocol, so the page's CSP (which refuses injected scripts, as it should) is left on.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${axeSource};0`);
  const result = (await page.evaluate(`axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  })`)) as { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
  return result.violations.map(
    (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** What the page's focused element is, seen through the DevTools protocol (no DOM types here). */
interface FocusedElement {
  id: string;
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
}
interface PageWindow {
  document: { activeElement: FocusedElement | null; body: FocusedElement };
  getComputedStyle(e: FocusedElement): { outlineStyle: string; outlineWidth: string };
}

/**
 * Keyboard only: presses Tab until the focused element matches `target` (a CSS selector, or a
 * pattern for its aria-label or text). Every element focus stops on on the way must show it
 * (:focus-visible with an outline of 2 px or more), or this throws naming the element.
 */
export async function tabTo(
  page: Page,
  target: { selector: string } | { name: RegExp },
  maxPresses = 80,
): Promise<void> {
  const want =
    'selector' in target
      ? { selector: target.selector, source: '', flags: '' }
      : { selector: '', source: target.name.source, flags: target.name.flags };
  const seen: string[] = [];
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate((w) => {
      const win = globalThis as unknown as PageWindow;
      const el = win.document.activeElement;
      if (!el || el === win.document.body) return null;
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
      const style = win.getComputedStyle(el);
      return {
        hit: w.selector ? el.matches(w.selector) : new RegExp(w.source, w.flags).test(name),
        visible:
          el.matches(':focus-visible') &&
          style.outlineStyle !== 'none' &&
          Number.parseFloat(style.outlineWidth) >= 2,
        what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name.slice(0, 30)}"`,
      };
    }, want);
    if (!at) continue;
    seen.push(at.what);
    if (!at.visible) throw new Error(`keyboard focus is not visible on ${at.what}`);
    if (at.hit) return;
  }
  throw new Error(`Tab never reached ${JSON.stringify(want)}; focus went: ${seen.join(' > ')}`);
}
