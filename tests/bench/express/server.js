// The reference for tests/bench/api_bench.sh: the API GPU Deck replaces, written the way an Express 4 +
// better-sqlite3 service is (one process, synchronous prepared statements, res.json), over a copy of the database
// GPU Deck's bench seeded. It answers the benchmarked routes with the same JSON as GPU Deck (same fields, values
// and nulls; api_bench.sh compares every answer before measuring) behind the same guard: a loopback Host only, no
// Origin but the API's own, the token as a Bearer or X-API-Key header compared in constant time. A PUT records an
// audit_log row, as GPU Deck records every action.
//
//   node server.js DATABASE PORT      (the token in API_SERVER_KEY; prints "listening on PORT" when ready)
'use strict';

const crypto = require('crypto');
const express = require('express');
const Database = require('better-sqlite3');

const [dbPath, portText] = process.argv.slice(2);
const token = Buffer.from(process.env.API_SERVER_KEY || '');
if (!dbPath || !portText || token.length === 0) {
  console.error('usage: API_SERVER_KEY=... node server.js DATABASE PORT');
  process.exit(2);
}

const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

// ---- The guard (src/core/api/RequestGuard.cpp)

function isLoopbackHost(hostHeader) {
  let host = hostHeader.trim().toLowerCase();
  let port = null;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) return false;
    const rest = host.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return false;
      port = rest.slice(1);
    }
    host = host.slice(1, end);
  } else if (host.includes(':')) {
    const colon = host.indexOf(':');
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (port !== null && !/^[0-9]{1,5}$/.test(port)) return false;
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

function error(res, status, code, message) {
  res.status(status).json({ error: { code, message } });
}

function tokenMatches(presented) {
  const candidate = Buffer.from(presented);
  // Every byte compared whatever the length, as ApiToken::matches does.
  const padded = Buffer.alloc(token.length);
  candidate.copy(padded, 0, 0, Math.min(candidate.length, token.length));
  return crypto.timingSafeEqual(padded, token) && candidate.length === token.length;
}

const app = express();
app.disable('x-powered-by');
app.disable('etag'); // GPU Deck sends no ETag and does no conditional GETs

app.use((req, res, next) => {
  const hosts = req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i].toLowerCase() === 'host');
  if (hosts.length > 1) return error(res, 400, 'bad_host', 'a request must carry exactly one Host header');
  const host = req.headers.host;
  if (host !== undefined && !isLoopbackHost(host)) {
    return error(res, 403, 'forbidden_host',
      'the API answers only requests addressed to a loopback host (127.0.0.1, localhost, [::1])');
  }
  const origin = (req.headers.origin || '').trim().toLowerCase();
  if (origin !== '' && !(host !== undefined && origin === 'http://' + host.trim().toLowerCase())) {
    return error(res, 403, 'forbidden_origin',
      "requests from web pages (an Origin header other than the API's own loopback address) are refused");
  }
  if (!(req.method === 'GET' && req.path === '/api/health')) {
    let presented = (req.headers['x-api-key'] || '').trim();
    if (presented === '') {
      const auth = (req.headers.authorization || '').trim();
      if (auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') presented = auth.slice(7).trim();
    }
    if (presented === '' || !tokenMatches(presented)) {
      res.set('WWW-Authenticate', 'Bearer');
      return error(res, 401, 'unauthorized', presented === '' ? 'a token is required' : 'the token is not valid');
    }
  }
  next();
});
app.use(express.json({ limit: '1mb' }));

// ---- Rows as GPU Deck answers them (keys in the same order: sorted)

const nullIfEmpty = (s) => (s === null || s === undefined || s === '' ? null : s);
const object = (text) => {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch (e) {
    return {};
  }
};
const objectOrNull = (text) => {
  const o = object(text);
  return Object.keys(o).length === 0 ? null : o;
};
const array = (text) => {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : '')) : [];
  } catch (e) {
    return [];
  }
};

const connection = (r) => ({
  auth_method: r.auth_method, created_at: r.created_at, hostname: r.hostname, id: r.id, is_active: !!r.is_active,
  kind: r.kind, last_connected_at: nullIfEmpty(r.last_connected_at), mac_address: nullIfEmpty(r.mac_address),
  name: r.name, port: r.port, proxmox_api_port: r.proxmox_api_port,
  proxmox_fingerprint: nullIfEmpty(r.proxmox_fingerprint), proxmox_token_id: nullIfEmpty(r.proxmox_token_id),
  runpod_pod_id: nullIfEmpty(r.runpod_pod_id), ssh_key_path: nullIfEmpty(r.ssh_key_path), updated_at: r.updated_at,
  username: r.username, watch: !!r.watch, wol_broadcast: nullIfEmpty(r.wol_broadcast), wol_port: r.wol_port,
});

