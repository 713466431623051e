// route_table.mjs — the C route table as `vs-api --routes` prints it: every
// route's method, pattern, access and declared query parameters. Runs the
// binary of the build under test (VS_BUILD, relative to the repository or
// absolute; default build/), so no stack is needed.
import { spawnSync } from 'node:child_process';
import { ROOT } from './lib.mjs';

let cached = null;

/** [{method, pattern, access, params: [{name, type, required, enum?, min?, max?, default?, ...}]}] */
export function routeTable() {
  if (cached) return cached;
  const build = process.env.VS_BUILD ?? 'build';
  const bin = `${build.startsWith('/') ? build : `${ROOT}/${build}`}/vs-api`;
  const r = spawnSync(bin, ['--routes'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (r.status !== 0) throw new Error(`${bin} --routes: exit ${r.status}: ${r.stderr}`);
  cached = JSON.parse(r.stdout);
  return cached;
}

/** '/api/orgs/:orgId/calls' → '/api/orgs/{orgId}/calls' (OpenAPI path template). */
export const templateOf = (pattern) => pattern.replace(/:(\w+)/g, '{$1}');
