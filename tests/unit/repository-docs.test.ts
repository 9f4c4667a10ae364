import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';

interface Service {
  image?: string;
  deploy?: { replicas?: number };
  build?: string | { context: string; dockerfile?: string };
  environment?: Record<string, string>;
}

describe('repository documents', () => {
  it('when docker-compose.yml is parsed, then it names every service the README promises', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8')) as { services: Record<string, Service> };
    const readme = await readFile('README.md', 'utf8');
    const promised = /describes it: services ([\s\S]*?)\(scalable/.exec(readme)?.[1]?.match(/`([a-z-]+)`/g)?.map((s) => s.replaceAll('`', ''));
    expect(promised).toEqual(['postgres', 'engine', 'mail-relay', 'app', 'workers']);
    expect(Object.keys(compose.services).sort()).toEqual([...(promised ?? [])].sort());
    for (const name of promised ?? []) {
      expect(compose.services[name], name).toBeDefined();
      expect(compose.services[name]!.image ?? compose.services[name]!.build, name).toBeTruthy();
    }
  });

  it('when the compose engine is built, then it is our engine application with a Dockerfile beside its pom', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8')) as { services: Record<string, Service> };
    const build = compose.services.engine?.build;
    expect(typeof build === 'object' ? build.context : build).toBe('./src/engine/operaton');
    const dockerfile = path.join('src/engine/operaton', (typeof build === 'object' && build.dockerfile) || 'Dockerfile');
    expect(existsSync(dockerfile), dockerfile).toBe(true);
    expect(existsSync('src/engine/operaton/pom.xml')).toBe(true);
    // The engine itself refuses the test clock in production (ClockSafetyListener).
    expect(compose.services.engine?.environment).toMatchObject({ RISKLOOP_PRODUCTION: 'true' });
    // Two engine nodes share the load; the workers scale on their own.
    expect(compose.services.engine?.deploy?.replicas).toBe(2);
    expect(compose.services.workers?.deploy?.replicas).toBeGreaterThanOrEqual(2);
    // The engine's service account and the app's and workers' engine password are one secret.
    const secret = compose.services.engine?.environment?.RISKLOOP_SERVICE_ACCOUNT_PASSWORD;
    expect(secret).toMatch(/^\$\{ENGINE_SERVICE_PASSWORD:\?/);
    for (const name of ['app', 'workers']) expect(compose.services[name]?.environment?.ENGINE_SERVICE_PASSWORD, name).toBe(secret);
  });

  it('when app and workers are configured in docker-compose.yml, then every key is a configuration key and the engine is remote', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8')) as { services: Record<string, Service> };
    const known = new Set(Object.keys(configSchema.shape));
    for (const name of ['app', 'workers']) {
      const env = compose.services[name]?.environment ?? {};
      expect(Object.keys(env).filter((key) => !known.has(key)), name).toEqual([]);
      expect(env, name).toMatchObject({ ENGINE_MANAGED: 'false', ENGINE_REST_ADDRESS: 'http://engine:8080', NODE_ENV: 'production' });
    }
  });

  it('when the configuration schema has a key, then the README documents it, and documents no other', async () => {
    const readme = await readFile('README.md', 'utf8');
    const keys = Object.keys(configSchema.shape);
    const missing = keys.filter((key) => !readme.includes(`| \`${key}\` |`));
    expect(missing).toEqual([]);
    const table = readme.slice(readme.indexOf('| Variable | Default | Meaning |'));
    const documented = [...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(keys);
  });

  it('when the README starts, then its first two commands start the system and run the tests', async () => {
    const readme = await readFile('README.md', 'utf8');
    const block = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = block.split('\n').filter(Boolean).map((l) => l.replace(/#.*/, '').trim());
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });
});
