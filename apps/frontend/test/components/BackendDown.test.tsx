import { fireEvent, render, screen } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { BackendDown } from '../../src/components/shell/BackendDown';
import { ApiError } from '../../src/lib/api';

test('explains an outage and retries on request', async () => {
  const onRetry = vi.fn(async () => {});
  render(
    <BackendDown error={new ApiError(502, 'backend_unreachable', 'down')} onRetry={onRetry} />,
  );
  expect(screen.getByRole('alert').textContent).toContain('The backend is unreachable right now');
  fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(onRetry).toHaveBeenCalledTimes(1);
  await screen.findByRole('button', { name: 'Try again' });
});

test('shows any other error as the server worded it', () => {
  render(
    <BackendDown
      error={new ApiError(500, 'internal_error', 'Something went wrong on our side')}
      onRetry={async () => {}}
    />,
  );
  expect(screen.getByRole('alert').textContent).toContain('Something went wrong on our side');
});
