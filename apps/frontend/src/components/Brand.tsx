import Link from 'next/link';
import styles from './Brand.module.css';

export function Brand({ href = '/' }: { href?: string }) {
  return (
    <Link href={href} className={styles.brand}>
      <span className={styles.mark} aria-hidden="true">
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path
            d="M5 12.5l4.5 4.5L19 7"
            fill="none"
            stroke="currentColor"
            strokeWidth="3"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </span>
      <span>
        Todo <span className="gradient-text">Chatbot</span>
      </span>
    </Link>
  );
}
