import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * Emits dist/sw.js from src/pwa/service-worker.js at build time, with the list of the build's
 * own files (the offline shell) and a version derived from them, so a new build replaces the
 * cache. Nothing at dev time: the dev server does not register a service worker (main.tsx).
 */
export function serviceWorker(): Plugin {
  return {
    name: 'thankstar-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle)
        .filter((file) => !file.endsWith('.map'))
        .map((file) => `/${file}`);
      const publicFiles = [
        '/manifest.webmanifest',
        '/icons/icon.svg',
        '/icons/icon-192.png',
        '/icons/icon-512.png',
        '/icons/maskable-512.png',
      ];
      const shell = [...new Set(['/index.html', ...built, ...publicFiles])].sort();
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const template = readFileSync(new URL('./service-worker.js', import.meta.url), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: template.replace('__VERSION__', version).replace('__SHELL__', JSON.stringify(shell)),
      });
    },
  };
}
