/**
 * @module Loading a JSON resource for a screen: data, the error to show, a reload.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, call } from '../api/client.ts';

export function errorText(err: unknown): string {
  return err instanceof ApiError ? err.problem.detail || err.problem.title : String(err);
}

export function useApi<T>(url: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(async () => {
    if (!url) return;
    try {
      setData(await call<T>('GET', url));
      setError('');
    } catch (err) {
      setError(errorText(err));
    }
  }, [url]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload, setError };
}
