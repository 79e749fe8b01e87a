import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../auth/authenticate.ts';
import type { TokenService } from '../auth/tokens.ts';
import { notFound } from '../http/errors.ts';
import { idParams } from '../http/ids.ts';
import {
  chatBody,
  chatReplySchema,
  conversationListSchema,
  conversationWithMessagesSchema,
} from './chat-schemas.ts';
import type { ChatService } from './chat-service.ts';

export const chatRoutes: FastifyPluginAsyncZod<{
  chat: ChatService;
  tokens: TokenService;
}> = async (app, { chat, tokens }) => {
  app.addHook('preHandler', requireUser(tokens));
  const tags = ['assistant'];

  app.post(
    '/chat',
    {
      schema: {
        tags,
        summary: 'Send a message to the assistant',
        description:
          'Starts a conversation when conversationId is omitted. The reply lists the task actions the assistant took.',
        body: chatBody,
        response: { 200: chatReplySchema },
      },
    },
    async (request) => {
      const result = await chat.send(
        request.userId,
        request.body.message,
        request.body.conversationId,
      );
      if (!result) throw notFound('Conversation');
      return result;
    },
  );

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'List conversations, newest first',
        response: { 200: conversationListSchema },
      },
    },
    async (request) => ({ items: await chat.listConversations(request.userId) }),
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'A conversation with its messages',
        params: idParams,
        response: { 200: conversationWithMessagesSchema },
      },
    },
    async (request) => {
      const conversation = await chat.getConversation(request.userId, request.params.id);
      if (!conversation) throw notFound('Conversation');
      return conversation;
    },
  );

  app.delete(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Delete a conversation',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      if (!(await chat.deleteConversation(request.userId, request.params.id)))
        throw notFound('Conversation');
      return reply.status(204).send(null);
    },
  );
};
