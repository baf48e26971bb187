// Checks an MCP tools/list answer and tool results with ajv (JSON Schema 2020-12, strict mode, ajv-formats):
//  - every tool's inputSchema and outputSchema compiles, and both are of type object;
//  - every "calls" entry {tool, arguments, structuredContent?} has arguments valid against the tool's inputSchema
//    and, when given, structuredContent valid against its outputSchema.
// Usage: node validate_tools.mjs <tests/tools dir> <input.json>. Prints every problem; exit 1 when there is one.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const [toolsDir, inputPath] = process.argv.slice(2);
const require = createRequire(`${toolsDir}/package.json`);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');

const input = JSON.parse(readFileSync(inputPath, 'utf8'));
// ajv's defaults (what MCP clients use): unknown keywords and formats are errors; union types are valid 2020-12.
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
addFormats(ajv);

const problems = [];
const compiled = new Map();
const names = new Set();
for (const tool of input.tools) {
  if (names.has(tool.name)) problems.push(`${tool.name}: the name is used twice`);
  names.add(tool.name);
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(tool.name)) problems.push(`${tool.name}: not a valid tool name`);
  const entry = {};
  for (const which of ['inputSchema', 'outputSchema']) {
    const schema = tool[which];
    if (!schema || schema.type !== 'object') {
      problems.push(`${tool.name}: ${which} is not of type object`);
      continue;
    }
    try {
      entry[which] = ajv.compile(schema);
    } catch (e) {
      problems.push(`${tool.name}: ${which} is not a valid JSON Schema: ${e.message}`);
    }
  }
  compiled.set(tool.name, entry);
}

for (const call of input.calls ?? []) {
  const entry = compiled.get(call.tool);
  if (!entry) {
    problems.push(`${call.tool}: called, but not in tools/list`);
    continue;
  }
  if (entry.inputSchema && !entry.inputSchema(call.arguments ?? {})) {
    problems.push(`${call.tool}: arguments ${JSON.stringify(call.arguments)} do not match the inputSchema: ` +
                  ajv.errorsText(entry.inputSchema.errors));
  }
  if ('structuredContent' in call && entry.outputSchema && !entry.outputSchema(call.structuredContent)) {
    problems.push(`${call.tool}: structuredContent does not match the outputSchema: ` +
                  `${ajv.errorsText(entry.outputSchema.errors)}\n  ${JSON.stringify(call.structuredContent).slice(0, 600)}`);
  }
}

for (const p of problems) console.log(p);
console.log(`${input.tools.length} tools, ${(input.calls ?? []).length} calls checked, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
