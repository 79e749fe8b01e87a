import { describeAction } from '../../lib/chat';
import type { ChatMessage } from '../../lib/types';
import styles from './chat.module.css';

export function ChatMessageView({ message }: { message: ChatMessage }) {
  return (
    <li className={styles.message} data-role={message.role}>
      <span className="visually-hidden">{message.role === 'user' ? 'You:' : 'Assistant:'}</span>
      <p className={styles.bubble}>{message.content}</p>
      {message.actions.length > 0 && (
        <ul className={styles.actions} aria-label="Actions the assistant took">
          {message.actions.map((action, index) => (
            <li
              // Actions have no id and never change once stored.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={index}
              className={styles.action}
              data-ok={action.ok}
            >
              <span aria-hidden="true">{action.ok ? '✓' : '!'}</span>
              {describeAction(action)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
