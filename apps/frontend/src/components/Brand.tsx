import Link from 'next/link';
import styles from './Brand.module.css';
import { Icon } from './Icon';

export function Brand({ href = '/' }: { href?: string }) {
  return (
    <Link href={href} className={styles.brand}>
      <span className={styles.mark} aria-hidden="true">
        <Icon d="M5 12.5l4.5 4.5L19 7" size={16} strokeWidth={3} />
      </span>
      <span>
        Todo <span className="gradient-text">Chatbot</span>
      </span>
    </Link>
  );
}
