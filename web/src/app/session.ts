/**
 * @module The logged-in user as the app sees it, shared through React context.
 */
import { createContext, useContext } from 'react';

export interface SessionUser {
  id: string;
  email: string;
  role: 'admin' | 'user';
}

export interface SessionState {
  user: SessionUser;
  logout(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a session');
  return s;
}
