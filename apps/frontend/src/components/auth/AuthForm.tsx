'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, type InputHTMLAttributes, useId, useState } from 'react';
import { type ApiError, api, asApiError, fieldErrors } from '../../lib/api';
import { safeNextPath } from '../../lib/navigation';
import styles from './AuthForm.module.css';

type Mode = 'login' | 'signup';

const COPY: Record<Mode, { title: string; intro: string; submit: string; busy: string }> = {
  login: {
    title: 'Welcome back',
    intro: 'Log in to see your tasks and your assistant.',
    submit: 'Log in',
    busy: 'Logging in…',
  },
  signup: {
    title: 'Create your account',
    intro: 'Start with an empty list; the assistant is ready when you are.',
    submit: 'Create account',
    busy: 'Creating account…',
  },
};

export function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const id = useId();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const copy = COPY[mode];

  const errorsFor = (field: string) =>
    error ? fieldErrors(error).filter((e) => e.field === field) : [];
  const formLevel = error && fieldErrors(error).length === 0 ? error : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body: Record<string, string> = {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    };
    const name = String(form.get('name') ?? '').trim();
    if (name) body.name = name;
    setSubmitting(true);
    setError(null);
    try {
      await api(`/auth/${mode}`, 'POST', body);
      router.replace(safeNextPath(new URLSearchParams(window.location.search).get('next')));
    } catch (caught) {
      setError(asApiError(caught));
      setSubmitting(false);
    }
  }

  const field = (
    name: string,
    label: string,
    props: InputHTMLAttributes<HTMLInputElement>,
    hint?: string,
  ) => {
    const errors = errorsFor(name);
    const describedBy = [hint && `${id}-${name}-hint`, errors.length && `${id}-${name}-error`]
      .filter(Boolean)
      .join(' ');
    return (
      <div className="field">
        <label className="label" htmlFor={`${id}-${name}`}>
          {label}
        </label>
        <input
          id={`${id}-${name}`}
          name={name}
          className="input"
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={describedBy || undefined}
          {...props}
        />
        {hint && (
          <span id={`${id}-${name}-hint`} className="hint">
            {hint}
          </span>
        )}
        {errors.length > 0 && (
          <span id={`${id}-${name}-error`} className="field-error">
            {errors.map((e) => e.message).join('; ')}
          </span>
        )}
      </div>
    );
  };

  return (
    <section className={`glass ${styles.card}`} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`} className={styles.title}>
        {copy.title}
      </h1>
      <p className={styles.intro}>{copy.intro}</p>
      <form className={styles.form} onSubmit={submit}>
        {formLevel && (
          <p role="alert" className={formLevel.unreachable ? 'alert alert-warning' : 'alert'}>
            {formLevel.message}
          </p>
        )}
        {field('email', 'Email', {
          type: 'email',
          autoComplete: 'email',
          required: true,
          maxLength: 254,
        })}
        {mode === 'signup' &&
          field('name', 'Name (optional)', { type: 'text', autoComplete: 'name', maxLength: 100 })}
        {field(
          'password',
          'Password',
          {
            type: 'password',
            autoComplete: mode === 'login' ? 'current-password' : 'new-password',
            required: true,
            minLength: mode === 'signup' ? 8 : undefined,
            maxLength: 128,
          },
          mode === 'signup' ? 'At least 8 characters.' : undefined,
        )}
        <button type="submit" className={`btn btn-primary ${styles.submit}`} disabled={submitting}>
          {submitting && <span className="spinner" aria-hidden="true" />}
          {submitting ? copy.busy : copy.submit}
        </button>
      </form>
      <p className={styles.switch}>
        {mode === 'login' ? (
          <>
            New here? <Link href="/signup">Create an account</Link>
          </>
        ) : (
          <>
            Already have an account? <Link href="/login">Log in</Link>
          </>
        )}
      </p>
    </section>
  );
}
