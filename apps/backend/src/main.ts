import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { configFromEnvironment, connect, fail, migrateOrFail } from './boot.ts';
import { drainAndClose } from './http/shutdown.ts';

const config = configFromEnvironment();
const database = await connect(config);
// Listening comes first, the migrations (and the wait for the database) after: see
// http/startup-gate.ts. Until they are done only the probes answer.
let migrated = () => {};
const started = new Promise<void>((resolve) => {
  migrated = resolve;
});
const app = await buildApp({ config, database, started });
if (config.auth.ephemeralSecret) {
  app.log.warn(
    'JWT_SECRET is not set: using a random secret, so sessions end when the process restarts',
  );
}

// On SIGTERM the server drains its kept-alive connections (http/shutdown.ts), then stops
// accepting and waits for in-flight requests before the pool closes: 5 s of drain and up to
// 10 s more for a slow request.
closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
  if (err) {
    app.log.error({ err }, 'shutting down after an uncaught error');
    await app.close();
  } else {
    app.log.info({ signal }, 'shutting down');
    await drainAndClose(app);
  }
  await database.close();
});

try {
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    fail(`Port ${config.port} is in use: stop the other process or set PORT.`);
  throw error;
}
if (config.migrateOnStart) await migrateOrFail(database, config);
migrated();
app.log.info(
  { database: database.kind, assistant: config.llm.provider },
  `backend ready on http://${config.host}:${config.port}`,
);
