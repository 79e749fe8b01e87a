import type { Metadata } from 'next';
import { ChatPanel } from '../../../components/chat/ChatPanel';
import styles from './assistant.module.css';

export const metadata: Metadata = { title: 'Assistant' };

export default function AssistantPage() {
  return (
    <div className={styles.page}>
      <ChatPanel variant="page" />
    </div>
  );
}
