// Validates real answers of the GPU Deck API against docs/openapi.yaml (run by tst_api_openapi with Node 22 from
// tests/tools). Usage: node validate_answers.mjs <openapi.yaml> [<answers.json>]
//
// Without answers: checks the description itself (every schema compiles under JSON Schema 2020-12 in strict
// mode, every operation has a snake_case operationId, unique). With answers ({"routes": ["GET /api/x/:id", ...],
// "answers": [{"method", "route", "path", "status", "content_type", "body"}...]}) also:
//   - every route of the server is an operation of the description, and every operation a route;
//   - every route takes the query parameters its operation lists, no more, no less ("query_params");
//   - every answer's status is listed for its operation, its content type is one the response declares, and its
//     body validates against that response's schema (a 204 or a response without content: an empty body);
//   - a JSON request body the server accepted (a 2xx answer) is valid against the operation's requestBody;
//   - in an event stream whose schema has a contentSchema, the data of every named event (`event:` line) is valid.
// Exits 1 listing every mismatch; 2 when the tools or files are missing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

// The tools installed by tests/tools/install.sh (or those of GPUDECK_TEST_TOOLS, a node_modules directory).
const tools = process.env.GPUDECK_TEST_TOOLS || join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'node_modules');
const require = createRequire(join(tools, 'gpudeck-validator.js'));
let YAML, Ajv2020, addFormats;
try {
  YAML = require('yaml');
  Ajv2020 = require('ajv/dist/2020').default;
  addFormats = require('ajv-formats').default;
} catch (e) {
  console.error(`the npm test tools are missing (${e.message}): run tests/tools/install.sh`);
  process.exit(2);
}

const [specPath, answersPath] = process.argv.slice(2);
if (!specPath) {
  console.error('usage: validate_answers.mjs <openapi.yaml> [<answers.json>]');
  process.exit(2);
}
const doc = YAML.parse(readFileSync(specPath, 'utf8'));
const problems = [];

// The description as one schema document: fragments are compiled where they are, so their
// '#/components/schemas/...' references resolve against the whole file.
// strictTypes is off: the overlays that narrow error.code per response (allOf: [Error, {properties: {error: ...}}]) name
// no type of their own, the Error they are combined with does. strictRequired is off: a create body requires fields
// of the write schema it extends (allOf: [XWrite, {required: [name]}]). Unknown keywords and formats stay errors.
const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addVocabulary(['example', 'openapi', 'jsonSchemaDialect', 'info', 'servers', 'security', 'tags', 'paths',
                   'components', 'webhooks', 'externalDocs']);
const ROOT = 'gpudeck-openapi';
ajv.addSchema({ ...doc, $id: ROOT });
const pointer = (parts) => parts.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const compiled = new Map();
function validatorAt(parts) {
  const ref = `${ROOT}#/${pointer(parts)}`;
  if (!compiled.has(ref)) {
    compiled.set(ref, ajv.getSchema(ref));
  }
  return compiled.get(ref);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const operations = new Map(); // "GET /api/x/{id}" -> {path, method, op}
const opIds = new Map();
for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op) continue;
    const key = `${method.toUpperCase()} ${path}`;
    operations.set(key, { path, method, op });
    if (!op.operationId || !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(op.operationId)) {
      problems.push(`${key}: operationId '${op.operationId ?? ''}' is missing or not snake_case`);
    } else if (opIds.has(op.operationId)) {
      problems.push(`${key}: operationId '${op.operationId}' is also used by ${opIds.get(op.operationId)}`);
    } else {
      opIds.set(op.operationId, key);
    }
  }
}

// A response of an operation, with where its content lives (after one level of $ref to components/responses).
function responseFor(entry, status) {
  const responses = entry.op.responses ?? {};
  const code = String(status);
  const key = code in responses ? code : `${code[0]}XX` in responses ? `${code[0]}XX` : 'default' in responses ? 'default' : null;
  if (!key) return null;
  let where = ['paths', entry.path, entry.method, 'responses', key];
  let response = responses[key];
  if (response.$ref) {
    const name = response.$ref.replace('#/components/responses/', '');
    where = ['components', 'responses', name];
    response = doc.components.responses[name];
  }
  return { key, where, response };
}

// Compile every request and response schema once, so a broken schema is reported even when no answer reaches it.
for (const [key, entry] of operations) {
  for (const type of Object.keys(entry.op.requestBody?.content ?? {})) {
    try {
      validatorAt(['paths', entry.path, entry.method, 'requestBody', 'content', type, 'schema']);
    } catch (e) {
      problems.push(`${key} request ${type}: the schema does not compile: ${e.message}`);
    }
  }
  for (const status of Object.keys(entry.op.responses ?? {})) {
    const r = responseFor(entry, status === 'default' ? 'default' : status);
    for (const type of Object.keys(r?.response?.content ?? {})) {
      try {
        if (!validatorAt([...r.where, 'content', type, 'schema'])) problems.push(`${key} ${status} ${type}: no schema`);
      } catch (e) {
        problems.push(`${key} ${status} ${type}: the schema does not compile: ${e.message}`);
      }
    }
  }
}

