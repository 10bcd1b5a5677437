/**
 * @module Hash routing (`/app/#/tasks/…`): the server serves one index.html at
 * `/app/` and needs no fallback route; the browser's back button works as usual.
 */
import { useEffect, useState } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'validate'; id: string }
  | { name: 'dashboard' }
  | { name: 'projects' }
  | { name: 'tasks' }
  | { name: 'task'; id: string }
  | { name: 'users' }
  | { name: 'clients' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  if (a === 'tasks' && b) return { name: 'validate', id: b };
  if (a === 'admin') {
    if (b === 'projects') return { name: 'projects' };
    if (b === 'tasks' && c) return { name: 'task', id: c };
    if (b === 'tasks') return { name: 'tasks' };
    if (b === 'users') return { name: 'users' };
    if (b === 'clients') return { name: 'clients' };
    return { name: 'dashboard' };
  }
  return { name: 'home' };
}

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function isAdminRoute(r: Route): boolean {
  return r.name !== 'home' && r.name !== 'validate';
}
