'use client';

import type { Conversation } from '../../lib/types';
import styles from './chat.module.css';

interface ConversationListProps {
  conversations: Conversation[] | null;
  activeId: number | null;
  onSelect: (id: number) => void;
}

function when(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString('en', { hour: 'numeric', minute: '2-digit' })
    : date.toLocaleDateString('en', { month: 'short', day: 'numeric' });
}

export function ConversationList({ conversations, activeId, onSelect }: ConversationListProps) {
  if (conversations === null) {
    return (
      <ul className={styles.conversations} aria-busy="true" aria-label="Loading conversations">
        {[0, 1, 2].map((n) => (
          <li key={n} className={`skeleton ${styles.conversationSkeleton}`} />
        ))}
      </ul>
    );
  }
  if (conversations.length === 0) {
    return <p className={styles.noConversations}>No conversations yet.</p>;
  }
  return (
    <ul className={styles.conversations} aria-label="Conversations">
      {conversations.map((conversation) => (
        <li key={conversation.id}>
          <button
            type="button"
            className={styles.conversation}
            aria-current={conversation.id === activeId ? 'true' : undefined}
            onClick={() => onSelect(conversation.id)}
          >
            <span className={styles.conversationTitle}>{conversation.title}</span>
            <span className={styles.conversationDate}>{when(conversation.updatedAt)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
