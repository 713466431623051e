// Route table and matcher. A route is {method, base, path, handler, auth,
// quota}; `path` uses {name} placeholders as in the Swagger document. Literal
// segments match case-insensitively (ASP.NET routing is case-insensitive).

export class Router {
  constructor() { this.routes = []; }

  add(routes) {
    for (const r of routes) {
      const full = (r.base ?? '/v4/api') + r.path;
      this.routes.push({
        auth: true, quota: true, ...r,
        key: `${r.method} ${r.path}`,
        segs: full.split('/').filter(Boolean).map((s) => (s.startsWith('{') ? { param: s.slice(1, -1) } : s.toLowerCase())),
      });
    }
    return this;
  }

  /** → { route, params } | { allow: [methods] } (path known, method not) | null */
  match(method, pathname) {
    const parts = pathname.split('/').filter(Boolean);
    const allow = [];
    for (const r of this.routes) {
      if (r.segs.length !== parts.length) continue;
      const params = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const s = r.segs[i];
        if (typeof s === 'string') ok = s === parts[i].toLowerCase();
        else {
          try { params[s.param] = decodeURIComponent(parts[i]); } catch { ok = false; }
        }
      }
      if (!ok) continue;
      if (r.method === method || (method === 'HEAD' && r.method === 'GET' && r.head)) return { route: r, params };
      allow.push(r.method);
    }
    return allow.length ? { allow } : null;
  }
}
