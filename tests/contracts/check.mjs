// Checks recorded exchanges (a request the core built, the simulator's answer) against the
// providers' published contracts in this directory: the operation for the method and path, its
// path and query parameters, token header and body, and the answer's status, headers and body.
// Objects are checked closed: a key the contract does not name is a difference too.

import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

export const PROVIDERS = ['serveravatar', 'northflank', 'mittwald'];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function loadContract(provider) {
  const url = new URL(`./${provider}/openapi.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

/// `{name}` segments of a path template become `{}`, so templates compare by shape.
export const shape = (template) => template.replace(/\{[^}]+\}/g, '{}');

/// Every `$ref` made absolute (`<provider>#/...`), and every object schema with properties and no
/// word on others closed, in a copy of `doc`.
function prepare(provider, doc) {
  const walk = (value) => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = key === '$ref' && typeof child === 'string' && child.startsWith('#') ? `${provider}${child}` : walk(child);
    }
    const isObjectSchema = out.type === 'object' && out.properties && typeof out.properties === 'object';
    if (isObjectSchema && !('additionalProperties' in out)) out.additionalProperties = false;
    return out;
  };
  return walk(doc);
}

export class Contracts {
  constructor(providers = PROVIDERS) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    // OpenAPI's `url` is no JSON Schema format; ajv-formats' legacy one refuses loopback hosts.
    this.ajv.addFormat('url', this.ajv.formats.uri);
    this.docs = {};
    this.operations = {};
    for (const provider of providers) {
      const doc = prepare(provider, loadContract(provider));
      this.docs[provider] = doc;
      this.ajv.addSchema({ ...doc, $id: provider });
      this.operations[provider] = [];
      for (const [template, item] of Object.entries(doc.paths)) {
        for (const method of METHODS) {
          if (!item[method]) continue;
          const parameters = [...(item.parameters ?? []), ...(item[method].parameters ?? [])].map((p) => this.deref(provider, p));
          this.operations[provider].push({
            provider,
            method: method.toUpperCase(),
            template,
            segments: template.split('/').filter(Boolean),
            op: item[method],
            parameters,
          });
        }
      }
    }
  }

  deref(provider, value) {
    let seen = 0;
    while (value && typeof value.$ref === 'string' && seen++ < 10) {
      const [id, pointer] = value.$ref.split('#');
      const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      value = parts.reduce((node, key) => node?.[key], this.docs[id || provider]);
    }
    return value;
  }

  /// The operation a method and path (under the provider's base) reach, and the path parameters.
  match(provider, method, path) {
    const segments = path.split('/').filter(Boolean);
    let best = null;
    for (const candidate of this.operations[provider] ?? []) {
      if (candidate.method !== method || candidate.segments.length !== segments.length) continue;
      const params = {};
      let literal = 0;
      const fits = candidate.segments.every((seg, i) => {
        const param = /^\{(.+)\}$/.exec(seg);
        if (param) {
          params[param[1]] = decodeURIComponent(segments[i]);
          return true;
        }
        literal += 1;
        return seg === segments[i];
      });
      if (fits && (!best || literal > best.literal)) best = { ...candidate, params, literal };
    }
    return best;
  }

  validate(schema, value) {
    const check = this.ajv.compile(schema);
    if (check(value)) return [];
    return check.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ''}`);
  }

  /// A parameter's text as the JSON value its schema describes (query strings and headers are text).
  coerce(provider, schema, text) {
    const s = this.deref(provider, schema) ?? {};
    if ((s.type === 'integer' || s.type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (s.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
    return text;
  }

  /// Problems of a request against its operation: parameters, token header, body.
  checkRequest(provider, operation, request) {
    const problems = [];
    for (const p of operation.parameters.filter((p) => p.in === 'path')) {
      const value = operation.params[p.name];
      if (p.schema) problems.push(...this.validate(p.schema, value).map((e) => `path parameter ${p.name}: ${e}`));
    }
    const query = new URLSearchParams(request.query ?? '');
    const declared = operation.parameters.filter((p) => p.in === 'query');
    for (const name of new Set(query.keys())) {
      const p = declared.find((d) => d.name === name);
      if (!p) {
        problems.push(`query parameter ${name} is not in the contract`);
        continue;
      }
      for (const text of query.getAll(name)) {
        const value = this.coerce(provider, p.schema, text);
        problems.push(...this.validate(p.schema ?? {}, value).map((e) => `query ${name}=${text}: ${e}`));
      }
    }
    for (const p of declared.filter((d) => d.required && !query.has(d.name))) {
      problems.push(`required query parameter ${p.name} is missing`);
    }
    const headers = lower(request.headers);
    const requirements = operation.op.security ?? this.docs[provider].security ?? [];
    const schemes = this.docs[provider].components?.securitySchemes ?? {};
    const satisfied = (requirement) =>
      Object.keys(requirement).every((name) => {
        const scheme = schemes[name];
        if (!scheme) return false;
        if (scheme.type === 'apiKey' && scheme.in === 'header') return Boolean(headers[scheme.name.toLowerCase()]);
        if (scheme.type === 'http' && scheme.scheme === 'bearer') return /^Bearer \S+$/.test(headers.authorization ?? '');
        return false;
      });
    if (requirements.length && !requirements.some(satisfied)) {
      problems.push(`no token header the contract names (${requirements.flatMap(Object.keys).join(' or ')})`);
    }
    const body = operation.op.requestBody ? this.deref(provider, operation.op.requestBody) : null;
    const sent = request.body !== null && request.body !== undefined && request.body !== '';
    if (!body && sent) problems.push('a body is sent, but the operation takes none');
    if (body?.required && !sent) problems.push('the required body is missing');
    if (body && sent) {
      const schema = body.content?.['application/json']?.schema;
      if (!/^application\/json\b/.test(headers['content-type'] ?? '')) problems.push('the body is not sent as application/json');
      let json;
      try {
        json = JSON.parse(request.body);
      } catch {
        problems.push('the body is not JSON');
      }
      if (schema && json !== undefined) problems.push(...this.validate(schema, json).map((e) => `body ${e}`));
    }
    return problems;
  }

  /// The documented answer for a status: its own entry, else `default`.
  responseFor(provider, operation, status) {
    const responses = operation.op.responses ?? {};
    const entry = responses[String(status)] ?? responses.default;
    return entry ? this.deref(provider, entry) : null;
  }

  /// Problems of an answer against its operation: status, headers, body.
  checkResponse(provider, operation, response) {
    const documented = this.responseFor(provider, operation, response.status);
    if (!documented) return [`status ${response.status} is not documented (${Object.keys(operation.op.responses ?? {}).join(', ')})`];
    const problems = [];
    const headers = lower(response.headers);
    for (const [name, spec] of Object.entries(documented.headers ?? {})) {
      const header = this.deref(provider, spec);
      const value = headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`header ${name} is missing`);
        continue;
      }
      const typed = this.coerce(provider, header.schema, value);
      problems.push(...this.validate(header.schema ?? {}, typed).map((e) => `header ${name}: ${value}: ${e}`));
    }
    const schema = documented.content?.['application/json']?.schema;
    if (!documented.content) {
      if (response.body !== null && response.body !== '') problems.push('a body is sent where the contract documents none');
    } else if (schema) {
      if (!/^application\/json\b/.test(headers['content-type'] ?? '')) problems.push('the answer is not application/json');
      if (typeof response.body === 'string') problems.push('the body is not JSON');
      else problems.push(...this.validate(schema, response.body).map((e) => `body ${e}`));
    }
    return problems;
  }
}

function lower(headers) {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}
