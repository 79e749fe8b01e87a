'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, api } from '../../lib/api';
import { changesTasks } from '../../lib/chat';
import type {
  ChatMessage,
  ChatReply,
  Conversation,
  ConversationWithMessages,
} from '../../lib/types';
import { useApiError } from '../../lib/useApiError';

export interface Chat {
  conversations: Conversation[] | null;
  activeId: number | null;
  messages: ChatMessage[];
  loadingThread: boolean;
  sending: boolean;
  error: ApiError | null;
  select: (id: number) => Promise<void>;
  startNew: () => void;
  /** Resolves to whether the message was delivered, so the composer knows to keep the draft. */
  send: (text: string) => Promise<boolean>;
}

// The assistant's message arrives with its server id; the user's own is shown before it is
// stored, under a temporary id that cannot collide with a real (positive) one.
let nextLocalId = -1;

export function useChat(onTasksChanged?: () => void): Chat {
  const [conversations, setConversations] = useState<Conversation[] | null>(null);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loadingThread, setLoadingThread] = useState(false);
  const [sending, setSending] = useState(false);
  const { error, setError, fail } = useApiError();
  const selected = useRef<number | null>(null);

  const loadConversations = useCallback(async () => {
    try {
      const { items } = await api<{ items: Conversation[] }>('/conversations');
      setConversations(items);
    } catch (caught) {
      setConversations((current) => current ?? []);
      fail(caught);
    }
  }, [fail]);

  useEffect(() => {
    void loadConversations();
  }, [loadConversations]);

  const select = useCallback(
    async (id: number) => {
      selected.current = id;
      setActiveId(id);
      setLoadingThread(true);
      setError(null);
      try {
        const conversation = await api<ConversationWithMessages>(`/conversations/${id}`);
        if (selected.current === id) setMessages(conversation.messages);
      } catch (caught) {
        if (selected.current === id) fail(caught);
      } finally {
        if (selected.current === id) setLoadingThread(false);
      }
    },
    [fail, setError],
  );

  const startNew = useCallback(() => {
    selected.current = null;
    setActiveId(null);
    setMessages([]);
    setError(null);
  }, [setError]);

  const send = useCallback(
    async (text: string) => {
      const mine: ChatMessage = {
        id: nextLocalId--,
        role: 'user',
        content: text,
        actions: [],
        createdAt: new Date().toISOString(),
      };
      const conversationId = selected.current;
      setMessages((current) => [...current, mine]);
      setSending(true);
      setError(null);
      try {
        const reply = await api<ChatReply>('/chat', 'POST', {
          message: text,
          ...(conversationId !== null && { conversationId }),
        });
        selected.current = reply.conversationId;
        setActiveId(reply.conversationId);
        setMessages((current) => [...current, reply.message]);
        if (changesTasks(reply.actions)) onTasksChanged?.();
        void loadConversations();
        return true;
      } catch (caught) {
        setMessages((current) => current.filter((m) => m.id !== mine.id));
        fail(caught);
        return false;
      } finally {
        setSending(false);
      }
    },
    [fail, loadConversations, onTasksChanged, setError],
  );

  return {
    conversations,
    activeId,
    messages,
    loadingThread,
    sending,
    error,
    select,
    startNew,
    send,
  };
}
