import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { eventually } from './support/eventually.js';
import { freePort } from './support/net.js';

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** What a process manager does: SIGTERM to the pid it started (npm's), and the service must stop with it. */
describe('npm scripts hand signals to the service they start', () => {
  it('SIGTERM to the pid of `npm run emulator` stops the emulator', async () => {
    const port = await freePort();
    // Its own process group, so that whatever is left can be killed after the test, pass or fail.
    const npm = spawn('npm', ['run', 'emulator', '--silent'], { env: { ...process.env, EMULATOR_PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await eventually(() => expect(output).toContain('Shopify emulator listening'), 60_000, 100);
      expect(await listening(port)).toBe(true);
      const exited = once(npm, 'exit');
      npm.kill('SIGTERM');
      await exited;
      await eventually(async () => expect(await listening(port)).toBe(false), 10_000, 100);
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    }
  }, 90_000);
});
