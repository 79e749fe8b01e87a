import { fireEvent, render, screen } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { AuthForm } from '../../src/components/auth/AuthForm';
import { stubApi } from './fetch';

const replace = vi.fn();
vi.mock('next/navigation', () => ({ useRouter: () => ({ replace }) }));

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

test('logging in goes to the page the visitor came for', async () => {
  window.history.replaceState(null, '', '/login?next=%2Fassistant');
  const calls = stubApi({ 'POST /api/auth/login': () => ({ body: { user: {} } }) });
  render(<AuthForm mode="login" />);
  fill('Email', 'me@example.com');
  fill('Password', 'a long password');
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
  await vi.waitFor(() => expect(replace).toHaveBeenCalledWith('/assistant'));
  expect(calls).toEqual([
    {
      method: 'POST',
      path: '/api/auth/login',
      body: { email: 'me@example.com', password: 'a long password' },
    },
  ]);
});

test('a taken email is shown next to the email field', async () => {
  stubApi({
    'POST /api/auth/signup': () => ({
      status: 409,
      body: {
        error: 'email_taken',
        message: 'An account with this email already exists; log in instead',
        details: { field: 'email' },
      },
    }),
  });
  render(<AuthForm mode="signup" />);
  fill('Email', 'me@example.com');
  fill('Password', 'a long password');
  fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
  const message = await screen.findByText(/already exists/);
  const email = screen.getByLabelText('Email');
  expect(email.getAttribute('aria-invalid')).toBe('true');
  expect(email.getAttribute('aria-describedby')).toBe(message.id);
  expect(replace).not.toHaveBeenCalled();
});

test('an unreachable backend is reported as such', async () => {
  stubApi({
    'POST /api/auth/login': () => ({
      status: 502,
      body: {
        error: 'backend_unreachable',
        message: 'The backend is unreachable right now; try again in a moment',
        details: null,
      },
    }),
  });
  render(<AuthForm mode="login" />);
  fill('Email', 'me@example.com');
  fill('Password', 'a long password');
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
  expect((await screen.findByRole('alert')).textContent).toContain('backend is unreachable');
});
