/**
 * `npm run backup -- <file>`: one consistent backup of the whole system — app and engine data,
 * stored documents, the state folder's secrets — taken while it runs (docs/operations.md).
 */
import { createBackup } from '../src/backup/backup.ts';
import { runBackupCommand } from './support/backup-command.ts';
import { secretsFromEnvironment } from '../src/backup/database.ts';

await runBackupCommand('backup', async ({ file, config, databaseUrl }) => {
  const fromEnvironment = secretsFromEnvironment(config);
  const result = await createBackup({ databaseUrl, stateDir: config.STATE_DIR, file, secretsFromEnvironment: fromEnvironment });
  const rows = result.manifest.tables.reduce((n, t) => n + t.rows, 0);
  console.log(
    `备份完成：${result.file}\n  ${(result.bytes / 1048576).toFixed(1)} MB，${result.manifest.tables.length} 张表，${rows} 行，密钥 ${result.manifest.secrets.length} 个；` +
      `快照读取 ${(result.snapshotMs / 1000).toFixed(1)} 秒，共 ${(result.elapsedMs / 1000).toFixed(1)} 秒`,
  );
  if (fromEnvironment.length > 0) console.log(`注意：${fromEnvironment.join('、')} 来自环境变量，未写入备份；恢复后的系统须设置相同的值。`);
  console.log('备份文件含个人数据和密钥，请像保管密钥一样保管（权限 0600）。');
});
