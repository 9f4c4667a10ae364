import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../shared/logger.ts';
import { ENGINE_ADMIN_USER, SERVICE_ACCOUNT } from './client.ts';

const run = promisify(execFile);

/**
 * Builds, configures and supervises the local Operaton engine (src/engine/operaton, a small Spring
 * Boot application) as a plain Java child process. Maven builds the fat jar once per source state
 * into a cache folder; the engine keeps its tables in schema `operaton` of the app's PostgreSQL
 * database, and its log in the state folder.
 */

export interface EngineDatabase {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

export interface LocalEngineOptions {
  cacheDir: string;
  stateDir: string;
  /** HTTP port of the engine (REST under /engine-rest, webapps under /operaton); bound to 127.0.0.1. */
  port: number;
  clockControlled: boolean;
  /** The engine refuses a test clock in production (a second line behind the app's configuration check). */
  production: boolean;
  database: EngineDatabase;
  /**
   * Password of the engine's `admin` user. Operaton creates that user only when it is missing, so
   * the password must stay the same across starts (src/main/runtime.ts keeps a generated one).
   */
  adminPassword: string;
  /** Password of the app's service account (`SERVICE_ACCOUNT`), set by the engine at every start. */
  servicePassword: string;
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

/** Operaton 1.0 runs on Java 17; the jar is compiled for release 17 (pom.xml). */
const MIN_JAVA = 17;
/** Schema of the app's database that holds the engine's tables (application.yaml says the same). */
export const ENGINE_SCHEMA = 'operaton';
const SOURCE_DIR = path.resolve(import.meta.dirname, 'operaton');
const JAR_NAME = 'risk-loop-engine.jar';
const READY_TIMEOUT_MS = 180_000;

async function javaMajor(javaBin: string): Promise<number | undefined> {
  try {
    const { stderr } = await run(javaBin, ['-version']);
    const match = /version "(\d+)/.exec(stderr);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** JAVA_HOME when it is 17+, else the newest 17+ JDK under /usr/lib/jvm. */
export async function findJavaHome(preferred?: string): Promise<string> {
  const candidates = [preferred, process.env.JAVA_HOME].filter((c): c is string => Boolean(c));
  const jvmRoot = '/usr/lib/jvm';
  if (existsSync(jvmRoot)) {
    for (const entry of readdirSync(jvmRoot).sort().reverse()) candidates.push(path.join(jvmRoot, entry));
  }
  const seen: string[] = [];
  for (const home of candidates) {
    const bin = path.join(home, 'bin', 'java');
    // javac too: Maven compiles the engine application with this JDK.
    if (!existsSync(bin) || !existsSync(path.join(home, 'bin', 'javac'))) continue;
    const major = await javaMajor(bin);
    seen.push(`${home} (${major ?? '?'})`);
    if (major !== undefined && major >= MIN_JAVA) return home;
  }
  throw new EngineSetupError(
    `The engine needs a Java ${MIN_JAVA}+ JDK (java and javac). Found: ${seen.join(', ') || 'none'}. ` +
      `Install one (e.g. openjdk-17-jdk-headless) or set JAVA_HOME.`,
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(SOURCE_DIR, path.join(e.parentPath, e.name)))
    .sort();
}

/** Hash of pom.xml and src/**: the jar is rebuilt exactly when the engine application changed. */
async function engineSourceHash(): Promise<string> {
  const files = ['pom.xml', ...(await listFiles(path.join(SOURCE_DIR, 'src')))];
  const hash = createHash('sha256');
  for (const file of files) {
    // Path and length framing: moving bytes between files must change the hash.
    const content = await readFile(path.join(SOURCE_DIR, file));
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex').slice(0, 16);
}

async function runMaven(cwd: string, javaHome: string): Promise<void> {
  const major = await javaMajor(path.join(javaHome, 'bin', 'java'));
  const mavenOpts = [
    process.env.MAVEN_OPTS,
    // Maven 3.8's Jansi writes colour resets even with -Dstyle.color=never.
    '-Djansi.noreset=true',
    // Maven 3.8's bundled Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every build;
    // older JDKs reject the flag, so it is added only where it exists.
    major !== undefined && major >= 23 ? '--sun-misc-unsafe-memory-access=allow' : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const args = [
    // No ANSI colours and no interactive progress bar: the output lands in logs and CI too.
    '-B',
    '-Dstyle.color=never',
    // Quiet (errors only) unless a person watches a terminal.
    ...(process.stdout.isTTY ? [] : ['-q']),
    '-DskipTests',
    'package',
  ];
  return new Promise<void>((resolve, reject) => {
    const mvn = spawn('mvn', args, {
      cwd,
      env: { ...process.env, JAVA_HOME: javaHome, MAVEN_OPTS: mavenOpts },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    mvn.on('error', (e) => reject(new EngineSetupError(`Maven (mvn) is needed to build the engine: ${e.message}`)));
    mvn.on('exit', (code) =>
      code === 0 ? resolve() : reject(new EngineSetupError(`mvn could not build the engine application in ${cwd} (exit ${code}); see the Maven output above`)),
    );
  });
}

/**
 * Returns the engine jar for the current sources, building it with Maven when the sources changed.
 * The build runs on a copy in the cache so the work tree gets no target/ folder and two processes
 * building at once do not share one.
 */
export async function ensureEngineJar(cacheDir: string, javaHome: string, log: Logger): Promise<string> {
  const hash = await engineSourceHash();
  const engineCache = path.resolve(cacheDir, 'engine');
  const jar = path.join(engineCache, hash, JAR_NAME);
  if (existsSync(jar)) return jar;

  const started = Date.now();
  log.info({ hash }, 'building the engine with Maven (once per source change: ~10 s, about a minute when Maven must download first)');
  const buildDir = path.join(engineCache, `build-${hash}-${process.pid}`);
  await rm(buildDir, { recursive: true, force: true });
  await mkdir(buildDir, { recursive: true });
  try {
    await copyFile(path.join(SOURCE_DIR, 'pom.xml'), path.join(buildDir, 'pom.xml'));
    await cp(path.join(SOURCE_DIR, 'src'), path.join(buildDir, 'src'), { recursive: true });
    await runMaven(buildDir, javaHome);
    await mkdir(path.dirname(jar), { recursive: true });
    // Copy then rename: a concurrent reader sees no jar or a whole one.
    const partial = `${jar}.${process.pid}.partial`;
    await copyFile(path.join(buildDir, 'target', JAR_NAME), partial);
    await rename(partial, jar);
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
  // Jars of older sources stay: an engine still running from one reopens it by path (Spring Boot's
  // nested jars), and fails every request once it is gone. `npm run reset` does not clear the cache.
  log.info({ jar, ms: Date.now() - started }, 'engine built');
  return jar;
}

/**
 * True when the engine's REST API answers; restAddress without path, e.g. http://127.0.0.1:8080.
 * The engine list is the one resource the REST authentication leaves open.
 */
export async function isEngineReady(restAddress: string): Promise<boolean> {
  try {
    const res = await fetch(`${restAddress.replace(/\/+$/, '')}/engine-rest/engine`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** The engine's own schema in the app's database; Operaton creates its tables there itself. */
async function ensureEngineSchema(db: EngineDatabase): Promise<void> {
  const client = new pg.Client({ host: db.host, port: db.port, database: db.database, user: db.user, password: db.password });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ENGINE_SCHEMA}`);
  } finally {
    await client.end();
  }
}

function jdbcUrl(db: EngineDatabase): string {
  return `jdbc:postgresql://${db.host}:${db.port}/${encodeURIComponent(db.database)}?currentSchema=${ENGINE_SCHEMA}`;
}

/**
 * Configuration by environment (Spring relaxed binding of application.yaml keys): secrets stay out
 * of the process list, and nothing of the parent's environment leaks in beyond what is named here.
 */
function engineEnvironment(o: LocalEngineOptions, javaHome: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    JAVA_HOME: javaHome,
    SERVER_ADDRESS: '127.0.0.1',
    SERVER_PORT: String(o.port),
    SPRING_DATASOURCE_URL: jdbcUrl(o.database),
    SPRING_DATASOURCE_USERNAME: o.database.user,
    SPRING_DATASOURCE_PASSWORD: o.database.password,
    RISKLOOP_CLOCK_CONTROLLED: String(o.clockControlled),
    // Lets the engine itself refuse a test clock in production (second line behind the app's config check).
    RISKLOOP_PRODUCTION: String(o.production),
    // The engine exits by itself when this process is gone (a SIGKILL leaves no chance to stop it).
    RISKLOOP_PARENT_PID: String(process.pid),
    RISKLOOP_ENGINE_ADMIN_USER: ENGINE_ADMIN_USER,
    RISKLOOP_ENGINE_ADMIN_PASSWORD: o.adminPassword,
    RISKLOOP_SERVICE_ACCOUNT_ID: SERVICE_ACCOUNT,
    RISKLOOP_SERVICE_ACCOUNT_PASSWORD: o.servicePassword,
  };
}

/** Builds (if needed) and starts the engine, and waits until its REST API answers. */
export async function startLocalEngine(o: LocalEngineOptions): Promise<LocalEngine> {
  // Another engine on the port (an orphan of a killed run) would answer our readiness check while
  // ours fails to bind: refuse instead of talking to the wrong engine and database.
  if (await isEngineReady(`http://127.0.0.1:${o.port}`)) {
    throw new EngineSetupError(`an engine already answers on port ${o.port}; stop it (or choose another port) before starting one here`);
  }
  const javaHome = await findJavaHome(o.javaHome);
  const jar = await ensureEngineJar(o.cacheDir, javaHome, o.log);
  await mkdir(o.stateDir, { recursive: true });
  await ensureEngineSchema(o.database);
  const logFile = path.resolve(o.stateDir, 'engine.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const javaArgs = [
    // Explicit heap: without it the JVM takes a quarter of the machine (QUALITY.md P7).
    '-Xms128m',
    '-Xmx768m',
    '-XX:+UseSerialGC',
    // Due dates, working days and history timestamps are the county's local time.
    '-Duser.timezone=Asia/Shanghai',
    '-Dfile.encoding=UTF-8',
    '-jar',
    jar,
  ];
  const started = Date.now();
  const child: ChildProcess = spawn(path.join(javaHome, 'bin', 'java'), javaArgs, {
    env: engineEnvironment(o, javaHome),
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: the terminal's Ctrl-C reaches the app alone, which stops the
    // engine while its database still runs (stopped together, the engine's shutdown hung).
    detached: true,
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const pid = child.pid;
  if (pid === undefined) throw new EngineSetupError('could not start the engine process');
  await writeFile(path.resolve(o.stateDir, 'engine.pid'), String(pid));
  o.log.info({ pid, logFile, port: o.port, clockControlled: o.clockControlled }, 'engine starting');

  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  // An engine outliving the process that started it (a crash, an uncaught error) would hold its
  // port and database connections and make the next start fail: it goes when this process exits.
  const orphanGuard = () => void (exited || child.kill('SIGKILL'));
  process.once('exit', orphanGuard);
  void exit.then(() => process.off('exit', orphanGuard));
  const restAddress = `http://127.0.0.1:${o.port}`;
  const deadline = started + READY_TIMEOUT_MS;
  while (!(await isEngineReady(restAddress))) {
    if (exited) throw new EngineSetupError(`the engine exited during start; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new EngineSetupError(`the engine was not ready within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  o.log.info({ pid, logFile, ms: Date.now() - started, restAddress }, 'engine ready');

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
