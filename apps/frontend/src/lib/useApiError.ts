'use client';

import { useCallback, useState } from 'react';
import { type ApiError, asApiError } from './api';
import { useSession } from './session';

/**
 * The error state of a data hook. An expired session is not an error to show: it sends the
 * user back to log in instead.
 */
export function useApiError() {
  const { expire } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const fail = useCallback(
    (caught: unknown) => {
      const apiError = asApiError(caught);
      if (apiError.status === 401) expire();
      else setError(apiError);
    },
    [expire],
  );
  return { error, setError, fail };
}
