/**
 * The officer's app in Chromium at 390x844: sign in, pick a market, find a merchant, fill the
 * survey in 元, see the decision and offers, accept one; and the weak network: offline while
 * submitting, or the answer lost on the way back, still makes exactly one application.
 */
import type { Page } from 'playwright-core';
import { addMonths, chinaDate } from '../../src/credit';
import { bearer } from '../helpers/test-app';
import { createMerchant } from '../modules/origination/applications/helpers';
import {
  axeViolations,
  describeInBrowser,
  phonePage,
  type Served,
  screenshot,
  serve,
  tabTo,
} from './browser';

const MJY = 'mkt_demo_majiayan';

/** A survey the default policy approves (the API tests' strongSurvey), as typed in 元 and %. */
const STRONG: Record<string, string> = {
  tenureMonths: '96',
  storeCount: '2',
  leaseRemainingMonths: '36',
  annualSales: '15,000,000',
  netMargin: '12',
  inventoryValue: '2000000',
  inventoryTurnoverDays: '45',
  receivables: '600000',
  payables: '400000',
  existingDebt: '0',
  monthlyDebtService: '0',
  amount: '500000',
  termMonths: '12',
};

async function signIn(page: Page, base: string, key: string) {
  await page.goto(`${base}/app/`);
  await page.getByLabel(/API 密钥|API key/).fill(key);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
}

async function openMerchant(page: Page, search: string) {
  await page.getByRole('button', { name: /马家岩/ }).click();
  await page.getByLabel(/查找商户/).fill(search);
  await page
    .getByRole('button', { name: new RegExp(search) })
    .first()
    .click();
  await page.getByRole('heading', { name: /经营调查/ }).waitFor();
}

async function fillSurvey(page: Page, values = STRONG) {
  for (const [id, value] of Object.entries(values)) await page.locator(`#${id}`).fill(value);
}

