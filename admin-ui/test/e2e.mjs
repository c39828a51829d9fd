// The admin UI against the real stack (port base 6000, databases *_ui) in Debian's Chromium.
// Each scenario saves a screenshot to docs/screenshots/ and checks accessibility basics.
// Last line: `ui-tests: N passed, M failed`.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { signWebhook } from '../../deploy/local/ring.mjs';
import { prepareDatabases, startStack } from '../../deploy/local/stack.mjs';
import { startStaticServer } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { demo } = createRequire(import.meta.url)(join(root, 'libs/platform/dist/demo.js'));
const PORT_BASE = 6000;
const UI_PORT = 6173;
const ui = `http://127.0.0.1:${UI_PORT}`;
const screenshots = join(root, 'docs/screenshots');
mkdirSync(screenshots, { recursive: true });

const log = (...args) => console.error(...args);
const results = [];

async function scenario(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok - ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(
      `not ok - ${name}\n  ${String(err?.stack ?? err)
        .split('\n')
        .slice(0, 8)
        .join('\n  ')}`,
    );
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** GraphQL over HTTP straight to the gateway, to check what the UI did. */
async function gql(urls, query, variables, token) {
  const res = await fetch(urls.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`${body.errors[0].message} (${body.errors[0].extensions?.code})`);
  return body.data;
}

const login = async (urls, email, password) =>
  (
    await gql(urls, 'mutation($e:String!,$p:String!){login(email:$e,password:$p){accessToken}}', {
      e: email,
      p: password,
    })
  ).login.accessToken;

/** Every visible form control has an accessible name (a <label>, aria-label or aria-labelledby). */
async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, textarea, select')]
      .filter((el) => el.type !== 'hidden' && el.getAttribute('aria-hidden') !== 'true' && el.offsetParent !== null)
      .filter((el) => {
        const labelled =
          (el.labels && el.labels.length > 0 && [...el.labels].some((l) => l.textContent.trim())) ||
          el.getAttribute('aria-label')?.trim() ||
          (el.getAttribute('aria-labelledby') ?? '')
            .split(/\s+/)
            .some((id) => id && document.getElementById(id)?.textContent.trim());
        return !labelled;
      })
      .map((el) => el.outerHTML.slice(0, 160)),
  );
}

async function signIn(page, email, password) {
  await page.goto(`${ui}/#/login`);
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
}

async function ring(urls, from) {
  const body = JSON.stringify({
    callId: `ui-${Date.now()}`,
    event: 'ringing',
    from,
    to: '03-1234-5678',
    occurredAt: new Date().toISOString(),
  });
  const res = await fetch(`${urls.telephony}/v1/calls/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-thankstar-key': demo.webhook.keyId,
      'x-thankstar-signature': signWebhook(body, demo.webhook.secret),
    },
    body,
  });
  expect(res.status < 300, `webhook answered ${res.status}: ${await res.text()}`);
}

/** Direct when the gateway allows the UI's origin; otherwise same-origin through the static server. */
async function gatewayAllowsOrigin(urls) {
  try {
    const res = await fetch(urls.gateway, {
      method: 'OPTIONS',
      headers: {
        origin: ui,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    const allowed = res.headers.get('access-control-allow-origin');
    return allowed === '*' || allowed === ui;
  } catch {
    return false;
  }
}

// --- scenarios -------------------------------------------------------------------------------

async function operatorSeesPopupAndSavesNote(browser, urls) {
  // Operators use phones too: this runs at iPhone size.
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  const page = await context.newPage();
  try {
    await signIn(page, demo.operator.email, demo.operator.password);
    await page.waitForURL(/#\/console/);
    await page.getByTestId('feed-status').getByText('着信を待っています').waitFor({ timeout: 20_000 });

    await ring(urls, '090-1111-2222');
    const heading = page.getByRole('heading', { name: '090-1111-2222 からの着信' });
    await heading.waitFor({ timeout: 20_000 });
    const popup = page.getByTestId('popup').first();
    expect((await popup.getByTestId('popup-class').textContent()) === '顧客', 'the popup is not classed 顧客');
    await popup.getByText(demo.customer.name).first().waitFor();
    // Focus moved to the new popup's heading, so a screen reader announces it.
    expect(await heading.evaluate((el) => document.activeElement === el), 'focus did not move to the popup heading');

    await popup.getByRole('button', { name: '対応します' }).click();
    await popup.getByText('あなたが対応中です').waitFor();
    const note = `折り返し希望（UI テスト ${Date.now()}）`;
    await popup.getByLabel('通話メモ').fill(note);
    await popup.getByText('保存しました').waitFor({ timeout: 10_000 });

    const unlabelled = await unlabelledControls(page);
    expect(unlabelled.length === 0, `controls without a label: ${unlabelled.join('\n')}`);
    await page.screenshot({ path: join(screenshots, 'operator-console.png'), fullPage: true });

    // The note is really stored on the call's interaction.
    const token = await login(urls, demo.operator.email, demo.operator.password);
    const { interactions } = await gql(
      urls,
      'query($c:ID!){interactions(customerId:$c){notes}}',
      { c: demo.customer.id },
      token,
    );
    expect(
      interactions.some((i) => i.notes === note),
      `note not stored; interactions: ${JSON.stringify(interactions)}`,
    );
  } finally {
    await context.close();
  }
}

// --- run -------------------------------------------------------------------------------------

let stack;
let server;
let browser;
try {
  log('preparing databases (_ui) and starting the stack on port base', PORT_BASE);
  await prepareDatabases('_ui');
  // Five Node processes starting at once on a busy machine can miss the health deadline: one more try.
  for (let attempt = 1; !stack; attempt++) {
    try {
      stack = await startStack({ portBase: PORT_BASE, dbSuffix: '_ui', groupPrefix: `ui-${Date.now()}` });
    } catch (err) {
      if (attempt >= 2) throw err;
      log(`stack did not start (${String(err?.message ?? err).split('\n')[0]}); retrying`);
    }
  }
  const direct = await gatewayAllowsOrigin(stack.urls);
  log(
    direct ? 'gateway allows the UI origin: calling it directly' : 'gateway has no CORS for the UI: proxying /graphql',
  );
  server = await startStaticServer({
    dir: join(root, 'admin-ui/dist'),
    port: UI_PORT,
    configJs: direct ? undefined : `window.__THANKSTAR__ = { gatewayUrl: '/graphql' };`,
    proxy: direct ? undefined : { host: '127.0.0.1', port: PORT_BASE },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'],
  });
  await scenario('an operator sees a popup after a signed webhook ring and saves a note', () =>
    operatorSeesPopupAndSavesNote(browser, stack.urls),
  );
} catch (err) {
  console.log(`not ok - stack setup: ${String(err?.message ?? err).split('\n')[0]}`);
  log(String(err?.stack ?? err));
  results.push({ name: 'stack setup', ok: false });
} finally {
  await browser?.close().catch(() => {});
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  await stack?.stop().catch(() => {});
}
const passed = results.filter((r) => r.ok).length;
console.log(`ui-tests: ${passed} passed, ${results.length - passed} failed`);
process.exit(results.length - passed === 0 ? 0 : 1);
