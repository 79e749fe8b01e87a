import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { configFromEnvironment, connect, fail, migrateOrFail } from './boot.ts';

const config = configFromEnvironment();
const database = await connect(config);
if (config.migrateOnStart) await migrateOrFail(database, config);

const app = await buildApp({ config, database });
if (config.auth.ephemeralSecret) {
  app.log.warn(
    'JWT_SECRET is not set: using a random secret, so sessions end when the process restarts',
  );
}

// On SIGTERM Fastify stops accepting connections, answers 503 to requests on kept-alive
// sockets and waits for in-flight requests before the pool closes.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an uncaught error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
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
app.log.info(
  { database: database.kind, assistant: config.llm.provider },
  `backend ready on http://${config.host}:${config.port}`,
);
