import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Measures `npm start` (src/main/all.ts) to "ready": a first start on an empty state folder
 * (database initialised, engine state created, diagrams deployed, demo seeded) and a second,
 * warm start on the same state; prints seconds and the resident memory of the process tree.
 * The Camunda download cache is assumed present (the first ever fetch is network-bound).
 * Ports are offset so a running demo is not disturbed.
 */
const ENV = {
  HTTP_PORT: '3900',
  EMBEDDED_PG_PORT: '54390',
  CAMUNDA_REST_ADDRESS: 'http://127.0.0.1:8190',
  CAMUNDA_GRPC_ADDRESS: 'grpc://127.0.0.1:26690',
  CAMUNDA_MANAGEMENT_PORT: '9690',
  CAMUNDA_INTERNAL_PORT_BASE: '26691',
  MAIL_CATCHER_PORT: '2590',
  LOG_LEVEL: 'warn',
};

async function treeRssMb(rootPid: number): Promise<number> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* process ended */
    }
  }
  let kb = 0;
  const visit = async (pid: number) => {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      /* process ended */
    }
    for (const child of children.get(pid) ?? []) await visit(child);
  };
  await visit(rootPid);
  return kb / 1024;
}

async function startOnce(stateDir: string): Promise<{ seconds: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['src/main/all.ts'], {
    env: { ...process.env, ...ENV, STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('is ready in')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${out}`)));
  });
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 5000)); // let the JVM settle before reading memory
  const rssMb = await treeRssMb(child.pid!);
  child.kill('SIGINT');
  await new Promise((r) => child.on('exit', r));
  return { seconds, rssMb };
}

const stateDir = await mkdtemp(path.join(tmpdir(), 'risk-loop-bench-'));
await chmod(stateDir, 0o755); // PostgreSQL runs as the postgres user and must reach its folder
try {
  const first = await startOnce(stateDir);
  const warm = [await startOnce(stateDir), await startOnce(stateDir), await startOnce(stateDir)];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`first start (empty state): ${first.seconds.toFixed(1)} s, RSS app+PostgreSQL+engine ${first.rssMb.toFixed(0)} MB`);
  console.log(
    `warm start (same state), median of 3: ${median(warm.map((w) => w.seconds)).toFixed(1)} s, RSS ${median(warm.map((w) => w.rssMb)).toFixed(0)} MB`,
  );
} finally {
  await rm(stateDir, { recursive: true, force: true });
}
