import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { authRoutes } from './auth/auth-routes.ts';
import { PasswordHasher } from './auth/password.ts';
import { databaseRevocations } from './auth/revocations.ts';
import { createTokenService } from './auth/tokens.ts';
import { UserService } from './auth/user-service.ts';
import type { Agent } from './chat/agent.ts';
import { chatRoutes } from './chat/chat-routes.ts';
import { ChatService } from './chat/chat-service.ts';
import { createAgent } from './chat/create-agent.ts';
import type { Config } from './config/config.ts';
import type { Database } from './db/database.ts';
import { healthRoutes } from './health/health-routes.ts';
import { frameworkErrors, registerErrorHandling } from './http/error-handler.ts';
import { registerErrorResponses } from './http/error-responses.ts';
import { namedSchemas } from './http/openapi-schemas.ts';
import { databaseRateLimitStore } from './http/rate-limit-store.ts';
import { KEEP_ALIVE_TIMEOUT_MS } from './http/shutdown.ts';
import { registerStartupGate } from './http/startup-gate.ts';
import { registerTextGuard } from './http/text-guard.ts';
import { trustedProxies } from './http/trusted-proxies.ts';
import { mcpRoutes } from './mcp/mcp-routes.ts';
import { taskRoutes } from './tasks/task-routes.ts';
import { TaskService } from './tasks/task-service.ts';

export interface AppOptions {
  config: Config;
  database: Database;
  /** Replaces the agent chosen by config.llm; tests use it to inject failing agents. */
  agent?: Agent;
  logger?: FastifyServerOptions['logger'];
  /** Settles when start-up work (migrations) is done; until then only the probes answer. */
  started?: Promise<unknown>;
}

export const BODY_LIMIT = 1024 * 1024;

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustedProxies(config.trustProxyHops),
    frameworkErrors,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('draining', false);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Answers are JSON: never to be sniffed into something a browser would run.
    reply.header('x-content-type-options', 'nosniff');
    // Draining or closing: the client must not send on this connection again (shutdown.ts).
    if (app.draining || !app.server.listening) reply.header('connection', 'close');
  });
  registerErrorHandling(app);
  registerErrorResponses(app);
  registerTextGuard(app);
  if (options.started) registerStartupGate(app, options.started);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Todo Chatbot API',
        version: '1.0.0',
        description: 'Accounts, tasks and an assistant whose tools manage tasks.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: namedSchemas,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(database.db) });

  const tokens = createTokenService(
    config.auth.jwtSecret,
    config.auth.sessionTtlSeconds,
    databaseRevocations(database.db),
  );
  const users = new UserService(database.db, new PasswordHasher(config.auth.passwordHashing));
  const tasks = new TaskService(database.db);
  const agent = options.agent ?? createAgent(config.llm);
  const chat = new ChatService({
    db: database.db,
    tasks,
    agent,
    timeoutMs: config.llm.timeoutMs,
    logError: (err) => app.log.error({ err }, 'assistant failed'),
  });

  await app.register(healthRoutes, { database, started: options.started });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(authRoutes, { prefix: '/api/auth', users, tokens, auth: config.auth });
  await app.register(taskRoutes, { prefix: '/api/tasks', tasks, tokens });
  await app.register(chatRoutes, { prefix: '/api', chat, tokens });
  await app.register(mcpRoutes, { prefix: '/mcp', tasks, tokens });
  return app;
}
