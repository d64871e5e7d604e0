// gitlab_report_check.js FILE: checks a GitLab secret-detection report against what
// the `secret_detection` schema of GitLab's security-report schemas (15.0.x) requires:
// its required fields, types, patterns and enums, written out here from that schema.
// Prints one line per problem; exit 0 when there is none, 1 otherwise, 2 on bad input.
const fs = require('fs');
let doc;
try { doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); } catch (e) { console.log(`gitlab: cannot read: ${e.message}`); process.exit(2); }
const problems = [];
const bad = (path, what) => problems.push(`${path}: ${what}`);
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v, path, { min = 0, max = Infinity, pattern, values } = {}) => {
  if (typeof v !== 'string') return bad(path, 'missing or not a string');
  if (v.length < min) bad(path, `shorter than ${min}`);
  if (v.length > max) bad(path, `longer than ${max}`);
  if (pattern && !pattern.test(v)) bad(path, `does not match ${pattern}`);
  if (values && !values.includes(v)) bad(path, `not one of ${values.join(', ')}`);
};
const required = (o, keys, path) => {
  if (!isObj(o)) {
    bad(path, 'missing or not an object');
    return false;
  }
  for (const k of keys) if (!(k in o)) bad(`${path}/${k}`, 'required');
  return true;
};
const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const url = /^(https?|ftp):\/\/.+/;

required(doc, ['scan', 'version', 'vulnerabilities'], '');
str(doc.version, '/version', { pattern: /^[0-9]+\.[0-9]+\.[0-9]+$/ });
if (doc.schema !== undefined) str(doc.schema, '/schema', { pattern: /^https?:\/\/.+/ });
const s = doc.scan;
if (required(s, ['analyzer', 'end_time', 'scanner', 'start_time', 'status', 'type'], '/scan')) {
  for (const who of ['analyzer', 'scanner']) {
    const t = s[who], p = `/scan/${who}`;
    if (!required(t, ['id', 'name', 'version', 'vendor'], p)) continue;
    str(t.id, `${p}/id`, { min: 1 });
    str(t.name, `${p}/name`, { min: 1 });
    str(t.version, `${p}/version`, { min: 1 });
    if (required(t.vendor, ['name'], `${p}/vendor`)) str(t.vendor.name, `${p}/vendor/name`, { min: 1 });
    if (who === 'analyzer' && t.url !== undefined) str(t.url, `${p}/url`, { pattern: /^https?:\/\/.+/ });
  }
  str(s.start_time, '/scan/start_time', { pattern: time });
  str(s.end_time, '/scan/end_time', { pattern: time });
  str(s.status, '/scan/status', { values: ['success', 'failure'] });
  str(s.type, '/scan/type', { values: ['secret_detection'] });
  if (s.messages !== undefined) {
    if (!Array.isArray(s.messages)) bad('/scan/messages', 'not an array');
    else s.messages.forEach((m, i) => {
      if (!required(m, ['level', 'value'], `/scan/messages/${i}`)) return;
      str(m.level, `/scan/messages/${i}/level`, { values: ['info', 'warn', 'fatal'] });
      str(m.value, `/scan/messages/${i}/value`, { min: 1 });
    });
  }
}
const detail = (d, p) => {
  if (!required(d, ['type'], p)) return;
  const need = { 'named-list': ['items'], list: ['items'], table: ['rows'], text: ['value'], url: ['href'], code: ['value'],
                 value: ['value'], diff: ['before', 'after'], markdown: ['value'], commit: ['value'],
                 'file-location': ['file_name', 'line_start'], 'module-location': ['module_name', 'offset'] }[d.type];
  if (!need) return bad(`${p}/type`, `unknown detail type ${d.type}`);
  required(d, need, p);
  if (d.type === 'value' && !['number', 'string', 'boolean'].includes(typeof d.value)) bad(`${p}/value`, 'not a number, string or boolean');
  if (d.type === 'commit') str(d.value, `${p}/value`, { min: 1 });
  if (d.type === 'file-location') {
    str(d.file_name, `${p}/file_name`, { min: 1 });
    if (!Number.isInteger(d.line_start)) bad(`${p}/line_start`, 'not an integer');
    if (d.line_end !== undefined && !Number.isInteger(d.line_end)) bad(`${p}/line_end`, 'not an integer');
  }
};
if (!Array.isArray(doc.vulnerabilities)) bad('/vulnerabilities', 'not an array');
else doc.vulnerabilities.forEach((v, i) => {
  const p = `/vulnerabilities/${i}`;
  if (!required(v, ['id', 'identifiers', 'location'], p)) return;
  str(v.id, `${p}/id`, { min: 1 });
  if (v.name !== undefined) str(v.name, `${p}/name`, { max: 255 });
  if (v.description !== undefined) str(v.description, `${p}/description`, { max: 1048576 });
  if (v.severity !== undefined) str(v.severity, `${p}/severity`, { values: ['Info', 'Unknown', 'Low', 'Medium', 'High', 'Critical'] });
  if (v.solution !== undefined) str(v.solution, `${p}/solution`, { max: 7000 });
  if (!Array.isArray(v.identifiers) || v.identifiers.length < 1) bad(`${p}/identifiers`, 'needs at least one');
  else v.identifiers.forEach((id, j) => {
    const q = `${p}/identifiers/${j}`;
    if (!required(id, ['type', 'name', 'value'], q)) return;
    str(id.type, `${q}/type`, { min: 1 });
    str(id.name, `${q}/name`, { min: 1 });
    str(id.value, `${q}/value`, { min: 1 });
    if (id.url !== undefined) str(id.url, `${q}/url`, { pattern: url });
  });
  const l = v.location;
  if (required(l, ['commit'], `${p}/location`)) {
    if (l.file !== undefined) str(l.file, `${p}/location/file`);
    for (const k of ['start_line', 'end_line']) if (l[k] !== undefined && typeof l[k] !== 'number') bad(`${p}/location/${k}`, 'not a number');
    if (required(l.commit, ['sha'], `${p}/location/commit`)) {
      str(l.commit.sha, `${p}/location/commit/sha`, { min: 1 });
      for (const k of ['author', 'date', 'message']) if (l.commit[k] !== undefined) str(l.commit[k], `${p}/location/commit/${k}`);
    }
  }
  if (v.raw_source_code_extract !== undefined) str(v.raw_source_code_extract, `${p}/raw_source_code_extract`);
  if (v.details !== undefined) {
    if (!isObj(v.details)) bad(`${p}/details`, 'not an object');
    else for (const [k, d] of Object.entries(v.details)) {
      required(d, ['name'], `${p}/details/${k}`);
      if (d.name !== undefined) str(d.name, `${p}/details/${k}/name`, { min: 1 });
      detail(d, `${p}/details/${k}`);
    }
  }
});
for (const line of problems) console.log(`gitlab: ${line}`);
console.log(problems.length ? `gitlab: INVALID (${problems.length} problems)` : 'gitlab: valid');
process.exit(problems.length ? 1 : 0);
