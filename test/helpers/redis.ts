import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** Debian's `redis-server` (`.ci/run` installs it), or undefined when this machine has none. */
export function redisServerPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RedisProcess {
  url: string;
  port: number;
  /** Kills the server at once (an outage), and starts it again on the same port. */
  kill(): Promise<void>;
  /** Stops the server answering (SIGSTOP) until `resume` (SIGCONT): a stall, its connections open. */
  stall(): void;
  resume(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A real redis-server on a random loopback port, nothing on disk. */
export async function startRedis(): Promise<RedisProcess> {
  const binary = redisServerPath();
  if (!binary) throw new Error('redis-server is not installed (apt-get install -y redis-server)');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const until = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(out)) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`redis-server did not start:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, start, stop: kill, stall: () => child?.kill('SIGSTOP'), resume: () => child?.kill('SIGCONT') };
}
