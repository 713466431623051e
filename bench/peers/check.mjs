// check.mjs — bench/run.sh runs this before any load: each peer must answer
// the calls first page with 200, `limit` items, and the project's JSON — the
// same envelope keys, the same field names in the same order, and (the data
// do not change during a bench) the same values. Exit 1 otherwise.
//   node bench/peers/check.mjs BASE PROJECT_PATH PROJECT_HEADER LIMIT NAME=PATH...
const [base, projectPath, projectHeader, limitArg, ...peers] = process.argv.slice(2);
const limit = Number(limitArg);

async function get(path, header) {
  const headers = {};
  if (header) {
    const i = header.indexOf(':');
    headers[header.slice(0, i).trim()] = header.slice(i + 1).trim();
  }
  const r = await fetch(base + path, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* reported below */ }
  return { status: r.status, text, json };
}

const keys = (o) => (o && typeof o === 'object' ? Object.keys(o).join(',') : String(o));
const project = await get(projectPath, projectHeader);
if (project.status !== 200 || project.json?.data?.length !== limit) {
  console.error(`check: project ${projectPath}: ${project.status}, ${project.json?.data?.length} items: ${project.text.slice(0, 200)}`);
  process.exit(1);
}
const itemKeys = keys(project.json.data[0]);
console.log(`check: project: 200, ${limit} items, fields ${itemKeys}`);
let failed = false;
for (const spec of peers) {
  const [name, path] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
  const peer = await get(path);
  const problems = [];
  if (peer.status !== 200) problems.push(`status ${peer.status}: ${peer.text.slice(0, 200)}`);
  else if (!peer.json) problems.push('body is not JSON');
  else {
    if (keys(peer.json) !== keys(project.json)) problems.push(`envelope ${keys(peer.json)} ≠ ${keys(project.json)}`);
    if (peer.json.data?.length !== limit) problems.push(`${peer.json.data?.length} items`);
    const bad = (peer.json.data ?? []).findIndex((it) => keys(it) !== itemKeys);
    if (bad >= 0) problems.push(`item ${bad} fields ${keys(peer.json.data[bad])}`);
    if (!problems.length && JSON.stringify(peer.json) !== JSON.stringify(project.json)) {
      const i = peer.json.data.findIndex((it, k) => JSON.stringify(it) !== JSON.stringify(project.json.data[k]));
      problems.push(i >= 0 ? `item ${i} differs: ${JSON.stringify(peer.json.data[i])} vs ${JSON.stringify(project.json.data[i])}`
        : `envelope values differ: total ${peer.json.total}/${project.json.total}, next_cursor ${peer.json.next_cursor}/${project.json.next_cursor}`);
    }
  }
  if (problems.length) {
    failed = true;
    console.error(`check: ${name}: ${problems.join('; ')}`);
  } else {
    const same = peer.text === project.text ? 'byte-identical body' : 'same JSON values';
    console.log(`check: ${name}: 200, ${limit} items, same fields, ${same} (${peer.text.length} bytes)`);
  }
}
process.exit(failed ? 1 : 0);
