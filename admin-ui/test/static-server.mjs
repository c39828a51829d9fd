// Serves admin-ui/dist like a static host: files, the SPA index for unknown paths, a per-stack
// /config.js, and path prefixes proxied to the stack (HTTP, and WebSocket upgrades for graphql-ws).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { extname, join, normalize } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * @param {{dir: string, port: number, configJs?: string, proxies?: {prefix: string, host: string, port: number}[]}} options
 */
export function startStaticServer({ dir, port, configJs, proxies = [] }) {
  const proxyFor = (url) => proxies.find((p) => (url ?? '/').startsWith(p.prefix));
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const proxy = proxyFor(req.url);
    if (proxy) {
      const upstream = request(
        {
          host: proxy.host,
          port: proxy.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: `${proxy.host}:${proxy.port}` },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        // An upstream that answered early (a refused upload) may reset the rest of the body: the answer stands.
        if (res.headersSent) return;
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'GATEWAY_UNREACHABLE', message: String(err) }));
      });
      // Bodies are streamed both ways (CSV uploads of many megabytes), never buffered here.
      req.pipe(upstream);
      return;
    }
    if (path === '/config.js' && configJs !== undefined) {
      res.writeHead(200, { 'content-type': types['.js'], 'cache-control': 'no-store' });
      res.end(configJs);
      return;
    }
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  // graphql-ws: hand the upgrade request to the gateway byte for byte, then splice the sockets.
  server.on('upgrade', (req, socket, head) => {
    const proxy = proxyFor(req.url);
    if (!proxy) {
      socket.destroy();
      return;
    }
    const up = connect(proxy.port, proxy.host, () => {
      const headers = Object.entries(req.headers)
        .map(([k, v]) => `${k}: ${k === 'host' ? `${proxy.host}:${proxy.port}` : v}`)
        .join('\r\n');
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
