import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchPort, rssMb } from './support/bench-engine.ts';
import { median } from './support/stats.ts';

/**
 * Measures `npm start` (src/main/all.ts) to "ready": a cold start — empty state folder and empty
 * build cache, so Maven builds the engine application (src/engine/operaton) before anything else:
 * database initialised, engine tables created, diagrams deployed, demo seeded — and then WARM_RUNS
 * (default 3) warm starts on the same state and cache, the baseline. Prints seconds (with the
 * Maven build's share of the cold start) and the resident memory (VmRSS of /proc/<pid>/status)
 * of the app (Node), the engine (Operaton's JVM) and PostgreSQL, read 5 s after "ready".
 * Maven's repository (~/.m2) is assumed filled (the first ever build is network-bound).
 * Ports are bench ports (BENCH_PORT_OFFSET moves them), so a running demo or test run is not disturbed.
 *
 *   npm exec -- node bench/start.ts
 */
const WARM_RUNS = Number(process.env.WARM_RUNS ?? 3);
const ENV = {
  HTTP_PORT: String(benchPort(3900)),
  EMBEDDED_PG_PORT: String(benchPort(54344)),
  ENGINE_REST_ADDRESS: `http://127.0.0.1:${benchPort(8096)}`,
  ENGINE_MANAGED: 'true',
  ENGINE_CLOCK_CONTROLLED: 'false',
  MAIL_CATCHER_PORT: String(benchPort(2590)),
  // info: the launcher's "engine built" line carries the Maven build's duration.
  LOG_LEVEL: 'info',
};

async function childrenOf(): Promise<Map<number, number[]>> {
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
  return children;
}

/** RSS of a process and all its descendants, MB. */
async function treeRssMb(rootPid: number): Promise<number> {
  const children = await childrenOf();
  let mb = 0;
  const visit = async (pid: number) => {
    mb += await rssMb(pid);
    for (const child of children.get(pid) ?? []) await visit(child);
  };
  await visit(rootPid);
  return mb;
}

interface Start {
  seconds: number;
  buildSeconds: number;
  app: number;
  engine: number;
  postgres: number;
}

async function startOnce(stateDir: string, cacheDir: string): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, ['src/main/all.ts'], {
    env: { ...process.env, ...ENV, STATE_DIR: stateDir, CACHE_DIR: cacheDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buildSeconds = 0;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('is ready in')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${out.slice(-4000)}`)));
    child.on('close', () => {
      for (const line of out.split('\n')) {
        const ms = line.includes('"engine built"') ? /"ms":(\d+)/.exec(line)?.[1] : undefined;
        if (ms) buildSeconds = Number(ms) / 1000;
      }
    });
  });
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 5000)); // let the JVM settle before reading memory
  const enginePid = Number(await readFile(path.join(stateDir, 'engine', 'engine.pid'), 'utf8'));
  const [tree, app, engine] = await Promise.all([treeRssMb(child.pid!), rssMb(child.pid!), rssMb(enginePid)]);
  child.kill('SIGINT');
  await new Promise((r) => child.on('close', r));
  return { seconds, buildSeconds, app, engine, postgres: tree - app - engine };
}

const fmt = (s: Start) =>
  `${s.seconds.toFixed(1)} s; RSS app ${s.app.toFixed(0)} MB, engine ${s.engine.toFixed(0)} MB, PostgreSQL ${s.postgres.toFixed(0)} MB, total ${(s.app + s.engine + s.postgres).toFixed(0)} MB`;

const stateDir = await mkdtemp(path.join(tmpdir(), 'risk-loop-bench-'));
const cacheDir = await mkdtemp(path.join(tmpdir(), 'risk-loop-bench-cache-'));
await chmod(stateDir, 0o755); // PostgreSQL runs as the postgres user and must reach its folder
try {
  const cold = await startOnce(stateDir, cacheDir);
  console.log(`cold start (empty state and build cache): ${fmt(cold)}`);
  const warm: Start[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    warm.push(await startOnce(stateDir, cacheDir));
    console.log(`warm start ${i + 1}: ${fmt(warm.at(-1)!)}`);
  }
  const m = (key: keyof Start) => median(warm.map((w) => w[key]));
  console.log(`npm start to "ready" (src/main/all.ts, engine on Operaton, demo seed), baseline: warm start on the same state`);
  console.log(
    `  cold start: ${cold.seconds.toFixed(1)} s, of which the Maven build of the engine ${cold.buildSeconds.toFixed(1)} s → ×${(cold.seconds / m('seconds')).toFixed(1)} of a warm start (×${((cold.seconds - cold.buildSeconds) / m('seconds')).toFixed(1)} without the build)`,
  );
  console.log(
    `  warm start, median of ${WARM_RUNS}: ${m('seconds').toFixed(1)} s; RSS app ${m('app').toFixed(0)} MB, engine ${m('engine').toFixed(0)} MB, PostgreSQL ${m('postgres').toFixed(0)} MB, total ${(m('app') + m('engine') + m('postgres')).toFixed(0)} MB`,
  );
} finally {
  await rm(stateDir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
}