const project = (r) => ({
  backend: r.backend, config: object(r.config), connection_id: r.connection_id, created_at: r.created_at,
  description: r.description, extra_files: array(r.extra_files), id: r.id, local_path: r.local_path || '',
  name: r.name, project_type: r.project_type, remote_path: r.remote_path, status: r.status, updated_at: r.updated_at,
});

const job = (r) => ({
  attempt: r.attempt, backend: nullIfEmpty(r.backend), command: r.command, completed_at: nullIfEmpty(r.completed_at),
  config: object(r.config), container_id: nullIfEmpty(r.container_id), created_at: r.created_at, env: object(r.env),
  exit_code: r.exit_code, id: r.id, metrics: object(r.metrics), model_name: r.model_name, name: r.name,
  on_end: r.on_end, on_end_result: objectOrNull(r.on_end_result), project_id: r.project_id,
  started_at: nullIfEmpty(r.started_at), status: r.status, status_reason: nullIfEmpty(r.status_reason),
  sync_before_start: !!r.sync_before_start, working_dir: r.working_dir,
});

const alert = (r) => ({
  active: r.ended_at === null, connection_id: r.connection_id > 0 ? r.connection_id : null,
  connection_name: r.connection_name, end_reason: nullIfEmpty(r.end_reason), ended_at: nullIfEmpty(r.ended_at),
  gpu_index: r.gpu_index === null || r.gpu_index < 0 ? null : r.gpu_index, id: r.id, kind: r.kind,
  message: r.message, severity: r.severity, started_at: r.started_at, threshold: r.threshold || 0, value: r.value || 0,
});

const execEntry = (r) => ({
  caller: r.caller, command: r.command, connection_id: r.connection_id > 0 ? r.connection_id : null,
  connection_name: r.connection_name, created_at: r.created_at, duration_ms: r.duration_ms || 0, exit_code: r.exit_code,
  forced: !!r.forced, id: r.id, outcome: r.outcome,
});

const auditEntry = (r) => ({
  created_at: r.created_at, fields: r.fields.split(',').filter((f) => f !== ''), id: r.id, method: r.method,
  origin: r.origin, outcome: r.outcome, route: r.route, status: r.status > 0 ? r.status : null,
  target: nullIfEmpty(r.target),
});

// ---- Statements

