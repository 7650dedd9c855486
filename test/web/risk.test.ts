/**
 * The risk workbench in Chromium: clone the champion, change the approve cutoff (a bad value
 * or a failing test case shows its problem at its path), diff, simulate over stored applications with the charts
 * drawn, publish by a second person (the author is refused), activate as a 10% challenger; another version activated as champion decides the next applications.
 */
import type { Page } from 'playwright-core';
import { demoMerchants } from '../../src/db/demo-data';
import { sampleSurvey } from '../helpers/fixtures';
import { bearer } from '../helpers/test-app';
import { accept, applicationBody } from '../modules/origination/applications/helpers';
import {
  axeViolations,
  describeInBrowser,
  phonePage,
  type Served,
  screenshot,
  serve,
  tabTo,
} from './browser';

describeInBrowser('risk workbench (browser)', () => {
  let s: Served;
  let risk: string;
  let risk2: string;
  /** The stored applications' offers (those approved have some). */
  const stored: { offers: { id: string }[] }[] = [];

  beforeAll(async () => {
    s = await serve();
    risk = await s.t.issueKey('risk');
    risk2 = await s.t.issueKey('risk');
    // Stored applications to simulate over: each demo merchant with its sample survey.
    const officer = await s.t.issueKey('officer', {
      marketIds: ['mkt_demo_majiayan', 'mkt_demo_kaien'],
    });
    let n = 0;
    for (const m of demoMerchants) {
      const res = await s.t.http
        .post('/v1/applications')
        .set(bearer(officer))
        .set('idempotency-key', `risk-web-${++n}`)
        .send(applicationBody(m.id, sampleSurvey(m.sampleId)));
      if (res.status !== 201) throw new Error(`seed application: ${res.status} ${res.text}`);
      stored.push(res.body);
    }
  });
  afterAll(() => s?.close());

  const signIn = async (page: Page, key: string) => {
    await page.goto(`${s.base}/app/risk/`);
    await page.getByLabel(/API 密钥/).fill(key);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '策略版本' }).waitFor();
  };

  it('clones, edits, diffs, simulates, publishes by a second key and activates a challenger', async () => {
    const { page, problems, context } = await phonePage(s, { width: 1280, height: 900 });
    await signIn(page, risk);
    const champion = (await s.t.http.get('/v1/policies/active').set(bearer(risk))).body;
    await page.getByRole('button', { name: `打开 v${champion.version}` }).click();
    await page.getByRole('button', { name: '复制为新草稿' }).click();
    await page.getByRole('heading', { name: '编辑草稿' }).waitFor();
    // A bad cutoff: refused, its problem shown at its path.
    await page.locator('#approveMinScore').fill('x');
    await page.getByRole('button', { name: '保存并校验' }).click();
    await page.locator('#problems').getByText('outcomes.approveMinScore').waitFor();
    // Saved, but its own test cases no longer pass: each failing case at its path.
    await page.locator('#approveMinScore').fill('640');
    await page.getByRole('button', { name: '保存并校验' }).click();
    await page.locator('#problems').getByText('testCases[0].expect.outcome').waitFor();
    await page.locator('#approveMinScore').fill('610');
    await page.getByRole('button', { name: '保存并校验' }).click();
    await page.getByText('已保存，校验通过').waitFor();
    await page.getByRole('button', { name: '对比', exact: true }).click();
    await page.getByTestId('diff').getByText('outcomes.approveMinScore').waitFor();
    await page.getByRole('button', { name: '运行模拟' }).click();
    await page
      .getByTestId('score-histogram')
      .locator('rect')
      .first()
      .waitFor({ state: 'attached' });
    expect(await page.getByTestId('simulation').textContent()).toMatch(/申请数 12/);
    // The histogram is split by outcome, and the approval and loss curves come from the API.
    const histogram = page.getByTestId('score-histogram');
    expect(await histogram.getAttribute('aria-label')).toMatch(/批准 \d+, 转人工 \d+, 拒绝 \d+/);
    expect(await page.getByTestId('approval-curve').locator('rect').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('loss-curve').getAttribute('aria-label')).toMatch(/610|600/);
    await page.getByTestId('simulation').scrollIntoViewIfNeeded();
    await screenshot(page, 'risk-simulation');
    expect(await axeViolations(page)).toEqual([]);
    // The swap set against the champion: the API's counts, each sample a link to its
    // application (an address in this page), which opens it as the API gives it.
    const drafts = (await s.t.http.get('/v1/policies?limit=200').set(bearer(risk))).body.data as {
      id: string;
      status: string;
    }[];
    const draftId = drafts.find((x) => x.status === 'draft')?.id;
    const apiSim = (
      await s.t.http.post(`/v1/policies/${draftId}/simulate`).set(bearer(risk)).send({})
    ).body as { swaps: Record<string, { count: number; sample: string[] }> };
    expect(await page.locator('tr[data-swap]').count()).toBe(6);
    for (const [kind, swap] of Object.entries(apiSim.swaps)) {
      const row = page.locator(`tr[data-swap="${kind}"]`);
      expect(await row.locator('td').nth(1).textContent()).toBe(String(swap.count));
      expect(
        await row.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      ).toEqual(swap.sample.map((id) => `#/applications/${id}`));
    }
    expect(await page.locator('tr[data-swap="approveToRefer"] td').first().textContent()).toBe(
      '批准 → 转人工审核',
    );
    const swapped = Object.values(apiSim.swaps).flatMap((x) => x.sample)[0] as string;
    expect(swapped).toMatch(/^app_/);
    await page.locator(`a[href="#/applications/${swapped}"]`).click();
    await page.getByTestId('linked-application').getByRole('heading', { name: swapped }).waitFor();
    const linkedApp = (await s.t.http.get(`/v1/applications/${swapped}`).set(bearer(risk))).body;
    expect(await page.getByTestId('linked-outcome').textContent()).toBe(
      { approve: '批准', refer: '转人工审核', decline: '拒绝' }[
        linkedApp.decision.outcome as string
      ],
    );
    expect(page.url()).toMatch(new RegExp(`#/applications/${swapped}$`));
    expect(await axeViolations(page)).toEqual([]);
    // Four eyes: the page names who may publish (a risk member other than the authors, as
    // the API has them); the author's own key is refused, a second person's publishes.
    const authors = (await s.t.http.get(`/v1/policies/${draftId}`).set(bearer(risk))).body
      .authors as string[];
    expect(authors).toHaveLength(1);
    const who = await page.getByTestId('who-may-publish').textContent();
    expect(who).toMatch(/^可以发布的人：风险团队中不是本草稿作者的任何一位/);
    expect(who).toContain(`作者：${authors[0]}。`);
    await page.locator('#secondKey').fill(risk);
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await page.locator('#secondKey').fill(risk2);
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByText('已发布', { exact: true }).first().waitFor();
    await page.locator('#share').fill('10');
    await page.getByRole('button', { name: '启用', exact: true }).click();
    await page.getByText('已启用').waitFor();
    const active = (await s.t.http.get('/v1/policies/active').set(bearer(risk))).body;
    expect(active.id).toBe(champion.id);
    expect(active.challenger).toMatchObject({ shareBps: 1000 });
    // The policy list shows each arm, the challenger with its share.
    await page.getByRole('cell', { name: '挑战者 10%', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: '冠军', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: '查看监控' }).click();
    await page.getByTestId('monitoring').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works by keyboard alone: sign in, open the champion, clone it and simulate', async () => {
    const { page, problems, context } = await phonePage(s, { width: 1280, height: 900 });
    const champion = (await s.t.http.get('/v1/policies/active').set(bearer(risk))).body;
    const before = (await s.t.http.get('/v1/policies?limit=200').set(bearer(risk))).body.data;
    await page.goto(`${s.base}/app/risk/`);
    // Tab, typing, Enter and Space only; tabTo fails if any stop on the way hides its focus.
    await tabTo(page, { selector: '#apiKey' });
    await page.keyboard.type(risk);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '策略版本' }).waitFor();
    await tabTo(page, { name: new RegExp(`^打开 v${champion.version}$`) });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(`^v${champion.version}\\b`) }).waitFor();
    await tabTo(page, { name: /^复制为新草稿$/ });
    await page.keyboard.press('Space');
    await page.getByRole('heading', { name: '编辑草稿' }).waitFor();
    const after = (await s.t.http.get('/v1/policies?limit=200').set(bearer(risk))).body.data;
    expect(after).toHaveLength(before.length + 1);
    await tabTo(page, { selector: '#approveMinScore' });
    await tabTo(page, { name: /^运行模拟$/ });
    await page.keyboard.press('Enter');
    await page
      .getByTestId('score-histogram')
      .locator('rect')
      .first()
      .waitFor({ state: 'attached' });
    expect(await page.getByTestId('simulation').textContent()).toMatch(/申请数 12/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the guarantee network of a market: figures and the API SVG as an image', async () => {
    const { page, problems, context } = await phonePage(s, { width: 1280, height: 900 });
    await signIn(page, risk);
    await page.getByRole('heading', { name: '担保网络' }).waitFor();
    await page.getByTestId('network-figures').waitFor();
    const img = page.getByTestId('network-svg');
    await img.waitFor();
    // The data: URL decoded and drawn under the page's CSP (no inline script or style).
    await page.waitForFunction(
      'document.querySelector(\'[data-testid="network-svg"]\')?.naturalWidth > 0',
    );
    expect(await img.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    await page.locator('#networkMarket').selectOption('mkt_demo_kaien');
    await page.getByTestId('network-figures').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('monitoring over time: each month of the period, against one baseline, as the API counts it', async () => {
    const champion = (await s.t.http.get('/v1/policies/active').set(bearer(risk))).body;
    // Loans with outcomes this month: each approved application's first offer taken, every
    // other one gone bad.
    const today = new Date().toISOString().slice(0, 10);
    let loans = 0;
    for (const a of stored) {
      const offer = a.offers[0];
      if (!offer) continue;
      expect((await accept(s.t, s.t.adminKey, offer.id)).status).toBe(200);
      const status = loans++ % 2 ? 'default' : 'current';
      const res = await s.t.http
        .post('/v1/outcomes')
        .set(bearer(risk))
        .send({ offerId: offer.id, status, asOf: today });
      expect(res.status).toBe(201);
    }
    expect(loans).toBeGreaterThanOrEqual(2);
    const { page, problems, context } = await phonePage(s, { width: 1280, height: 900 });
    await signIn(page, risk);
    await page.getByRole('button', { name: `打开 v${champion.version}` }).click();
    await page.getByRole('button', { name: '查看监控' }).click();
    const table = page.getByTestId('monitoring-by-month');
    await table.waitFor();
    const since = await page.locator('#since').inputValue();
    const until = await page.locator('#until').inputValue();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    // Calendar months from since to until, one after the other.
    const periods = rows.map((r) => (r[0] ?? '').split(' – '));
    expect(periods[0]?.[0]).toBe(since);
    expect(periods.at(-1)?.[1]).toBe(until);
    for (const [i, p] of periods.entries()) {
      if (i > 0) expect(p[0]).toBe(periods[i - 1]?.[1]);
      if (i > 0) expect(p[0]).toMatch(/-01$/);
    }
    expect(periods.length).toBeGreaterThanOrEqual(3);
    // This month's figures are the API's, PSI against the period before the one chosen.
    const days = (Date.parse(until) - Date.parse(since)) / 86_400_000;
    const baselineSince = new Date(Date.parse(since) - days * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const [from, to] = periods.at(-1) as string[];
    const api = (
      await s.t.http
        .get(
          `/v1/policies/${champion.id}/monitoring?since=${from}&until=${to}&baselineSince=${baselineSince}&baselineUntil=${since}`,
        )
        .set(bearer(risk))
    ).body;
    const fixed = (v: number | null) => (v === null ? '—' : v.toFixed(3));
    expect(api.count).toBe(loans);
    expect(api.gini).not.toBeNull();
    expect(rows.at(-1)?.slice(1)).toEqual([
      String(loans),
      `${(api.badRate * 100).toFixed(1)}%`,
      fixed(api.gini),
      fixed(api.ks),
      fixed(api.psi.value),
    ]);
    // Bad rate by grade over the whole period: the API's, grade by grade.
    const whole = (
      await s.t.http
        .get(
          `/v1/policies/${champion.id}/monitoring?since=${since}&until=${until}&baselineSince=${baselineSince}&baselineUntil=${since}`,
        )
        .set(bearer(risk))
    ).body as { badRateByGrade: { grade: string; badRate: number }[] };
    expect(whole.badRateByGrade.length).toBeGreaterThan(0);
    expect(await page.getByTestId('bad-rate-by-grade').getAttribute('aria-label')).toBe(
      `各等级坏账率: ${whole.badRateByGrade.map((g) => `${g.grade}: ${(g.badRate * 100).toFixed(1)}%`).join('; ')}`,
    );
    // The months before had no loans with outcomes: nothing drawn or written for them.
    for (const r of rows.slice(0, -1)) expect(r.slice(1, 5)).toEqual(['0', '—', '—', '—']);
    const values = rows.flatMap((r) => r.slice(3, 6)).filter((v) => v !== '—');
    expect(await page.getByTestId('monitoring-trend').locator('circle').count()).toBe(
      values.length,
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is in Chinese whatever the browser asks for, English on request, kept on reload', async () => {
    const context = await s.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${s.base}/app/risk/`);
    await page.getByRole('heading', { name: '风险团队登录' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Risk team sign-in' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Risk team sign-in' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '风险团队登录' }).waitFor();
    await context.close();
  });

  it('activates a published version as champion: it decides from then on, the old one leaves', async () => {
    const before = (await s.t.http.get('/v1/policies/active').set(bearer(risk))).body;
    // A draft written by one risk key and published by another (four eyes), through the API.
    const draft = await s.t.http
      .post('/v1/policies')
      .set(bearer(risk))
      .send({ cloneOf: before.id, changes: { name: 'Champion from the browser' } });
    expect(draft.status).toBe(201);
    const published = await s.t.http
      .post(`/v1/policies/${draft.body.id}/publish`)
      .set(bearer(risk2));
    expect(published.status).toBe(200);

    const { page, problems, context } = await phonePage(s, { width: 1280, height: 900 });
    await signIn(page, risk);
    await page.getByRole('button', { name: `打开 v${draft.body.version}` }).click();
    await page.locator('#role').selectOption('champion');
    // A champion takes all the traffic its arm gets: no share to give.
    expect(await page.locator('#share').count()).toBe(0);
    await page.getByRole('button', { name: '启用', exact: true }).click();
    await page.getByText('已启用').waitFor();
    const after = (await s.t.http.get('/v1/policies/active').set(bearer(risk))).body;
    expect(after.id).toBe(draft.body.id);
    expect(after.id).not.toBe(before.id);
    // The next application decided on the champion's arm is decided by it.
    const officer = await s.t.issueKey('officer', {
      marketIds: ['mkt_demo_majiayan', 'mkt_demo_kaien'],
    });
    const decided: { policyId: string; arm: string }[] = [];
    for (const [i, m] of demoMerchants.slice(0, 4).entries()) {
      const res = await s.t.http
        .post('/v1/applications')
        .set(bearer(officer))
        .set('idempotency-key', `risk-web-champion-${i}`)
        .send(applicationBody(m.id, sampleSurvey(m.sampleId)));
      expect(res.status).toBe(201);
      decided.push(res.body.decision);
    }
    const onChampion = decided.filter((d) => d.arm === 'champion');
    expect(onChampion.length).toBeGreaterThan(0);
    expect(onChampion.every((d) => d.policyId === draft.body.id)).toBe(true);
    // The list: the new version is the one champion.
    const championRow = page.locator('tr', {
      has: page.getByRole('cell', { name: '冠军', exact: true }),
    });
    await championRow.getByRole('button', { name: `打开 v${draft.body.version}` }).waitFor();
    expect(await page.getByRole('cell', { name: '冠军', exact: true }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('Swagger UI at /docs still renders under its own CSP', async () => {
    const { page, problems, context } = await phonePage(s, { width: 1280, height: 900 });
    await page.goto(`${s.base}/docs/`);
    // Swagger UI parses the whole document in the page: seconds on a loaded 2-core machine.
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 40_000 });
    await page.locator('.opblock-tag').first().waitFor();
    // swagger-ui's own policy refuses its inline style attributes (as before this page
    // existed; it renders regardless); nothing else may be refused.
    expect(problems.filter((p) => !/inline style/.test(p))).toEqual([]);
    await context.close();
  }, 60_000);
});
