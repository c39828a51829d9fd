// Renders public/icons/icon.svg to the PNG sizes the web app manifest lists (Chrome and Edge
// want 192 and 512 px to offer installation; the maskable one keeps the star inside the safe
// circle). Run after changing the SVG: `node admin-ui/scripts/icons.mjs`. Uses Debian's Chromium.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../public/icons/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-background-networking'],
});
try {
  for (const [name, size, padding, background] of [
    ['icon-192.png', 192, 0, 'transparent'],
    ['icon-512.png', 512, 0, 'transparent'],
    ['maskable-512.png', 512, 0.12, '#1565c0'],
  ]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const inner = Math.round(size * (1 - 2 * padding));
    await page.setContent(
      `<html><body style="margin:0;background:${background};display:grid;place-items:center;width:${size}px;height:${size}px">` +
        `<div style="width:${inner}px;height:${inner}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body></html>`,
    );
    await page.screenshot({
      path: new URL(`../public/icons/${name}`, import.meta.url).pathname,
      omitBackground: background === 'transparent',
    });
    await page.close();
  }
} finally {
  await browser.close();
}
