'use client';

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../Icon';
import { ChatMessageView } from './ChatMessageView';
import { ConversationList } from './ConversationList';
import styles from './chat.module.css';
import { useChat } from './useChat';

const SUGGESTIONS = ['add buy milk tomorrow', "what's left?", 'complete 1'];

interface ChatPanelProps {
  /** docked: beside the task list, history behind a toggle; page: history as a sidebar. */
  variant: 'docked' | 'page';
  onTasksChanged?: () => void;
  /** Shown as a close button when the panel is a drawer on small screens. */
  onClose?: () => void;
}

export function ChatPanel({ variant, onTasksChanged, onClose }: ChatPanelProps) {
  const id = useId();
  const chat = useChat(onTasksChanged);
  const [draft, setDraft] = useState('');
  const [showHistory, setShowHistory] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const threadRef = useRef<HTMLOListElement>(null);

  const lastMessageId = chat.messages.at(-1)?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls when a message or the typing indicator appears
  useEffect(() => {
    const thread = threadRef.current;
    if (thread) thread.scrollTop = thread.scrollHeight;
  }, [lastMessageId, chat.sending]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || chat.sending) return;
    setDraft('');
    if (!(await chat.send(text))) setDraft(text);
    inputRef.current?.focus();
  }

  function openConversation(conversationId: number) {
    setShowHistory(false);
    void chat.select(conversationId);
  }

  function startNew() {
    setShowHistory(false);
    chat.startNew();
    inputRef.current?.focus();
  }

  return (
    <section
      className={`glass ${styles.panel}`}
      data-variant={variant}
      data-history={showHistory}
      aria-labelledby={`${id}-title`}
    >
      <header className={styles.header}>
        <h2 id={`${id}-title`} className={styles.title}>
          <span className={styles.pulse} aria-hidden="true" />
          Assistant
        </h2>
        <div className={styles.headerActions}>
          <button
            type="button"
            className={`btn btn-small ${styles.historyToggle}`}
            aria-expanded={showHistory}
            aria-controls={`${id}-history`}
            onClick={() => setShowHistory((shown) => !shown)}
          >
            History
          </button>
          <button type="button" className="btn btn-small" onClick={startNew}>
            New chat
          </button>
          {onClose && (
            <button
              type="button"
              className={`btn btn-small btn-icon ${styles.close}`}
              aria-label="Close the assistant"
              onClick={onClose}
            >
              ✕
            </button>
          )}
        </div>
      </header>

      <nav id={`${id}-history`} className={styles.history} aria-label="Conversation history">
        <ConversationList
          conversations={chat.conversations}
          activeId={chat.activeId}
          onSelect={openConversation}
        />
      </nav>

      <div className={styles.threadArea}>
        {chat.loadingThread ? (
          <div className={styles.threadLoading} role="status">
            <span className="spinner" aria-hidden="true" /> Loading conversation…
          </div>
        ) : chat.messages.length === 0 && !chat.sending ? (
          <div className={styles.welcome}>
            <p className={styles.welcomeTitle}>How can I help?</p>
            <p className={styles.welcomeText}>
              I can add, list, complete, rename and delete your tasks. Try:
            </p>
            <ul className={styles.suggestions}>
              {SUGGESTIONS.map((suggestion) => (
                <li key={suggestion}>
                  <button
                    type="button"
                    className={styles.suggestion}
                    onClick={() => {
                      setDraft(suggestion);
                      inputRef.current?.focus();
                    }}
                  >
                    {suggestion}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <ol ref={threadRef} className={styles.thread} aria-label="Messages" aria-live="polite">
            {chat.messages.map((message) => (
              <ChatMessageView key={message.id} message={message} />
            ))}
            {chat.sending && (
              <li className={styles.message} data-role="assistant">
                <p className={`${styles.bubble} ${styles.typing}`}>
                  <span className="visually-hidden">The assistant is thinking</span>
                  <span aria-hidden="true" />
                  <span aria-hidden="true" />
                  <span aria-hidden="true" />
                </p>
              </li>
            )}
          </ol>
        )}
      </div>

      {chat.error && (
        <p
          role="alert"
          className={`${chat.error.unreachable ? 'alert alert-warning' : 'alert'} ${styles.error}`}
        >
          {chat.error.unreachable
            ? 'The backend is unreachable right now; your message was not sent.'
            : chat.error.message}
        </p>
      )}

      <form className={styles.composer} onSubmit={submit}>
        <label className="visually-hidden" htmlFor={`${id}-message`}>
          Message the assistant
        </label>
        <input
          ref={inputRef}
          id={`${id}-message`}
          className="input"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="Ask or tell the assistant…"
          maxLength={4000}
          autoComplete="off"
        />
        <button
          type="submit"
          className="btn btn-primary btn-icon"
          disabled={chat.sending || !draft.trim()}
          aria-label="Send"
        >
          <Icon d="M4 12l16-8-6 16-2.5-6.5L4 12z" />
        </button>
      </form>
    </section>
  );
}
