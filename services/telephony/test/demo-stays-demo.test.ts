import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Demo data stays demo. Runs the built scripts (`npx tsc -b tsconfig.build.json` first), as
 * deploy/local and the images do.
 */
const root = join(__dirname, '../../..');
const services = ['telephony', 'customers', 'billing', 'licensing'];
const built = (path: string) => {
  const file = join(root, path);
  if (!existsSync(file)) throw new Error(`${path} is not built: run npx tsc -b tsconfig.build.json`);
  return file;
};

describe('demo data stays demo', () => {
  const work = mkdtempSync(join(tmpdir(), 'thankstar-strip-'));

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it.each(services)(
    'the %s seed refuses NODE_ENV=production: non-zero exit and the reason, before any database',
    (svc) => {
      const run = spawnSync(process.execPath, [built(`services/${svc}/dist/src/seed/run.js`)], {
        cwd: root,
        // A database that does not exist: an unguarded seed could not write anywhere even if it ran.
        env: { ...process.env, NODE_ENV: 'production', THANKSTAR_DB_SUFFIX: '_h8_never_seeded', LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).not.toBe(0);
      expect(run.status).not.toBeNull();
      expect(run.stderr).toContain(`${svc}: NODE_ENV=production ではデモデータを投入できません`);
      // Refused before connecting, not failed while connecting.
      expect(run.stderr).not.toMatch(/does not exist|ECONNREFUSED/);
    },
  );

  it('strip-demo.sh removes the seeds and the demo credentials from a runtime tree, and the platform still loads', () => {
    const out = join(work, 'out');
    cpSync(join(root, 'libs/platform/dist'), join(out, 'libs/platform/dist'), { recursive: true });
    cpSync(join(root, 'libs/platform/package.json'), join(out, 'libs/platform/package.json'));
    cpSync(built('services/telephony/dist'), join(out, 'services/telephony/dist'), { recursive: true });
    expect(readFileSync(join(out, 'libs/platform/dist/demo.js'), 'utf8')).toContain('demo-webhook-secret');

    const strip = spawnSync('sh', [join(root, 'deploy/docker/strip-demo.sh'), out], { encoding: 'utf8' });
    expect(strip.status, strip.stderr).toBe(0);
    expect(existsSync(join(out, 'services/telephony/dist/src/seed'))).toBe(false);
    expect(existsSync(join(out, 'services/telephony/dist/src/main.js'))).toBe(true);
    expect(readFileSync(join(out, 'libs/platform/dist/demo.js'), 'utf8')).not.toMatch(
      /demo-(operator|admin)-20|demo-webhook-secret/,
    );
    // The platform's testing entry re-exports demo: it and the main entry must still load, without it.
    // (a script file, not node -e: typeorm's app-root-path needs require.main.filename)
    const check = join(work, 'load-platform.js');
    writeFileSync(
      check,
      `const p = require(${JSON.stringify(join(out, 'libs/platform/dist/index.js'))});
       if (p.demo !== undefined) process.exit(2);
       if (typeof p.bootstrapService !== 'function') process.exit(3);
       const t = require(${JSON.stringify(join(out, 'libs/platform/dist/testing.js'))});
       if (t.demo !== undefined) process.exit(4);
       if (typeof t.resetDatabase !== 'function') process.exit(5);\n`,
    );
    const load = spawnSync(process.execPath, [check], {
      env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
      encoding: 'utf8',
    });
    expect(load.status, load.stderr).toBe(0);
  });

  it('strip-demo.sh fails the image build when a demo secret is left anywhere else', () => {
    const out = join(work, 'leaky');
    cpSync(join(root, 'libs/platform/dist'), join(out, 'libs/platform/dist'), { recursive: true });
    writeFileSync(join(out, 'config.js'), `module.exports = { secret: 'demo-webhook-secret-change-me' };\n`);
    const strip = spawnSync('sh', [join(root, 'deploy/docker/strip-demo.sh'), out], { encoding: 'utf8' });
    expect(strip.status).toBe(1);
    expect(strip.stderr).toContain('demo credentials are still in');
  });
});
