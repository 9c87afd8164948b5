/**
 * A real redis-server (Debian package redis-server; .ci/run installs it) for tests, started on
 * 127.0.0.1 on a free port, without persistence (as the deploy files run it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './helpers.js';

export interface TestRedis {
  url: string;
  port: number;
  server: ChildProcess;
  stop: () => void;
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      socket.destroy();
      // A server with a password answers NOAUTH: it is up all the same.
      resolve(/^(\+PONG|-NOAUTH)/.test(d.toString()));
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Starts redis-server (on `port`, or a free one; `extra` arguments such as `--requirepass x`);
 * throws (failing the suite) when it is not installed or does not answer.
 */
export async function startTestRedis(port?: number, extra: string[] = []): Promise<TestRedis> {
  execFileSync('redis-server', ['--version'], { stdio: 'pipe' });
  port ??= await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 200 && !(await ping(port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await ping(port))) throw new Error(`redis-server did not answer on port ${port}`);
  return { url: `redis://127.0.0.1:${port}`, port, server, stop: () => server.kill('SIGTERM') };
}
