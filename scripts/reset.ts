import { rm } from 'node:fs/promises';
import { loadConfig } from '../src/config/load-config.ts';

/** `npm run reset`: wipes the demo's database, engine state and generated secrets (keeps the download cache). */
const config = loadConfig();
await rm(config.STATE_DIR, { recursive: true, force: true });
console.log(`removed ${config.STATE_DIR}; the next \`npm start\` begins from an empty system`);
