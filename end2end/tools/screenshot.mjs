// Saves screenshots of a running Programme Desk for the README:
//   node tools/screenshot.mjs http://127.0.0.1:3000 screenshots
import { chromium } from 'playwright';

const [base = 'http://127.0.0.1:3000', outDir = 'screenshots'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await desktop.goto(`${base}/matrix`);
  await desktop.screenshot({ path: `${outDir}/matrix.png` });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 1 });
  await phone.goto(`${base}/matrix?format=expert_group`);
  await phone.screenshot({ path: `${outDir}/matrix-phone.png` });
  console.log(`saved ${outDir}/matrix.png and ${outDir}/matrix-phone.png`);
} finally {
  await browser.close();
}