let checked = 0;
if (answersPath) {
  const { routes, answers, query_params: queryParams = {} } = JSON.parse(readFileSync(answersPath, 'utf8'));
  const toOpenApi = (route) => {
    const [method, pattern] = route.split(' ');
    return `${method} ${pattern.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
  };
  const served = new Set(routes.map(toOpenApi));
  for (const key of served) {
    if (!operations.has(key)) problems.push(`${key}: the server has this route; docs/openapi.yaml does not describe it`);
  }
  for (const key of operations.keys()) {
    if (!served.has(key)) problems.push(`${key}: described in docs/openapi.yaml; the server has no such route`);
  }
  const resolveParameter = (p) => (p.$ref ? doc.components.parameters[p.$ref.replace('#/components/parameters/', '')] : p);
  for (const [route, names] of Object.entries(queryParams)) {
    const entry = operations.get(toOpenApi(route));
    if (!entry) continue;
    const described = [...(doc.paths[entry.path].parameters ?? []), ...(entry.op.parameters ?? [])]
      .map(resolveParameter)
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    const missing = names.filter((n) => !described.includes(n));
    const extra = described.filter((n) => !names.includes(n));
    if (missing.length) problems.push(`${toOpenApi(route)}: takes query parameter(s) ${missing.join(', ')} that the description does not list`);
    if (extra.length) problems.push(`${toOpenApi(route)}: the description lists query parameter(s) ${extra.join(', ')} that the server refuses`);
  }
  for (const a of answers) {
    const key = toOpenApi(`${a.method} ${a.route}`);
    const what = `${a.method} ${a.path} -> ${a.status}`;
    const entry = operations.get(key);
    if (!entry) continue; // reported above
    const r = responseFor(entry, a.status);
    if (!r) {
      problems.push(`${what}: status ${a.status} is not listed for ${key}\n    body: ${a.body.slice(0, 300)}`);
      continue;
    }
    checked++;
    if (a.status < 300 && a.request_body) {
      const media = entry.op.requestBody?.content?.['application/json'];
      if (!media) {
        problems.push(`${what}: accepted a JSON body, but ${key} describes none`);
      } else {
        const validateRequest = validatorAt(['paths', entry.path, entry.method, 'requestBody', 'content', 'application/json', 'schema']);
        let sent;
        try {
          sent = JSON.parse(a.request_body);
        } catch {
          sent = undefined;
        }
        if (sent !== undefined && !validateRequest(sent)) {
          const errors = validateRequest.errors.slice(0, 8).map((e) => `      ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
          problems.push(`${what}: the server accepted a body that ${key}'s requestBody refuses:\n${errors.join('\n')}\n    sent: ${a.request_body.slice(0, 300)}`);
        }
      }
    }
    const content = r.response.content ?? {};
    const type = (a.content_type ?? '').split(';')[0].trim().toLowerCase();
    if (Object.keys(content).length === 0) {
      if (a.body.length > 0) problems.push(`${what}: ${key} ${r.key} declares no body, the answer has one: ${a.body.slice(0, 300)}`);
      continue;
    }
    if (!(type in content)) {
      problems.push(`${what}: content type '${type}' is not one of ${Object.keys(content).join(', ')} (${key} ${r.key})`);
      continue;
    }
    if (type === 'text/event-stream') {
      // Server-sent events: where the description gives the events' JSON (schema.contentSchema), every event that
      // names its type (an `event:` line) must carry data valid against it. Unnamed events (a log's lines) are text.
      const media = content[type];
      if (!media.schema?.contentSchema) continue;
      const validateEvent = validatorAt([...r.where, 'content', type, 'schema', 'contentSchema']);
      for (const block of a.body.split(/\n\n/)) {
        const lines = block.split('\n');
        if (!lines.some((l) => l.startsWith('event:'))) continue;
        const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
        let event;
        try {
          event = JSON.parse(data);
        } catch (e) {
          problems.push(`${what}: an event's data is not JSON (${e.message}): ${block.slice(0, 300)}`);
          continue;
        }
        if (!validateEvent(event)) {
          const errors = validateEvent.errors.slice(0, 8).map((e) => `      ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
          problems.push(`${what}: an event does not match ${key} ${r.key}'s contentSchema:\n${errors.join('\n')}\n    event: ${block.slice(0, 400)}`);
        }
      }
      continue;
    }
    if (type !== 'application/json') continue; // e.g. text/plain: its type is all the description says
    let body;
    try {
      body = JSON.parse(a.body);
    } catch (e) {
      problems.push(`${what}: the body is not JSON (${e.message}): ${a.body.slice(0, 300)}`);
      continue;
    }
    const validate = validatorAt([...r.where, 'content', type, 'schema']);
    if (validate && !validate(body)) {
      const errors = validate.errors.slice(0, 8).map((e) => `      ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
      problems.push(`${what}: does not match ${key} ${r.key}:\n${errors.join('\n')}\n    body: ${a.body.slice(0, 400)}`);
    }
  }
}

if (problems.length) {
  console.error(`${problems.length} mismatch(es) between GPU Deck and ${specPath}:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`${operations.size} operations described${answersPath ? `, ${checked} answers valid` : ''}`);
