import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { logFormat } from '../../src/shared/logger.ts';

/** Runs a process that logs one line, in a terminal of its own (script(1)) or into a pipe. */
function logOneLine(o: { terminal: boolean; nodeEnv: string }): string {
  const probe = `import { createLogger } from ${JSON.stringify(path.resolve('src/shared/logger.ts'))}; createLogger("info", "probe").info({ port: 3000 }, "web app ready");`;
  const env = { ...process.env, NODE_ENV: o.nodeEnv };
  const result = o.terminal
    ? spawnSync('script', ['-qec', `${process.execPath} --input-type=module -e '${probe}'`, '/dev/null'], { env, encoding: 'utf8' })
    : spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8' });
  expect(result.status).toBe(0);
  // Colours and the terminal's carriage returns aside.
  return stripVTControlCharacters(result.stdout).replaceAll('\r', '');
}

describe('logger', () => {
  it('when the run mode and the output vary, then a terminal in development gets pretty lines and everything else JSON', () => {
    expect([
      logFormat({ nodeEnv: 'development', isTTY: true }),
      logFormat({ nodeEnv: undefined, isTTY: true }),
      logFormat({ nodeEnv: 'test', isTTY: true }),
      logFormat({ nodeEnv: 'development', isTTY: false }),
      logFormat({ nodeEnv: 'development', isTTY: undefined }),
      logFormat({ nodeEnv: 'production', isTTY: true }),
      logFormat({ nodeEnv: 'production', isTTY: false }),
    ]).toEqual(['pretty', 'pretty', 'pretty', 'json', 'json', 'json', 'json']);
  });

  it('when a person starts it in a terminal in development, then the log reads as time, level, name and message', () => {
    expect(logOneLine({ terminal: true, nodeEnv: 'development' })).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(probe\): web app ready\n {4}port: 3000\n$/);
  });

  it('when it runs in production, even in a terminal, or writes into a pipe, then each line is one JSON record', () => {
    for (const run of [
      { terminal: true, nodeEnv: 'production' },
      { terminal: false, nodeEnv: 'development' },
    ]) {
      const lines = logOneLine(run).trimEnd().split('\n');
      expect(lines, JSON.stringify(run)).toHaveLength(1);
      expect(JSON.parse(lines[0]!), JSON.stringify(run)).toMatchObject({ level: 30, name: 'probe', port: 3000, msg: 'web app ready' });
    }
  });
});
