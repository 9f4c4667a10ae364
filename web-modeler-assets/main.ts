import './app/styles.css';
import { ApiError, api, get, setCsrfToken, whenUnauthenticated } from './app/api.ts';
import { clear, errorBox, h, loading, notice } from './app/dom.ts';
import { rolesText } from './app/format.ts';
import { match, mayOpen, navGroups, screens, worksTasks, type Cleanup, type PageContext, type PublicContext } from './app/screens.ts';
import type { Department, User } from './app/types.ts';
import { renderLogin } from './pages/login.ts';

/**
 * The shell: who is logged in, the navigation built from the screen table, and a hash router
 * (#/inbox, #/tasks/123…) so the server only serves static files and the API.
 */
const root = document.getElementById('app')!;
let user: User | null = null;
let departments = new Map<string, string>();
let engineWebapps = '';
let cleanup: Cleanup | void;
let flashMessage: { text: string; kind: 'success' | 'info' | 'warning' } | null = null;
let badgeTimer: number | undefined;
let renderSeq = 0;

function currentPath(): { path: string; query: URLSearchParams } {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path, query = ''] = hash.split('?') as [string, string?];
  return { path: path || '/', query: new URLSearchParams(query) };
}

function navigate(path: string): void {
  if (location.hash === '#' + path) void route();
  else location.hash = path;
}

async function loadSession(): Promise<void> {
  const session = await get<{ user: User | null; csrfToken: string | null; engineWebapps: string }>('/api/session');
  setCsrfToken(session.csrfToken);
  user = session.user;
  engineWebapps = session.engineWebapps;
  // The unit names are needed on every page, but only after a login: asked for before, the server
  // would refuse (401) and log it for every visit to the login page.
  if (user) departments = new Map((await get<Department[]>('/api/departments')).map((d) => [d.id, d.name]));
}

async function logout(): Promise<void> {
  try {
    await api('DELETE', '/api/session');
  } finally {
    user = null;
    await loadSession().catch(() => undefined);
    navigate('/login');
  }
}

function refreshBadge(): void {
  if (!user) return;
  const incidents = screens.find((s) => s.nav?.badge === 'incidents');
  if (incidents && mayOpen(incidents, user)) {
    get<{ count: number }>('/api/incidents/count')
      .then(({ count }) => {
        for (const badge of document.querySelectorAll<HTMLElement>('[data-badge="incidents"]')) {
          badge.textContent = count > 99 ? '99+' : String(count);
          badge.hidden = count === 0;
          badge.setAttribute('aria-label', `${count} 个流程故障待处理`);
        }
      })
      .catch(() => undefined);
  }
  if (!worksTasks(user)) return;
  get<{ count: number }>('/api/tasks/count')
    .then(({ count }) => {
      for (const badge of document.querySelectorAll<HTMLElement>('[data-badge="tasks"]')) {
        badge.textContent = count > 99 ? '99+' : String(count);
        badge.hidden = count === 0;
        badge.setAttribute('aria-label', `${count} 件待办`);
      }
    })
    .catch(() => undefined);
}

function shell(active: string): HTMLElement {
  const u = user!;
  const menuButton = h('button', { type: 'button', class: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav' }, '菜单');
  const nav = h('nav', { id: 'nav', class: 'nav', 'aria-label': '主导航' });
  for (const group of navGroups) {
    const items = screens
      .filter((s) => s.nav?.group === group && mayOpen(s, u) && !(s.nav.badge === 'tasks' && !worksTasks(u)))
      .sort((a, b) => a.nav!.order - b.nav!.order);
    if (items.length === 0) continue;
    nav.append(
      h('div', { class: 'nav-group' }, h('div', { class: 'nav-group-title' }, group)),
      h(
        'ul',
        {},
        items.map((s) => {
          const current = active === s.path || (s.path !== '/' && active.startsWith(s.path + '/'));
          return h(
            'li',
            {},
            h(
              'a',
              { href: '#' + s.path, class: current ? 'active' : '', 'aria-current': current ? 'page' : null },
              s.nav!.label,
              s.nav!.badge && h('span', { class: 'badge', 'data-badge': s.nav!.badge, hidden: true }),
            ),
          );
        }),
      ),
    );
  }
  menuButton.addEventListener('click', () => {
    const open = nav.classList.toggle('open');
    menuButton.setAttribute('aria-expanded', String(open));
  });
  nav.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('a')) {
      nav.classList.remove('open');
      menuButton.setAttribute('aria-expanded', 'false');
    }
  });
  const logoutButton = h('button', { type: 'button', class: 'btn btn-link', onclick: () => void logout() }, '退出登录');
  return h(
    'div',
    { class: 'layout' },
    h(
      'header',
      { class: 'topbar' },
      menuButton,
      h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '安'), h('span', {}, '社会治理风险闭环管理平台')),
      h(
        'div',
        { class: 'who' },
        h('span', { class: 'who-name' }, u.displayName),
        h('span', { class: 'who-role' }, [rolesText(u.roles), u.departmentId ? ' · ' + (departments.get(u.departmentId) ?? u.departmentId) : ''].join('')),
        logoutButton,
      ),
    ),
    nav,
    h('main', { id: 'main', class: 'main', tabindex: '-1' }),
  );
}

