import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../shared/logger.ts';

const run = promisify(execFile);

/**
 * Fetches, configures and supervises a local Camunda 8 engine (broker with embedded gateway) as a
 * plain Java child process. The distribution comes from Maven Central through Maven into a cache
 * folder once; the engine's state lives in its own folder so tests never touch a running demo.
 */

export interface EnginePorts {
  rest: number;
  grpc: number;
  management: number;
  internalBase: number;
}

export interface ReadModelDatabase {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

export interface LocalEngineOptions {
  version: string;
  cacheDir: string;
  stateDir: string;
  ports: EnginePorts;
  clockControlled: boolean;
  readModel: ReadModelDatabase;
  javaHome?: string;
  log: Logger;
}

export interface LocalEngine {
  pid: number;
  logFile: string;
  stop(): Promise<void>;
  /** Simulates a crash (tests only). */
  kill(): Promise<void>;
}

export class EngineSetupError extends Error {}

const MIN_JAVA = 21;

async function javaMajor(javaBin: string): Promise<number | undefined> {
  try {
    const { stderr } = await run(javaBin, ['-version']);
    const match = /version "(\d+)/.exec(stderr);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** JAVA_HOME when it is 21+, else the newest 21+ JDK under /usr/lib/jvm. */
export async function findJavaHome(preferred?: string): Promise<string> {
  const candidates = [preferred, process.env.JAVA_HOME].filter((c): c is string => Boolean(c));
  const jvmRoot = '/usr/lib/jvm';
  if (existsSync(jvmRoot)) {
    for (const entry of readdirSync(jvmRoot).sort().reverse()) candidates.push(path.join(jvmRoot, entry));
  }
  const seen: string[] = [];
  for (const home of candidates) {
    const bin = path.join(home, 'bin', 'java');
    if (!existsSync(bin) || !existsSync(path.join(home, 'bin', 'javac'))) continue;
    const major = await javaMajor(bin);
    seen.push(`${home} (${major ?? '?'})`);
    if (major !== undefined && major >= MIN_JAVA) return home;
  }
  throw new EngineSetupError(
    `Camunda needs a Java ${MIN_JAVA}+ JDK (java and javac). Found: ${seen.join(', ') || 'none'}. ` +
      `Install one (e.g. Temurin 25 under /usr/lib/jvm) or set JAVA_HOME.`,
  );
}

function distributionHome(cacheDir: string, version: string): string {
  return path.resolve(cacheDir, 'camunda', `camunda-zeebe-${version}`);
}

/** Downloads io.camunda:camunda-zeebe:<version>:tar.gz through Maven (progress visible) and unpacks it once. */
export async function ensureDistribution(cacheDir: string, version: string, log: Logger): Promise<string> {
  const home = distributionHome(cacheDir, version);
  if (existsSync(path.join(home, 'bin', 'broker'))) return home;
  const downloadDir = path.resolve(cacheDir, 'camunda');
  await mkdir(downloadDir, { recursive: true });
  const archive = path.join(downloadDir, `camunda-zeebe-${version}.tar.gz`);
  if (!existsSync(archive)) {
    log.info({ version }, 'fetching the Camunda distribution from Maven Central (once; about 300 MB)');
    await new Promise<void>((resolve, reject) => {
      const mvn = spawn(
        'mvn',
        [
          // Interactive mode shows Maven's download progress on a terminal; batch mode logs lines.
          ...(process.stdout.isTTY ? [] : ['-B']),
          'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
          `-Dartifact=io.camunda:camunda-zeebe:${version}:tar.gz`,
          `-DoutputDirectory=${downloadDir}`,
        ],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      mvn.on('error', (e) => reject(new EngineSetupError(`Maven (mvn) is needed to fetch Camunda: ${e.message}`)));
      mvn.on('exit', (code) =>
        code === 0 ? resolve() : reject(new EngineSetupError(`mvn could not fetch io.camunda:camunda-zeebe:${version}:tar.gz (exit ${code})`)),
      );
    });
  }
  log.info({ archive }, 'unpacking the Camunda distribution');
  await run('tar', ['-xzf', archive, '-C', downloadDir]);
  if (!existsSync(path.join(home, 'bin', 'broker'))) throw new EngineSetupError(`unexpected archive layout: ${home}/bin/broker missing`);
  return home;
}

/** Compiles the read-model exporter against the distribution's own jars; cached by source hash. */
export async function ensureExporterJar(distHome: string, cacheDir: string, javaHome: string): Promise<string> {
  const source = path.resolve(import.meta.dirname, 'exporter', 'ReadModelExporter.java');
  const code = await readFile(source);
  const hash = createHash('sha256').update(code).update(distHome).digest('hex').slice(0, 16);
  const outDir = path.resolve(cacheDir, 'camunda', `exporter-${hash}`);
  const jar = path.join(outDir, 'risk-loop-exporter.jar');
  if (existsSync(jar)) return jar;
  const classes = path.join(outDir, 'classes');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(classes, { recursive: true });
  await run(path.join(javaHome, 'bin', 'javac'), ['--release', '21', '-nowarn', '-cp', `${distHome}/lib/*`, '-d', classes, source]);
  await run(path.join(javaHome, 'bin', 'jar'), ['--create', '--file', jar, '-C', classes, '.']);
  return jar;
}

export async function isEngineReady(restAddress: string, managementPort?: number): Promise<boolean> {
  try {
    if (managementPort !== undefined) {
      const health = await fetch(`http://127.0.0.1:${managementPort}/actuator/health/readiness`, { signal: AbortSignal.timeout(2000) });
      if (!health.ok) return false;
    }
    const res = await fetch(`${restAddress}/v2/topology`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return false;
    const topology = (await res.json()) as { brokers?: { partitions?: { role: string; health: string }[] }[] };
    return Boolean(topology.brokers?.some((b) => b.partitions?.some((p) => p.role === 'leader' && p.health === 'healthy')));
  } catch {
    return false;
  }
}

function engineEnvironment(o: LocalEngineOptions, javaHome: string, exporterJar: string): NodeJS.ProcessEnv {
  const db = o.readModel;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    JAVA_HOME: javaHome,
    // Explicit heap: without it the JVM takes a quarter of the machine (QUALITY.md P7).
    JAVA_OPTS: '-Xms256m -Xmx1g -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow',
    CLASSPATH_PREFIX: exporterJar,
    SERVER_ADDRESS: '127.0.0.1',
    SERVER_PORT: String(o.ports.rest),
    MANAGEMENT_SERVER_ADDRESS: '127.0.0.1',
    MANAGEMENT_SERVER_PORT: String(o.ports.management),
    ZEEBE_BROKER_GATEWAY_ENABLE: 'true',
    ZEEBE_BROKER_GATEWAY_NETWORK_HOST: '127.0.0.1',
    ZEEBE_BROKER_GATEWAY_NETWORK_PORT: String(o.ports.grpc),
    ZEEBE_BROKER_NETWORK_HOST: '127.0.0.1',
    ZEEBE_BROKER_NETWORK_ADVERTISEDHOST: '127.0.0.1',
    ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT: String(o.ports.internalBase),
    ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT: String(o.ports.internalBase + 1),
    ZEEBE_BROKER_DATA_DIRECTORY: path.resolve(o.stateDir, 'data'),
    ZEEBE_BROKER_DATA_SNAPSHOTPERIOD: '5m',
    ZEEBE_BROKER_THREADS_CPUTHREADCOUNT: '1',
    ZEEBE_BROKER_THREADS_IOTHREADCOUNT: '1',
    ZEEBE_CLOCK_CONTROLLED: String(o.clockControlled),
    ZEEBE_BROKER_EXPORTERS_RISKLOOP_CLASSNAME: 'io.riskloop.exporter.ReadModelExporter',
    ZEEBE_BROKER_EXPORTERS_RISKLOOP_ARGS_URL: `jdbc:postgresql://${db.host}:${db.port}/${db.database}`,
    ZEEBE_BROKER_EXPORTERS_RISKLOOP_ARGS_USER: db.user,
    ZEEBE_BROKER_EXPORTERS_RISKLOOP_ARGS_PASSWORD: db.password,
  };
}

/** Starts the engine and waits until a partition leader is healthy. */
export async function startLocalEngine(o: LocalEngineOptions): Promise<LocalEngine> {
  const javaHome = await findJavaHome(o.javaHome);
  const distHome = await ensureDistribution(o.cacheDir, o.version, o.log);
  const exporterJar = await ensureExporterJar(distHome, o.cacheDir, javaHome);
  await mkdir(o.stateDir, { recursive: true });
  const logFile = path.resolve(o.stateDir, 'camunda.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(path.join(distHome, 'bin', 'broker'), [], {
    env: engineEnvironment(o, javaHome, exporterJar),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const pid = child.pid;
  if (pid === undefined) throw new EngineSetupError('could not start the Camunda broker process');
  await writeFile(path.resolve(o.stateDir, 'camunda.pid'), String(pid));
  o.log.info({ pid, logFile, ports: o.ports }, 'Camunda engine starting');

  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  // An engine outliving the process that started it (a crash, an uncaught error) would hold its
  // ports and state folder and make the next start fail: it goes when this process exits.
  const orphanGuard = () => void (exited || child.kill('SIGKILL'));
  process.once('exit', orphanGuard);
  void exit.then(() => process.off('exit', orphanGuard));
  const restAddress = `http://127.0.0.1:${o.ports.rest}`;
  const deadline = Date.now() + 180_000;
  while (!(await isEngineReady(restAddress, o.ports.management))) {
    if (exited) throw new EngineSetupError(`the Camunda engine exited during start; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new EngineSetupError(`the Camunda engine was not ready within 180 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  o.log.info({ pid, logFile }, 'Camunda engine ready');

  const waitExit = async (signal: NodeJS.Signals, graceMs: number) => {
    if (exited) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
    out.end();
  };
  return {
    pid,
    logFile,
    stop: () => waitExit('SIGTERM', 30_000),
    kill: () => waitExit('SIGKILL', 5_000),
  };
}
