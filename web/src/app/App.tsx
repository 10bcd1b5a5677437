/**
 * @module The portal's shell: restores the session (GET /session), shows the login
 * when there is none, and routes to the screen the URL names. Admin screens are
 * offered to admins only; the service refuses their API calls to others anyway.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, call, get, handleUnauthorized, setCsrf } from '../api/client.ts';
import { SessionContext, type SessionState, type SessionUser } from './session.ts';
import { isAdminRoute, useRoute } from './router.ts';
import { Layout } from './Layout.tsx';
import { Login } from '../screens/Login.tsx';
import { Home } from '../screens/Home.tsx';
import { Validate } from '../validate/Validate.tsx';
import { Dashboard } from '../admin/Dashboard.tsx';
import { Projects } from '../admin/Projects.tsx';
import { Tasks } from '../admin/Tasks.tsx';
import { TaskDetail } from '../admin/TaskDetail.tsx';
import { Users } from '../admin/Users.tsx';
import { Clients } from '../admin/Clients.tsx';

export function App() {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const route = useRoute();

  const restore = useCallback(async () => {
    try {
      const s = await get('/session', '/session');
      setCsrf(s.csrf);
      setUser(s.user as SessionUser);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setUser(null);
    }
  }, []);

  useEffect(() => {
    handleUnauthorized(() => setUser(null));
    void restore();
  }, [restore]);

  const session = useMemo<SessionState | null>(() => (user ? {
    user,
    async logout() {
      await call('DELETE', '/session').catch(() => undefined);
      setCsrf('');
      setUser(null);
    },
  } : null), [user]);

  if (user === undefined) return <div className="splash" aria-busy="true">Loading…</div>;
  if (!session) return <Login onLogin={(u, csrf) => { setCsrf(csrf); setUser(u); }} />;

  let screen;
  if (isAdminRoute(route) && session.user.role !== 'admin') {
    screen = <div className="page"><h1>Not allowed</h1><p className="notice error" role="alert">The admin portal needs the admin role. Ask an admin of your account.</p></div>;
  } else {
    switch (route.name) {
      case 'home': screen = <Home />; break;
      case 'validate': screen = <Validate key={route.id} taskId={route.id} />; break;
      case 'dashboard': screen = <Dashboard />; break;
      case 'projects': screen = <Projects />; break;
      case 'tasks': screen = <Tasks />; break;
      case 'task': screen = <TaskDetail key={route.id} id={route.id} />; break;
      case 'users': screen = <Users />; break;
      case 'clients': screen = <Clients />; break;
    }
  }
  return (
    <SessionContext.Provider value={session}>
      <Layout route={route}>{screen}</Layout>
    </SessionContext.Provider>
  );
}