const q = {
  connections: db.prepare('SELECT * FROM connections ORDER BY name'),
  connectionById: db.prepare('SELECT * FROM connections WHERE id = ?'),
  connectionByName: db.prepare('SELECT * FROM connections WHERE name = ?'),
  projects: db.prepare('SELECT * FROM projects ORDER BY id'),
  projectsOf: db.prepare('SELECT * FROM projects WHERE connection_id = ? ORDER BY id'),
  project: db.prepare('SELECT * FROM projects WHERE id = ?'),
  jobs: db.prepare('SELECT * FROM training_jobs ORDER BY id'),
  jobsOf: db.prepare('SELECT * FROM training_jobs WHERE project_id = ? ORDER BY id'),
  job: db.prepare('SELECT * FROM training_jobs WHERE id = ?'),
  updateJob: db.prepare('UPDATE training_jobs SET name = ?, model_name = ?, status = ?, config = ?, metrics = ?, ' +
    'container_id = ?, command = ?, working_dir = ?, env = ?, on_end = ?, sync_before_start = ? WHERE id = ?'),
  alerts: db.prepare('SELECT * FROM alerts ORDER BY id DESC LIMIT ?'),
  execLog: db.prepare('SELECT * FROM exec_log ORDER BY id DESC LIMIT ?'),
  audit: db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?'),
  recordAudit: db.prepare('INSERT INTO audit_log (created_at, origin, method, route, target, status, outcome, ' +
    'fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
};

const notFound = (res, what, id) => error(res, 404, 'not_found', `no ${what} with id ${id}`);
const limitOf = (req, fallback) => Math.max(1, Math.min(10000, parseInt(req.query.limit, 10) || fallback));

// ---- Routes

app.get('/api/health', (req, res) => res.json({ status: 'ok' }));

app.get('/api/dgx/connections', (req, res) => res.json(q.connections.all().map(connection)));

app.get('/api/dgx/connections/:id', (req, res) => {
  const key = req.params.id;
  const row = /^[0-9]+$/.test(key) ? q.connectionById.get(Number(key)) : q.connectionByName.get(key);
  return row ? res.json(connection(row)) : notFound(res, 'connection', key);
});

app.get('/api/dgx/projects', (req, res) => {
  const rows = req.query.connection_id ? q.projectsOf.all(Number(req.query.connection_id)) : q.projects.all();
  res.json(rows.map(project));
});

app.get('/api/dgx/projects/:id', (req, res) => {
  const row = q.project.get(Number(req.params.id));
  if (!row) return notFound(res, 'project', req.params.id);
  const p = project(row);
  const out = {};
  // "jobs" among the project's keys, sorted, as GPU Deck answers it
  for (const key of [...Object.keys(p), 'jobs'].sort()) {
    out[key] = key === 'jobs' ? q.jobsOf.all(row.id).map(job) : p[key];
  }
  res.json(out);
});

app.get('/api/dgx/jobs', (req, res) => {
  let rows = req.query.project_id ? q.jobsOf.all(Number(req.query.project_id)) : q.jobs.all();
  if (req.query.status) {
    const wanted = new Set(String(req.query.status).split(','));
    rows = rows.filter((r) => wanted.has(r.status));
  }
  res.json(rows.map(job));
});

app.get('/api/dgx/jobs/:id', (req, res) => {
  const row = q.job.get(Number(req.params.id));
  return row ? res.json(job(row)) : notFound(res, 'job', req.params.id);
});

const writable = new Set(['project_id', 'name', 'model_name', 'status', 'config', 'metrics', 'container_id',
  'started_at', 'completed_at', 'command', 'working_dir', 'env', 'on_end', 'sync_before_start']);
const readOnly = new Set(['id', 'created_at', 'exit_code', 'status_reason', 'backend', 'attempt', 'on_end_result']);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

app.put('/api/dgx/jobs/:id', (req, res) => {
  const id = Number(req.params.id);
  const route = '/api/dgx/jobs/:id';
  const body = req.body;
  const fields = isObject(body) ? Object.keys(body) : [];
  const audit = (status, outcome) => q.recordAudit.run(new Date().toISOString(), 'api', 'PUT', route, req.params.id,
    status, outcome, fields.join(','));
  const row = q.job.get(id);
  if (!row) {
    audit(404, 'not_found');
    return notFound(res, 'job', req.params.id);
  }
  const bad = !isObject(body) ? '(body)' : fields.find((k) => !writable.has(k) && !readOnly.has(k)) ||
    ['config', 'metrics', 'env'].find((k) => k in body && body[k] !== null && !isObject(body[k])) ||
    ['name', 'model_name', 'status', 'command', 'working_dir', 'on_end'].find((k) => k in body &&
      typeof body[k] !== 'string');
  if (bad) {
    audit(400, 'validation_failed');
    return res.status(400).json({ error: { code: 'validation_failed', message: `'${bad}' is not valid`, field: bad } });
  }
  const next = { ...job(row) };
  for (const k of fields) if (writable.has(k)) next[k] = body[k];
  q.updateJob.run(next.name, next.model_name, next.status, JSON.stringify(next.config || {}),
    JSON.stringify(next.metrics || {}), next.container_id, next.command, next.working_dir,
    JSON.stringify(next.env || {}), next.on_end, next.sync_before_start ? 1 : 0, id);
  audit(200, 'ok');
  res.json(job(q.job.get(id)));
});

app.get('/api/dgx/alerts', (req, res) => res.json(q.alerts.all(limitOf(req, 200)).map(alert)));
app.get('/api/dgx/exec/log', (req, res) => res.json(q.execLog.all(limitOf(req, 100)).map(execEntry)));
app.get('/api/dgx/audit', (req, res) => res.json(q.audit.all(limitOf(req, 100)).map(auditEntry)));

app.use((req, res) => error(res, 404, 'not_found', `no route ${req.method} ${req.path}`));

const server = app.listen(Number(portText), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
server.keepAliveTimeout = 60000; // GPU Deck keeps an idle connection 60 s
const stop = () => server.close(() => { db.close(); process.exit(0); });
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
