import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildReport } from '../../../src/audit/report/build-report';
import { renderHtml } from '../../../src/audit/report/render-html';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { FROM, TO, writeTrail } from './trail';

// Debian's chromium (installed by .ci/run); a browser is never downloaded.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = path.resolve(__dirname, '../../../bot/screenshots/report.png');
const CHARTS = [
  'grants-by-week',
  'grants-by-requester',
  'grants-by-jurisdiction',
  'high-impact',
  'timing',
  'usage',
  'revocation-lag',
  'refusals-by-kind',
  'refusals-by-actor',
  'reviews',
  'drift',
];

describe('the HTML report in headless Chromium', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  let routed = 0;
  const problems: string[] = [];

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-report-page-'));
    const store = SqliteStore.open(path.join(dir, 'custodian.sqlite'));
    try {
      await writeTrail(store);
      const report = await buildReport(store, {
        from: FROM,
        to: TO,
        tenant: '8f1c2d3e-0000-4000-8000-contoso00001',
        now: Date.UTC(2026, 11, 1, 6, 0),
      });
      file = path.join(dir, 'report.html');
      fs.writeFileSync(file, await renderHtml(report));
    } finally {
      await store.close();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Every request but the report file itself is recorded and refused.
    const self = `file://${file}`;
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      routed++;
      if (url === self) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(self, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('asks for nothing beyond the file and logs no errors', () => {
    assert.equal(routed, 1, 'the route saw the page itself, so it would have seen any other request');
    assert.deepEqual(requests, []);
    assert.deepEqual(problems, []);
  });

  it('renders every chart as an SVG with marks', async () => {
    const charts = await page.$$eval('figure[data-chart]', (figures) =>
      figures.map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: figure.getAttribute('data-chart'),
          marks: svg ? svg.querySelectorAll('g.role-mark > path, g.role-mark > rect').length : 0,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
        };
      }),
    );
    assert.deepEqual(
      charts.map((chart) => chart.id),
      CHARTS,
    );
    for (const chart of charts) {
      assert.ok(chart.marks > 0, `${chart.id} draws no marks`);
      assert.ok(chart.width > 100 && chart.height > 50, `${chart.id} is ${chart.width}×${chart.height}`);
    }
  });

  it('shows the period, the tenant and the verified chain on the first screen', async () => {
    const header = await page.locator('header').innerText();
    assert.match(header, /Mailbox access report: 2026-11-01 to 2026-11-30/);
    assert.match(header, /Tenant\s*8f1c2d3e-0000-4000-8000-contoso00001/);
    const chain = page.locator('#chain');
    assert.match(await chain.innerText(), /Audit chain verified/);
    const box = await chain.boundingBox();
    assert.ok(box && box.y + box.height < 900, 'the chain check is on the first screen');
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('prints to an A4 PDF', async () => {
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 3 && pages <= 12, `${pages} pages`);
  });
});
