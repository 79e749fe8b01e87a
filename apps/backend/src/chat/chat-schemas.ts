import { z } from 'zod';
import { messages } from '../db/schema.ts';
import { idSchema } from '../http/ids.ts';

// The API's answers are named components of the OpenAPI document (`.meta({ id })`), which the
// frontend's generated types (apps/frontend/src/lib/api-types.ts) call by these names.

export const toolActionSchema = z
  .object({
    tool: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    ok: z.boolean(),
    result: z.unknown(),
  })
  .meta({ id: 'ToolAction' });

export const chatMessageSchema = z
  .object({
    id: z.number().int(),
    role: z.enum(messages.role.enumValues),
    content: z.string(),
    actions: z.array(toolActionSchema),
    createdAt: z.string(),
  })
  .meta({ id: 'ChatMessage' });

export const conversationSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Conversation' });

export const conversationListSchema = z
  .object({ items: z.array(conversationSchema) })
  .meta({ id: 'ConversationList' });

export const conversationWithMessagesSchema = conversationSchema
  .extend({ messages: z.array(chatMessageSchema) })
  .meta({ id: 'ConversationWithMessages' });

export const chatBody = z.strictObject({
  message: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(4000, 'must be at most 4000 characters'),
  conversationId: idSchema.optional(),
});

export const chatReplySchema = z
  .object({
    conversationId: z.number().int(),
    reply: z.string(),
    actions: z.array(toolActionSchema),
    message: chatMessageSchema,
  })
  .meta({ id: 'ChatReply' });

export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationWithMessages = z.infer<typeof conversationWithMessagesSchema>;
export type ChatReply = z.infer<typeof chatReplySchema>;
