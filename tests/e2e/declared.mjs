// What the official clients declare, read from their own type declarations: per mittwald
// operation its statuses and answer types (@mittwald/api-client's generated types.d.ts), per
// Northflank call its result type (@northflank/js-client's api-client.d.ts), and a check of a
// JSON value against such a TypeScript type.
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../node_modules/${path}`, import.meta.url), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '');
const MITTWALD = read('@mittwald/api-client/dist/types/generated/v2/types.d.ts');
const NORTHFLANK = read('@northflank/js-client/dist/esm/api-client.d.ts');

/// The text between the brace that opens at or after `from` and its matching brace.
function block(text, from) {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

function namespace(text, name) {
  const at = text.search(new RegExp(`namespace ${name.replace(/\$/g, '\\$')} \\{`));
  if (at < 0) throw new Error(`no namespace ${name}`);
  return block(text, at);
}

/// A mittwald operation (a descriptor of @mittwald/api-client: {path, method}) as its types
/// declare it: every status it documents, the one success status, and each status' body type.
export function mittwaldOperation({ path, method }) {
  // "/v2/project-backups/{projectBackupId}/export" -> V2ProjectBackupsProjectBackupIdExport
  const name = path.split('/').filter(Boolean)
    .map((s) => s.replace(/[{}]/g, '').split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')).join('');
  const verb = method[0] + method.slice(1).toLowerCase();
  const responses = namespace(namespace(namespace(MITTWALD, name), verb), 'Responses');
  const statuses = [...responses.matchAll(/namespace \$(\d{3}) \{/g)].map((m) => Number(m[1]));
  const success = statuses.filter((s) => s >= 200 && s < 300);
  if (success.length !== 1) throw new Error(`${method} ${path}: success statuses ${success}`);
  const body = (status) => {
    const content = namespace(namespace(responses, `$${status}`), 'Content');
    const alias = content.match(/type ApplicationJson = ([\s\S]*?);\s*$/);
    if (alias) return parseType(alias[1], MITTWALD);
    const iface = content.search(/interface ApplicationJson \{/);
    return iface < 0 ? null : parseType(`{${block(content, iface)}}`, MITTWALD);
  };
  return { statuses, success: success[0], body: body(success[0]) };
}

/// The result type of a Northflank call by its declared name, e.g. `GetAddonBackupResult`.
export function northflankResult(name) {
  return parseType(name, NORTHFLANK);
}

// A TypeScript type as a tree: {kind: 'string' | 'number' | 'boolean' | 'any' | 'null' |
// 'literal' | 'array' | 'object' | 'union', ...}. Named types resolve lazily in their file.
function parseType(source, file) {
  const tokens = source.match(/'[^']*'|"[^"]*"|[A-Za-z_$][\w$.]*|\[\]|[{}()\[\]:;?|,&=<>]|-?\d+(\.\d+)?/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (t) => {
    if (t !== undefined && tokens[i] !== t) throw new Error(`expected ${t} at ${tokens.slice(i, i + 5).join(' ')}`);
    return tokens[i++];
  };
  function union() {
    if (peek() === '|') take();
    const options = [postfix()];
    while (peek() === '|') { take(); options.push(postfix()); }
    return options.length === 1 ? options[0] : { kind: 'union', options };
  }
  function postfix() {
    let t = primary();
    while (peek() === '[]') { take(); t = { kind: 'array', item: t }; }
    return t;
  }
  function primary() {
    const t = take();
    if (t === '{') return object();
    if (t === '(') { const inner = union(); take(')'); return inner; }
    if (/^['"]/.test(t)) return { kind: 'literal', value: t.slice(1, -1) };
    if (/^-?\d/.test(t)) return { kind: 'literal', value: Number(t) };
    if (['string', 'number', 'boolean', 'null'].includes(t)) return { kind: t };
    if (['any', 'unknown'].includes(t)) return { kind: 'any' };
    if (t === 'true' || t === 'false') return { kind: 'literal', value: t === 'true' };
    return named(t.split('.').pop(), file);
  }
  function object() {
    const members = {};
    let open = false;
    while (peek() !== '}') {
      if (peek() === '[') { // [k: string]: unknown
        while (take() !== ']');
        take(':'); union(); open = true;
      } else {
        const key = take().replace(/^['"]|['"]$/g, '');
        const optional = peek() === '?';
        if (optional) take();
        take(':');
        members[key] = { optional, type: union() };
      }
      if (peek() === ';' || peek() === ',') take();
    }
    take('}');
    return { kind: 'object', members, open };
  }
  const result = union();
  return result;
}

const cache = new Map();
function named(name, file) {
  const key = `${file === MITTWALD ? 'mw' : 'nf'}:${name}`;
  if (!cache.has(key)) {
    const slot = { kind: 'named', name, resolved: null };
    cache.set(key, slot);
    const iface = file.search(new RegExp(`interface ${name} \\{`));
    if (iface >= 0) {
      slot.resolved = parseType(`{${block(file, iface)}}`, file);
    } else {
      const alias = new RegExp(`\\btype ${name} = `).exec(file);
      if (!alias) throw new Error(`no type ${name}`);
      const rest = file.slice(alias.index + alias[0].length);
      // An object type spans lines with `;` inside: take it by its braces, then any `[]`.
      const text = rest.startsWith('{')
        ? `{${block(rest, 0)}}${rest.slice(block(rest, 0).length + 2).match(/^(\[\])*/)[0]}`
        : rest.slice(0, rest.indexOf(';'));
      slot.resolved = parseType(text, file);
    }
  }
  return cache.get(key);
}

/// Where `value` departs from `type`: a list of "path: problem", empty when it conforms.
export function departures(value, type, path = '$') {
  if (type.kind === 'named') return departures(value, type.resolved, path);
  const is = {
    any: () => true,
    null: () => value === null,
    string: () => typeof value === 'string',
    number: () => typeof value === 'number',
    boolean: () => typeof value === 'boolean',
    literal: () => value === type.value,
  }[type.kind];
  if (is) return is() ? [] : [`${path}: ${JSON.stringify(value)?.slice(0, 60)} is not ${type.kind === 'literal' ? JSON.stringify(type.value) : type.kind}`];
  if (type.kind === 'union') {
    const each = type.options.map((o) => departures(value, o, path));
    return each.some((d) => d.length === 0) ? [] : each.flat().slice(0, 4);
  }
  if (type.kind === 'array') {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    return value.flatMap((v, n) => departures(v, type.item, `${path}[${n}]`));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
  return Object.entries(type.members).flatMap(([key, member]) => {
    if (!(key in value)) return member.optional ? [] : [`${path}.${key}: missing`];
    return departures(value[key], member.type, `${path}.${key}`);
  });
}