async function route(): Promise<void> {
  const seq = ++renderSeq;
  const { path, query } = currentPath();
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;

  const publicScreen = !user ? match(path) : null;
  if (publicScreen?.screen.public) {
    document.title = `${publicScreen.screen.title} · 社会治理风险闭环管理平台`;
    clear(root);
    const body = h('main', { class: 'page', id: 'main' }, loading());
    root.append(h('header', { class: 'public-head' }, h('strong', {}, '唐河县社会治理风险闭环管理平台'), ' · ', h('a', { href: '#/login' }, '工作人员登录')), body);
    try {
      const page = (await publicScreen.screen.load()) as unknown as { render(ctx: PublicContext): Promise<Cleanup | void> };
      if (seq !== renderSeq) return;
      clear(body);
      cleanup = await page.render({ outlet: body, query });
    } catch (error) {
      clear(body);
      body.append(h('h1', { tabindex: '-1' }, publicScreen.screen.title), errorBox(error));
    }
    return;
  }

  if (path === '/login' || !user) {
    if (user) return navigate('/');
    document.title = '登录 · 社会治理风险闭环管理平台';
    clear(root);
    renderLogin(root, {
      async onLoggedIn(session) {
        setCsrfToken(session.csrfToken);
        await loadSession();
        const next = query.get('next');
        navigate(next && next.startsWith('/') && next !== '/login' ? next : '/');
      },
    });
    return;
  }

  const found = match(path);
  clear(root);
  root.append(shell(found?.screen.path ?? path));
  const outlet = root.querySelector<HTMLElement>('#main')!;
  refreshBadge();
  if (flashMessage) {
    outlet.append(notice(flashMessage.text, flashMessage.kind));
    flashMessage = null;
  }
  const body = h('div', { class: 'page' });
  outlet.append(body);
  if (!found) {
    document.title = '页面不存在 · 社会治理风险闭环管理平台';
    body.append(h('h1', { tabindex: '-1' }, '页面不存在'), h('p', {}, h('a', { href: '#/' }, '返回首页')));
    return;
  }
  if (!mayOpen(found.screen, user)) {
    document.title = '无权访问 · 社会治理风险闭环管理平台';
    body.append(h('h1', { tabindex: '-1' }, '无权访问'), h('p', {}, '您的角色不能打开此页面。'), h('p', {}, h('a', { href: '#/' }, '返回首页')));
    return;
  }
  document.title = `${found.screen.title} · 社会治理风险闭环管理平台`;
  body.append(loading());
  const ctx: PageContext = {
    outlet: body,
    params: found.params,
    query,
    user,
    departmentName: (id) => (id ? (departments.get(id) ?? id) : '—'),
    engineWebapps,
    navigate,
    flash(text, kind = 'success') {
      flashMessage = { text, kind };
    },
    refreshBadge,
  };
  try {
    const page = await found.screen.load();
    if (seq !== renderSeq) return;
    clear(body);
    cleanup = await page.render(ctx);
    if (seq !== renderSeq && typeof cleanup === 'function') cleanup();
  } catch (error) {
    if (seq !== renderSeq) return;
    clear(body);
    if (error instanceof ApiError && error.status === 401) return;
    body.append(h('h1', { tabindex: '-1' }, found.screen.title), errorBox(error));
  }
  // Move focus to the page heading so keyboard and screen-reader users start at the content.
  body.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}

whenUnauthenticated(() => {
  user = null;
  const { path } = currentPath();
  navigate(path === '/login' ? '/login' : `/login?next=${encodeURIComponent(path)}`);
});

document.addEventListener('click', (e) => {
  const skip = (e.target as HTMLElement).closest('.skip-link');
  if (skip) {
    e.preventDefault();
    document.getElementById('main')?.focus();
  }
});

window.addEventListener('hashchange', () => void route());

async function boot(): Promise<void> {
  // Fetch the page's code while the session loads; route() finds it in the module cache.
  void match(currentPath().path)?.screen.load().catch(() => undefined);
  try {
    await loadSession();
  } catch (error) {
    clear(root);
    root.append(h('main', { class: 'boot' }, errorBox(error)));
    return;
  }
  if (!user && currentPath().path !== '/login' && !match(currentPath().path)?.screen.public) {
    // The query is part of where the user was going (a cockpit round, a ledger search).
    const { path, query } = currentPath();
    const next = query.size > 0 ? `${path}?${query.toString()}` : path;
    history.replaceState(null, '', path === '/' ? '#/login' : `#/login?next=${encodeURIComponent(next)}`);
  }
  await route();
  badgeTimer = window.setInterval(refreshBadge, 60_000);
}

void boot();
window.addEventListener('pagehide', () => window.clearInterval(badgeTimer));
