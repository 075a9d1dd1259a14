// A worker of a test's own, beside the stack's: wrangler dev --test-scheduled on two free ports
// (the worker's and its inspector's), its state in a directory of its own, the provider bases
// pointed at the simulator. The monitoring and history tests each run one.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { SIM } from './helpers.mjs';

export const WRANGLER = process.env.BACKBOARD_WRANGLER ?? resolve('node_modules/.bin/wrangler');
export const WORKER_DIR = process.env.BACKBOARD_WORKER_DIR ?? resolve('../worker');
export const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

const freePort = () => new Promise((r) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => r(port)); });
});

export class OwnWorker {
  /// `name` names it in errors; `persist` is its --persist-to directory.
  constructor(name, persist) {
    Object.assign(this, { name, persist, ports: null, child: null, log: '', base: '' });
  }

  /// Picks the ports once (a restart keeps its address).
  async ports_() {
    if (!this.ports) {
      this.ports = [await freePort(), await freePort()];
      this.base = `http://127.0.0.1:${this.ports[0]}`;
    }
    return this.ports;
  }

  /// Applies the D1 migrations to its state (wrangler's local D1).
  migrate() {
    const applied = spawnSync(WRANGLER, ['d1', 'migrations', 'apply', 'backboard', '--local', '--env', 'demo',
      '--persist-to', this.persist], { cwd: WORKER_DIR, env: ENV, encoding: 'utf8' });
    if (applied.status !== 0) throw new Error(applied.stdout + applied.stderr);
  }

  /// Starts it with `vars` (beside the simulator's provider bases) and waits for its health.
  async start(vars) {
    const [port, inspector] = await this.ports_();
    const all = {
      SERVERAVATAR_BASE: SIM + '/serveravatar',
      NORTHFLANK_BASE: SIM + '/northflank',
      MITTWALD_BASE: SIM + '/mittwald',
      UPSTREAM_TIMEOUT_MS: '5000',
      ...vars,
    };
    const args = ['dev', '--env', 'demo', '--local', '--ip', '127.0.0.1', '--port', String(port),
      '--inspector-port', String(inspector), '--persist-to', this.persist, '--test-scheduled',
      '--show-interactive-dev-session=false', '--log-level', 'warn'];
    for (const [k, v] of Object.entries(all)) args.push('--var', `${k}:${v}`);
    this.child = spawn(WRANGLER, args, { cwd: WORKER_DIR, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: ENV });
    this.child.stdout.on('data', (d) => { this.log += d; });
    this.child.stderr.on('data', (d) => { this.log += d; });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the ${this.name} worker exited:\n${this.log}`);
      try {
        if ((await fetch(this.base + '/api/v1/health')).ok) return;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`the ${this.name} worker did not start:\n${this.log}`);
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    this.child = null;
  }
}
