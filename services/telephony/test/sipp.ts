import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free UDP port on 127.0.0.1 for a sipp peer. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A free TCP port on 127.0.0.1 for a sipp peer over TCP. */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no TCP port');
  return address.port;
}

/** Runs Debian's sipp (package sip-tester) with a scenario of test/sipp/; resolves with its exit code. */
export function runSipp(
  scenario: string,
  args: string[],
): { exited: Promise<{ code: number | null; output: string }>; kill(): void } {
  const child = spawn(
    'sipp',
    ['-sf', join(__dirname, 'sipp', scenario), '-i', '127.0.0.1', '-m', '1', '-timeout', '30s', '-nostdin', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  child.stderr.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  return {
    exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, output }))),
    kill: () => child.kill('SIGKILL'),
  };
}
