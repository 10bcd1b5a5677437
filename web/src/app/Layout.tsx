/**
 * @module The frame around every screen: the product name, the navigation (admin
 * links for admins only), the user and a logout button. The validation screen uses
 * the whole width below it.
 */
import type { ReactNode } from 'react';
import { useSession } from './session.ts';
import type { Route } from './router.ts';

const ADMIN_LINKS: [Route['name'], string, string][] = [
  ['dashboard', '#/admin', 'Dashboard'],
  ['projects', '#/admin/projects', 'Projects'],
  ['tasks', '#/admin/tasks', 'Tasks'],
  ['users', '#/admin/users', 'Users'],
  ['clients', '#/admin/clients', 'API clients'],
];

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const { user, logout } = useSession();
  const current = (name: Route['name']) => (route.name === name || (name === 'tasks' && route.name === 'task') ? 'page' : undefined);
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/">docket</a>
        <nav aria-label="Main">
          <a href="#/" aria-current={route.name === 'home' || route.name === 'validate' ? 'page' : undefined}>Validation</a>
          {user.role === 'admin' && ADMIN_LINKS.map(([name, href, label]) => (
            <a key={name} href={href} aria-current={current(name)}>{label}</a>
          ))}
        </nav>
        <div className="who">
          <span title={`role: ${user.role}`}>{user.email}</span>
          <button type="button" className="ghost" onClick={() => void logout()}>Log out</button>
        </div>
      </header>
      <main id="main">{children}</main>
    </div>
  );
}
