/**
 * `npm run restore -- <file>`: a backup (`npm run backup`) into an empty database and state
 * folder; then `npm start` goes on where the backup was taken (docs/operations.md).
 */
import { runBackupCommand } from './support/backup-command.ts';
import { restoreBackup } from '../src/backup/restore.ts';

await runBackupCommand('restore', async ({ file, config, databaseUrl }) => {
  const result = await restoreBackup({ databaseUrl, stateDir: config.STATE_DIR, file });
  console.log(
    `恢复完成：${result.tables} 张表，${result.rows} 行，密钥 ${result.secretsWritten.length} 个（${config.STATE_DIR}/secrets），用时 ${(result.elapsedMs / 1000).toFixed(1)} 秒。` +
      `\n备份时间 ${result.manifest.createdAt}。执行 npm start 即从备份时的状态继续。`,
  );
  if (result.manifest.secretsFromEnvironment.length > 0) {
    console.log(`注意：备份时 ${result.manifest.secretsFromEnvironment.join('、')} 来自环境变量，请以相同的值设置后再启动。`);
  }
});
