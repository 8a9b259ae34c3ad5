// Journey (#11 item 8): the province officer opens "Báo cáo", writes the assessment, downloads the annual report as
// Word and PDF and reads them back: the officials' headings, the figures the page shows, the officer's own words.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import yauzl from 'yauzl';
import { ACCOUNTS, launch, shot, signedInPage } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** word/document.xml of a .docx, as paragraphs of text. */
function docxParagraphs(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (e) => {
        if (e.fileName !== 'word/document.xml') return zip.readEntry();
        zip.openReadStream(e, (err2, s) => {
          if (err2) return reject(err2);
          const chunks = [];
          s.on('data', (c) => chunks.push(c));
          s.on('end', () => {
            zip.close();
            const xml = Buffer.concat(chunks).toString('utf8');
            const text = (x) => [...x.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')).join('');
            resolve([...xml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map((m) => text(m[1])));
          });
        });
      });
      zip.on('end', () => reject(new Error('no word/document.xml')));
      zip.readEntry();
    });
  });
}

async function downloadFrom(page, testId) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-report-')), download.suggestedFilename());
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

test('province officer: the annual report as Word and PDF, with the page’s figures and the officer’s text', async () => {
  const page = await signedInPage(browser, ACCOUNTS.province);
  await page.goto('/home');
  await page.getByTestId('nav-reports').click();
  await page.waitForURL(/\/reports$/);
  const preview = page.getByTestId('report-preview');
  await preview.waitFor();
  const title = (await preview.locator('.ant-card-head-title').innerText()).trim();
  assert.match(title, /^Kết quả thực hiện Chương trình OCOP năm \d{4}$/);
  const year = title.slice(-4);
  const number = async (key) => Number((await page.getByTestId(`report-stat-${key}`).locator('.ant-statistic-content').innerText()).replace(/\D/g, ''));
  const recognised = await number('recognised');
  const producers = await number('producers');
  assert.ok(recognised > 0, 'the demo has products in force in the plan’s area');

  const general = `Năm ${year}, các chủ thể chủ động nâng cấp bao bì, nhãn mác và tham gia sàn thương mại điện tử.`;
  await page.getByTestId('report-general').fill(general);
  await page.getByTestId('report-directions').fill('Tập trung đánh giá lại các sản phẩm sắp hết hạn.');
  const docx = await downloadFrom(page, 'report-download-docx');
  assert.match(docx.name, new RegExp(`^Báo cáo OCOP năm ${year} - huyện Lục Ngạn\\.docx$`));
  const paragraphs = await docxParagraphs(docx.file);
  for (const heading of ['BÁO CÁO', title, 'I. KẾT QUẢ THỰC HIỆN', '1. Kết quả đánh giá, phân hạng sản phẩm OCOP', 'II. ĐÁNH GIÁ CHUNG',
    `III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM ${Number(year) + 1}`, 'PHỤ LỤC 01', 'PHỤ LỤC 02', 'PHỤ LỤC 03']) {
    assert.ok(paragraphs.includes(heading), `the Word report has "${heading}"`);
  }
  assert.ok(paragraphs.includes(general), 'the officer’s text is in the Word report');
  const lastDay = `31/12/${year}`;
  const inForce = paragraphs.find((p) => p.startsWith(`Tính đến ngày ${lastDay}`)) ?? paragraphs.find((p) => p.startsWith('Tính đến ngày'));
  assert.ok(inForce?.includes(`có ${recognised} sản phẩm OCOP còn hiệu lực`), `the figure on the page (${recognised}) is the report’s: ${inForce}`);
  assert.ok(inForce.includes(`của ${producers} chủ thể`));

  const pdf = await downloadFrom(page, 'report-download-pdf');
  assert.match(pdf.name, /\.pdf$/);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf.file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
  for (const s of ['BÁO CÁO', title, 'I. KẾT QUẢ THỰC HIỆN', general, 'PHỤ LỤC 02']) assert.ok(text.includes(s), `the PDF has "${s}"`);

  await shot(page, 'report-1366');
  await page.setViewportSize({ width: 390, height: 844 });
  await preview.waitFor();
  await page.waitForTimeout(300);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no sideways scrolling at 390 px');
  await shot(page, 'report-390');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('commune officer: the report counts only their communes', async () => {
  const page = await signedInPage(browser, ACCOUNTS.commune);
  await page.goto('/reports');
  await page.getByTestId('report-preview').waitFor();
  assert.match(await page.getByTestId('report-scope').innerText(), /Chũ/);
  await page.getByTestId('report-commune').click();
  const options = page.locator('.ant-select-item-option').filter({ visible: true });
  await options.first().waitFor();
  assert.deepEqual(await options.allInnerTexts(), ['phường Chũ']);
  await page.keyboard.press('Escape');
  await page.context().close();
});
