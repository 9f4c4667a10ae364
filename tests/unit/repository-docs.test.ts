import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';

describe('repository documents', () => {
  it('when docker-compose.yml is parsed, then it names every service the README promises', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8')) as { services: Record<string, { image?: string; build?: string }> };
    const readme = await readFile('README.md', 'utf8');
    const promised = /describes it: services ([\s\S]*?)\(scalable/.exec(readme)?.[1]?.match(/`([a-z-]+)`/g)?.map((s) => s.replaceAll('`', ''));
    expect(promised).toEqual(['postgres', 'camunda', 'exporter-build', 'mail-relay', 'app', 'workers']);
    for (const name of promised ?? []) {
      expect(compose.services[name], name).toBeDefined();
      expect(compose.services[name]!.image ?? compose.services[name]!.build, name).toBeTruthy();
    }
  });

  it('when the configuration schema has a key, then the README documents it', async () => {
    const readme = await readFile('README.md', 'utf8');
    const missing = Object.keys(configSchema.shape).filter((key) => !readme.includes(`| \`${key}\` |`));
    expect(missing).toEqual([]);
  });

  it('when the README starts, then its first two commands start the system and run the tests', async () => {
    const readme = await readFile('README.md', 'utf8');
    const block = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = block.split('\n').filter(Boolean).map((l) => l.replace(/#.*/, '').trim());
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });
});
