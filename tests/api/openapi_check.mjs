// openapi_check.mjs — checks HTTP answers against docs/openapi.yaml. lib.mjs's
// request() calls checkResponse() for every answer of the black-box tests, so
// a route that answers a status the document does not declare, or a JSON body
// that does not match the declared schema, fails the test that saw it.
//
// Which part of the document applies:
// - the operation whose path template matches (literal segments win over
//   {params}, as in OpenAPI) and has the method (HEAD is served by GET);
// - for an API path (/api/…, /health, /metrics) that matches no template, or
//   a known path without that method, the root `x-unmatched-requests`
//   responses (404 no such route, 405, and what nginx answers in front of
//   every route);
// - anything else is the static dashboard, outside the API: not checked.
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DOC_ID = 'https://victorysync.invalid/openapi.json';

let state = null;

/** Parse the document once; compile schemas lazily. */
export function openapi(root) {
  if (state) return state;
  const file = `${root}/docs/openapi.yaml`;
  const doc = YAML.parse(readFileSync(file, 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: DOC_ID });
  const templates = Object.keys(doc.paths ?? {}).map((t) => ({
    template: t,
    segments: t.split('/').slice(1),
    item: doc.paths[t],
  }));
  state = { file, doc, ajv, templates, validators: new Map() };
  return state;
}

const escapePointer = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function resolveRef(doc, obj, pointer) {
  // Local refs only ('#/components/...'); follows chains.
  for (let i = 0; obj && obj.$ref && i < 10; i++) {
    const ref = obj.$ref;
    if (!ref.startsWith('#/')) throw new Error(`openapi_check: unsupported $ref ${ref}`);
    pointer = ref.slice(1);
    obj = ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, k) => (o == null ? o : o[k]), doc);
  }
  return { obj, pointer };
}

/** The operation for method + path, or why there is none. */
export function findOperation(st, method, path) {
  let p = path.split('?')[0];
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1); // the router ignores one trailing slash
  const segs = p.split('/').slice(1);
  const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  const matches = [];
  for (const t of st.templates) {
    if (t.segments.length !== segs.length) continue;
    const params = {};
    let ok = true;
    const rank = [];
    for (let i = 0; i < segs.length && ok; i++) {
      const ts = t.segments[i];
      const pm = /^\{(.+)\}$/.exec(ts);
      if (pm) {
        if (!segs[i]) ok = false;
        try { params[pm[1]] = decodeURIComponent(segs[i]); } catch { params[pm[1]] = segs[i]; }
        rank.push(0);
      } else {
        ok = ts === segs[i];
        rank.push(1);
      }
    }
    if (ok) matches.push({ ...t, params, rank });
  }
  // Literal segments win, leftmost first (OpenAPI's "concrete paths first").
  matches.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i] - a.rank[i];
    return 0;
  });
  const hit = matches.find((t) => t.item[m]);
  if (hit) {
    return {
      template: hit.template, params: hit.params, op: hit.item[m],
      pointer: `/paths/${escapePointer(hit.template)}/${m}`,
    };
  }
  const api = p.startsWith('/api/') || p === '/health' || p === '/metrics';
  if (!api) return { outside: true };
  return {
    template: matches.length ? `${matches[0].template} (no ${method.toUpperCase()})` : '(no such path)',
    params: {}, op: st.doc['x-unmatched-requests'], pointer: '/x-unmatched-requests', unmatched: true,
  };
}

function validatorFor(st, pointer) {
  let v = st.validators.get(pointer);
  if (!v) {
    v = st.ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
    st.validators.set(pointer, v);
  }
  return v;
}

const excerpt = (text) => (text.length > 400 ? `${text.slice(0, 400)}…` : text);

/**
 * Check one answer. Returns null when it matches the document, else a message
 * naming method, path, status and the problem.
 *   res: { status, headers, text, json }
 */
export function checkResponse(root, method, path, res) {
  const st = openapi(root);
  const found = findOperation(st, method, path);
  if (found.outside) return null;
  const where = `${method.toUpperCase()} ${path} → ${res.status} (${found.op?.operationId ?? found.template})`;
  const fail = (why) => `OpenAPI mismatch: ${where}: ${why}\n  body: ${excerpt(res.text ?? '')}\n  (document: ${st.file})`;
  const responses = found.op?.responses ?? {};
  const code = String(res.status);
  const key = code in responses ? code
    : `${code[0]}XX` in responses ? `${code[0]}XX`
      : 'default' in responses ? 'default' : null;
  if (!key) {
    return fail(`status ${code} is not declared (declared: ${Object.keys(responses).join(', ')})`);
  }
  const { obj: response, pointer: rp } = resolveRef(st.doc, responses[key],
    `${found.pointer}/responses/${escapePointer(key)}`);
  if (!response) return fail(`response ${key} cannot be resolved`);
  const content = response.content;
  const bodyless = method.toUpperCase() === 'HEAD' || res.status === 204 || res.status === 304;
  if (!content || bodyless || !res.text) {
    if (content && !bodyless && !res.text) return fail('an empty body where the document declares one');
    return null;
  }
  const ctype = String(res.headers?.['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const media = Object.keys(content).find((k) => k.toLowerCase() === ctype);
  if (!media) {
    return fail(`content-type '${ctype}' is not declared (declared: ${Object.keys(content).join(', ')})`);
  }
  if (!/json/.test(media)) return null; // text/plain, application/yaml: the media type is the contract
  if (res.json === undefined) return fail('the body is not JSON');
  if (!content[media].schema) return null;
  const validate = validatorFor(st, `${rp}/content/${escapePointer(media)}/schema`);
  if (validate(res.json)) return null;
  const errors = validate.errors.slice(0, 8)
    .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''} [${e.schemaPath}]`)
    .join('; ');
  return fail(`body does not match the schema: ${errors}`);
}
