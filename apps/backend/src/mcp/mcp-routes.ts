import type { FastifyInstance } from 'fastify';
import type { TokenService } from '../auth/tokens.ts';
import type { TaskService } from '../tasks/task-service.ts';

export async function mcpRoutes(_app: FastifyInstance, _opts: { tasks: TaskService; tokens: TokenService }) {}
