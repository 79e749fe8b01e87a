import Link from 'next/link';
import { Brand } from '../components/Brand';
import styles from './landing.module.css';

const FEATURES = [
  {
    title: 'Everything in its place',
    text: 'Priorities, due dates, search, filters and sorting that keep a long list calm.',
  },
  {
    title: 'An assistant that acts',
    text: 'Say “add buy milk tomorrow” or “complete 3” and watch the list change as it works.',
  },
  {
    title: 'Yours alone',
    text: 'Every account sees only its own tasks and conversations, on any device.',
  },
];

export default function LandingPage() {
  return (
    <div className={styles.page}>
      <header className={styles.nav}>
        <Brand />
        <nav aria-label="Account" className={styles.navLinks}>
          <Link href="/login" className="btn btn-quiet">
            Log in
          </Link>
          <Link href="/signup" className="btn btn-primary">
            Sign up
          </Link>
        </nav>
      </header>

      <main className={styles.main}>
        <section className={styles.hero} aria-labelledby="hero-title">
          <p className={styles.eyebrow}>Tasks × AI assistant</p>
          <h1 id="hero-title" className={styles.title}>
            Get things done, <span className="gradient-text">just by asking.</span>
          </h1>
          <p className={styles.lead}>
            A fast, focused todo list with a built-in assistant that adds, finds and completes tasks
            for you.
          </p>
          <div className={styles.ctas}>
            <Link href="/signup" className="btn btn-primary">
              Create an account
            </Link>
            <Link href="/tasks" className="btn">
              Open my tasks
            </Link>
          </div>
        </section>

        <div className={`glass ${styles.preview}`} aria-hidden="true">
          <div className={styles.previewRow}>
            <span className={styles.previewCheck} data-done="true" />
            <span className={styles.previewDone}>Book flights</span>
            <span className={styles.previewBadge}>Done</span>
          </div>
          <div className={styles.previewRow}>
            <span className={styles.previewCheck} />
            <span>Send the quarterly report</span>
            <span className={styles.previewBadge} data-tone="high">
              High
            </span>
          </div>
          <div className={styles.previewRow}>
            <span className={styles.previewCheck} />
            <span>Buy milk</span>
            <span className={styles.previewBadge} data-tone="soon">
              Tomorrow
            </span>
          </div>
          <div className={styles.previewChat}>
            <p className={styles.previewUser}>add buy milk tomorrow</p>
            <p className={styles.previewBot}>Added “buy milk”, due tomorrow. ✓</p>
          </div>
        </div>

        <ul className={styles.features}>
          {FEATURES.map((feature) => (
            <li key={feature.title} className={`glass ${styles.feature}`}>
              <h2>{feature.title}</h2>
              <p>{feature.text}</p>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
