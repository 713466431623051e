// router.js — the hash router: "#/path/:param?query". Each route names a
// view module ({title, render(outlet, ctx)}) and who may see it; a guard
// decides redirects (login, onboarding, forbidden). Filters and paging live
// in the query (ctx.setQuery), so Back undoes a filter and links can be shared. Every render gets an
// AbortSignal that fires when the user leaves the page, so views stop their
// requests and pollers there.

function compile(pattern) {
  const names = [];
  const re = new RegExp(`^${pattern.replace(/\/:([a-zA-Z]+)/g, (_, n) => { names.push(n); return '/([^/]+)'; })}$`);
  return { re, names };
}

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, qs = ''] = raw.split('?');
  return { path: path || '/', query: Object.fromEntries(new URLSearchParams(qs)) };
}

export function buildHash(path, query = {}) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

export function createRouter({ routes, outlet, guard, onRendered, fallback = '/', notFound = null, context = {} }) {
  const table = routes.map((r) => ({ ...r, ...compile(r.path) }));
  let controller = null;
  let seq = 0;

  function match(path) {
    for (const r of table) {
      const m = r.re.exec(path);
      if (m) return { route: r, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
    return null;
  }

  async function render() {
    if (location.hash && !location.hash.startsWith('#/')) return; // in-page anchors
    const { path, query } = parseHash();
    // "/" goes to the fallback; any other unknown address gets the not-found route
    const found = match(path) ?? (notFound && path !== '/' ? { route: notFound, params: {} } : null);
    if (!found) { navigate(fallback, {}, { replace: true }); return; }
    const redirect = guard(found.route, { path, query });
    if (redirect) { navigate(redirect, {}, { replace: true }); return; }

    controller?.abort();
    controller = new AbortController();
    const mySeq = ++seq;
    const first = [true]; // the view's first setQuery states where it is; later ones are the user's steps
    const view = found.route.view;
    document.title = `${found.route.title} · VictorySync`;
    outlet.replaceChildren();
    outlet.setAttribute('aria-busy', 'true');
    const ctx = {
      ...context,
      params: found.params, query, path, route: found.route, signal: controller.signal,
      navigate, setQuery: (q) => { if (mySeq === seq) setQuery(path, q, first.shift() ?? false); }, stale: () => mySeq !== seq,
    };
    try {
      await view.render(outlet, ctx);
    } catch (err) {
      if (mySeq === seq && err?.name !== 'AbortError') onRendered?.({ route: found.route, error: err });
    }
    if (mySeq !== seq) return;
    outlet.removeAttribute('aria-busy');
    onRendered?.({ route: found.route, path });
  }

  function navigate(path, query = {}, { replace = false } = {}) {
    const hash = buildHash(path, query);
    if (hash === location.hash) { render(); return; }
    if (replace) { history.replaceState(null, '', hash); render(); } else location.hash = hash;
  }

  /**
   * Reflect view state (filters, paging) in the address without re-rendering.
   * The first call of a page only tidies the address (replace); every later
   * change is a step of its own in the history, so Back undoes a filter (the
   * hashchange renders the page again with the earlier query).
   */
  function setQuery(path, query, initial) {
    const hash = buildHash(path, query);
    if (hash === location.hash) return;
    if (initial) history.replaceState(null, '', hash); else history.pushState(null, '', hash);
  }

  return {
    start() { window.addEventListener('hashchange', render); render(); },
    navigate,
    reload: render,
    current: () => parseHash(),
  };
}
