import { configFromEnvironment, connect, migrateOrFail } from './boot.ts';

const started = Date.now();
const config = configFromEnvironment();
const database = await connect(config);
await migrateOrFail(database, config);
await database.close();
process.stdout.write(
  `${JSON.stringify({ level: 'info', msg: 'migrations applied', database: database.kind, ms: Date.now() - started })}\n`,
);