describeInBrowser('officer app (browser)', () => {
  let s: Served;
  let officer: string;
  const applicationsOf = async (merchantId: string) => {
    const res = await s.t.http
      .get(`/v1/applications?marketId=${MJY}&limit=200`)
      .set(bearer(officer));
    return (res.body.data as { id: string; merchantId: string; status: string }[]).filter(
      (a) => a.merchantId === merchantId,
    );
  };

  beforeAll(async () => {
    s = await serve();
    officer = await s.t.issueKey('officer', { marketIds: [MJY] });
  });
  afterAll(() => s?.close());

  it('signs in, finds a merchant, submits the survey in 元 and accepts an offer', async () => {
    const { page, problems, context } = await phonePage(s);
    await signIn(page, s.base, officer);
    await screenshot(page, 'officer-markets');
    // The key is in session storage, never in the URL.
    expect(page.url()).not.toContain(officer);
    expect(await page.evaluate("sessionStorage.getItem('mlk.apiKey')")).toBe(officer);
    await openMerchant(page, '张记');
    await fillSurvey(page);
    // A slip in a money field is caught at the field, before anything is sent.
    await page.locator('#receivables').fill('6万');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.locator('#receivables-error').waitFor();
    expect(await page.locator('#receivables').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#receivables').fill('600000');
    // The server's own field message, in Chinese: receivables above annual sales.
    await page.locator('#receivables').fill('99000000');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('应收账款不得超过年销售额').waitFor();
    await page.locator('#receivables').fill('600000');
    await screenshot(page, 'officer-survey');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByTestId('outcome').filter({ hasText: '批准' }).waitFor();
    // Money went as fen: 500,000 元 asked for is 50,000,000 fen.
    const [submitted] = await applicationsOf('mer_demo_mjy01');
    expect(submitted?.status).toBe('approved');
    const offers = page.locator('section.offer');
    expect(await offers.count()).toBeGreaterThan(0);
    await offers.first().locator('summary').click();
    await offers.first().locator('tbody tr').first().waitFor();
    // An open offer has no due dates from the service yet: the page's are an estimate (as if
    // accepted today, by the service's rule) and say so, in either language.
    const dueColumn = (offer: typeof offers) => offer.locator('tbody tr td:nth-child(2)');
    expect(await offers.first().locator('thead th').nth(1).textContent()).toBe('预计应还日');
    expect(await offers.first().getByTestId('due-dates').textContent()).toMatch(
      /估算.*并非服务给出的日期/,
    );
    expect(await dueColumn(offers.first()).first().textContent()).toBe(
      addMonths(chinaDate(new Date()), 1),
    );
    await page.getByRole('button', { name: 'English' }).click();
    expect(await offers.first().locator('thead th').nth(1).textContent()).toBe(
      'Estimated due date',
    );
    expect(await offers.first().getByTestId('due-dates').textContent()).toMatch(
      /not the service's dates/,
    );
    await page.getByRole('button', { name: '中文' }).click();
    await screenshot(page, 'officer-decision');
    expect(await axeViolations(page)).toEqual([]);
    await offers.first().getByRole('button', { name: '接受此方案' }).click();
    await page.getByTestId('accepted').waitFor();
    expect((await applicationsOf('mer_demo_mjy01')).map((a) => a.status)).toEqual(['accepted']);
    // Accepted: the service's own due dates, no longer called an estimate; the offers
    // withdrawn by the acceptance show none.
    const stored = await s.t.http.get(`/v1/applications/${submitted?.id}`).set(bearer(officer));
    type StoredOffer = { id: string; status: string; schedule: { dueDate: string | null }[] };
    const storedOffers = stored.body.offers as StoredOffer[];
    const taken = storedOffers.find((o) => o.status === 'accepted') as StoredOffer;
    const serverDates = taken.schedule.map((r) => r.dueDate);
    expect(serverDates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d ?? ''))).toBe(true);
    const takenOffer = page.locator(`section.offer[aria-labelledby="offer-${taken.id}"]`);
    if ((await takenOffer.locator('details').getAttribute('open')) === null)
      await takenOffer.locator('summary').click();
    expect(await dueColumn(takenOffer).allTextContents()).toEqual(serverDates);
    expect(await takenOffer.locator('thead th').nth(1).textContent()).toBe('应还日');
    expect(await takenOffer.getByTestId('due-dates').textContent()).toMatch(/由服务按接受日/);
    const withdrawn = storedOffers.filter((o) => o.id !== taken.id && o.schedule.length > 0);
    expect(withdrawn.map((o) => o.status)).toEqual(['withdrawn']);
    for (const other of withdrawn) {
      const section = page.locator(`section.offer[aria-labelledby="offer-${other.id}"]`);
      await section.locator('summary').click();
      expect(new Set(await dueColumn(section).allTextContents())).toEqual(new Set(['—']));
      expect(await section.getByTestId('due-dates').count()).toBe(0);
    }
    // English on request, and it stays.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: /Decision/ }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(await takenOffer.locator('thead th').nth(1).textContent()).toBe('Due date');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works by keyboard alone: sign in, find a merchant, fill and submit the survey, accept', async () => {
    const merchantId = await createMerchant(s.t, officer, MJY, {
      name: '键盘测试商户',
      stallNo: 'K-777',
    });
    const { page, problems, context } = await phonePage(s);
    await page.goto(`${s.base}/app/`);
    // Tab, typing, Enter and Space only; tabTo fails if any stop on the way hides its focus.
    await tabTo(page, { selector: '#apiKey' });
    await page.keyboard.type(officer);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '选择市场' }).waitFor();
    await tabTo(page, { name: /马家岩/ });
    await page.keyboard.press('Enter');
    await tabTo(page, { selector: '#merchantSearch' });
    // Found by its stall number (any case) as well as by name.
    await page.keyboard.type('k-777');
    const found = page.getByRole('list', { name: '商户' }).getByRole('button');
    await found.filter({ hasText: '键盘测试商户' }).waitFor();
    expect(await found.count()).toBe(1);
    await tabTo(page, { name: /键盘测试商户/ });
    await page.keyboard.press('Space');
    await page.getByRole('heading', { name: /经营调查 · 键盘测试商户/ }).waitFor();
    // The fields in the order Tab meets them.
    const order = await page.locator('form input').evaluateAll((els) => els.map((e) => e.id));
    for (const id of order.filter((i) => i in STRONG)) {
      await tabTo(page, { selector: `#${id}` });
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(STRONG[id] as string);
    }
    await tabTo(page, { name: /^提交申请$/ });
    await page.keyboard.press('Enter');
    await page.getByTestId('outcome').filter({ hasText: '批准' }).waitFor();
    // The schedule opens with Space, its table scrolls by keyboard, the offer is taken by Space.
    await tabTo(page, { name: /^还款计划$/ });
    await page.keyboard.press('Space');
    await page.locator('section.offer details[open] tbody tr').first().waitFor();
    await tabTo(page, { name: /^还款计划表$/ });
    await tabTo(page, { name: /^接受此方案$/ });
    await page.keyboard.press('Space');
    await page.getByTestId('accepted').waitFor();
    expect((await applicationsOf(merchantId)).map((a) => a.status)).toEqual(['accepted']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offline: the submission waits as pending and is sent once, with its key, on reconnect', async () => {
    const { page, problems, context } = await phonePage(s);
    await signIn(page, s.base, officer);
    await openMerchant(page, '陈氏');
    await fillSurvey(page);
    await context.setOffline(true);
    await page.getByRole('button', { name: '提交申请' }).click();
    await page
      .getByText(/待发送/)
      .first()
      .waitFor();
    // Nothing reached the service, and the draft cannot be edited while it waits.
    expect(await applicationsOf('mer_demo_mjy02')).toEqual([]);
    expect(await page.locator('#annualSales').getAttribute('readonly')).not.toBeNull();
    await screenshot(page, 'officer-pending');
    await context.setOffline(false);
    await page.getByTestId('outcome').waitFor();
    expect(await applicationsOf('mer_demo_mjy02')).toHaveLength(1);
    expect(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    await context.close();
  });

  it('an answer lost on the way back: the retry gets the same application, never a second', async () => {
    const { page, context } = await phonePage(s);
    await signIn(page, s.base, officer);
    await openMerchant(page, '刘家');
    await fillSurvey(page);
    const keys: string[] = [];
    let lose = true;
    await page.route('**/v1/applications', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (!lose) return route.continue();
      lose = false;
      await route.fetch(); // the service decides and stores the application...
      await route.abort('connectionreset'); // ...and its answer never arrives
    });
    await page.getByRole('button', { name: '提交申请' }).click();
    await page
      .getByText(/待发送/)
      .first()
      .waitFor();
    expect(await applicationsOf('mer_demo_mjy03')).toHaveLength(1);
    await page.getByRole('button', { name: '立即重试' }).click();
    await page.getByTestId('outcome').waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await applicationsOf('mer_demo_mjy03')).toHaveLength(1);
    await context.close();
  });

  it('a tab closed while a submission was pending resends it, with its key, at the next sign-in', async () => {
    const merchantId = await createMerchant(s.t, officer, MJY, { name: '关页测试商户' });
    const { page, context } = await phonePage(s);
    await signIn(page, s.base, officer);
    await openMerchant(page, '关页测试');
    await fillSurvey(page);
    await page.route('**/v1/applications', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByRole('button', { name: '提交申请' }).click();
    await page
      .getByText(/待发送/)
      .first()
      .waitFor();
    await page.close();
    // A new tab: the key is gone with the old one (session storage), the draft is not.
    const next = await context.newPage();
    await signIn(next, s.base, officer);
    await next.getByRole('heading', { name: '选择市场' }).waitFor();
    // Polled with evaluate (a function, run by the DevTools protocol): waitForFunction's string
    // predicate is an eval inside the page, which the pages' CSP rightly refuses.
    const allSubmitted = () =>
      next.evaluate(() => {
        const store = (
          globalThis as unknown as { localStorage: { getItem(k: string): string | null } }
        ).localStorage;
        const drafts = JSON.parse(store.getItem('mlk.drafts') ?? '[]') as { state: string }[];
        return drafts.every((d) => d.state === 'submitted');
      });
    const until = Date.now() + 20_000;
    while (!(await allSubmitted()) && Date.now() < until) await next.waitForTimeout(100);
    expect(await allSubmitted()).toBe(true);
    expect(await applicationsOf(merchantId)).toHaveLength(1);
    await context.close();
  });

  it('forms a joint-guarantee group and follows its members as they apply', async () => {
    const { page, problems, context } = await phonePage(s);
    await signIn(page, s.base, officer);
    await page.getByRole('button', { name: /马家岩/ }).click();
    await page.getByRole('button', { name: '组建联保小组' }).click();
    for (const name of ['黄记五金', '重庆吴氏涂料有限公司', '重庆鑫达建材有限公司'])
      await page.getByLabel(new RegExp(name)).check();
    await page.getByRole('button', { name: '组建', exact: true }).click();
    await page.getByRole('list', { name: '成员' }).waitFor();
    expect(await page.getByRole('button', { name: '填写调查' }).count()).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '填写调查' }).first().click();
    await page.getByRole('heading', { name: /经营调查/ }).waitFor();
    expect(await page.locator('#product').inputValue()).toBe('joint_guarantee');
    await fillSurvey(page);
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByTestId('outcome').waitFor();
    await page.getByRole('button', { name: '返回商户列表' }).click();
    await page.getByRole('button', { name: /^小组 1/ }).click();
    await page.getByRole('list', { name: '成员' }).locator('.badge').first().waitFor();
    expect(await page.getByRole('button', { name: '填写调查' }).count()).toBe(2);
    await screenshot(page, 'officer-group');
    const groupId = await page.evaluate<string>(
      "JSON.parse(localStorage.getItem('mlk.groups'))[0]",
    );
    const group = await s.t.http.get(`/v1/guarantee-groups/${groupId}`).set(bearer(officer));
    expect(
      group.body.members.filter((m: { applicationId: string | null }) => m.applicationId),
    ).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('registers a new merchant, with the server naming a bad field in the page language', async () => {
    const { page, problems, context } = await phonePage(s, { width: 360, height: 780 });
    await signIn(page, s.base, officer);
    await page.getByRole('button', { name: /马家岩/ }).click();
    await page.getByRole('button', { name: '登记新商户' }).click();
    await page.locator('#name').fill('新开五金店');
    await page.locator('#stallNo').fill('B-12');
    await page.locator('#idNumber').fill('500104198501010001');
    await page.locator('#phone').fill('13700009999');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.locator('#idNumber-error').waitFor();
    expect(await page.locator('#idNumber-error').textContent()).toMatch(/身份证/);
    expect(await axeViolations(page)).toEqual([]);
    // The same message of the server's, in English when the page is.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page
      .locator('#idNumber-error')
      .filter({ hasText: /resident identity number .*valid check character/ })
      .waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page
      .locator('#idNumber')
      .fill('50010419850101777X'.slice(0, 17) + checkChar('50010419850101777'));
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByRole('heading', { name: /经营调查 · 新开五金店/ }).waitFor();
    // Usable at 360 px: the survey fits the width, nothing to scroll sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    // Nothing personal stays on the device.
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage })');
    expect(stored).not.toContain('13700009999');
    expect(stored).not.toContain('5001041985010177');
    // Signing out leaves no draft on a shared device; with a submission still waiting for an
    // answer it asks first, and staying keeps the draft (and its retry).
    const drafts = () => page.evaluate<string>("localStorage.getItem('mlk.drafts') ?? ''");
    await page.locator('#annualSales').fill('1200000');
    expect(await drafts()).toContain('新开五金店');
    await page.evaluate(
      "localStorage.setItem('mlk.drafts', JSON.stringify(JSON.parse(localStorage.getItem('mlk.drafts')).map((d) => ({ ...d, state: 'pending' }))))",
    );
    page.once('dialog', (d) => d.dismiss());
    await page.getByRole('button', { name: '退出' }).click();
    expect(await drafts()).toContain('新开五金店');
    page.once('dialog', (d) => {
      expect(d.message()).toMatch(/1 笔提交/);
      return d.accept();
    });
    await page.getByRole('button', { name: '退出' }).click();
    await page.locator('#apiKey').waitFor();
    expect(await drafts()).toBe('');
    expect(problems).toEqual([]);
    await context.close();
  });
});

/** GB 11643 check character of a resident identity number's first 17 digits. */
function checkChar(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (w[i] as number), 0);
  return '10X98765432'[sum % 11] as string;
}
