import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/authenticate.ts';
import type { TokenService } from '../auth/tokens.ts';
import { notFound } from '../http/errors.ts';
import { idParams } from '../http/ids.ts';
import {
  createTaskBody,
  listTasksQuery,
  type Task,
  taskPageSchema,
  taskSchema,
  updateTaskBody,
} from './task-schemas.ts';
import type { TaskService } from './task-service.ts';

const found = (task: Task | undefined) => {
  if (!task) throw notFound('Task');
  return task;
};

export const taskRoutes: FastifyPluginAsyncZod<{
  tasks: TaskService;
  tokens: TokenService;
}> = async (app, { tasks, tokens }) => {
  app.addHook('preHandler', requireUser(tokens));
  const tags = ['tasks'];

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'List tasks with filter, search, sort and pagination',
        querystring: listTasksQuery,
        response: { 200: taskPageSchema },
      },
    },
    async (request) => {
      const { q, ...rest } = request.query;
      return tasks.list(request.userId, { ...rest, search: q });
    },
  );

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Create a task',
        body: createTaskBody,
        response: { 201: taskSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tasks.create(request.userId, request.body)),
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get a task', params: idParams, response: { 200: taskSchema } } },
    async (request) => found(await tasks.get(request.userId, request.params.id)),
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change a task',
        params: idParams,
        body: updateTaskBody,
        response: { 200: taskSchema },
      },
    },
    async (request) => found(await tasks.update(request.userId, request.params.id, request.body)),
  );

  app.post(
    '/:id/toggle',
    {
      schema: {
        tags,
        summary: 'Toggle completion',
        params: idParams,
        response: { 200: taskSchema },
      },
    },
    async (request) => found(await tasks.toggle(request.userId, request.params.id)),
  );

  app.delete(
    '/:id',
    { schema: { tags, summary: 'Delete a task', params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      found(await tasks.remove(request.userId, request.params.id));
      return reply.status(204).send(null);
    },
  );
};
