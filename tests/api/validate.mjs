// validate.mjs - checks an HTTP answer of chitieu's API against docs/openapi.json with ajv.
//
// The document is OpenAPI 3.0: its schemas are JSON Schema plus `nullable`, which ajv 8
// understands natively.  For the check every object schema that lists its properties is closed
// (`additionalProperties: false`) unless it says otherwise, so a field the server sends and the
// document does not name is a failure, not silently accepted.  The answer's status must be
// documented for the operation (or fall under `default`), its Content-Type must be one the
// response lists, its body must match that media type's schema, and an error's code must go
// with the status (the `x-status` map beside the codes' enum).
//
// Usage: const v = makeValidator(doc); v.check(method, path, status, contentType, bodyText)
// returns { op, errors } (errors: [] when it matches; op: "GET /values" or null if undocumented);
// v.examples() checks the document's own examples the same way.
import Ajv from 'ajv';

// A copy of the document whose object schemas are closed (see above).
function closed(node) {
  if (Array.isArray(node)) return node.map(closed);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === 'example' || k === 'examples' ? v : closed(v);
  if (out.type === 'object' && out.properties && !('additionalProperties' in out))
    out.additionalProperties = false;
  return out;
}

// JSON pointer of a key, as a URI fragment piece.
const ptr = (s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));

export function makeValidator(doc) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addSchema(closed(doc), 'doc');
  const cache = new Map();
  const compiled = (ref) => {
    if (!cache.has(ref)) cache.set(ref, ajv.getSchema('doc#' + ref));
    return cache.get(ref);
  };
  // Documented paths as regular expressions ({id} matches one segment).
  const routes = Object.keys(doc.paths).map((p) => ({
    path: p,
    re: new RegExp('^' + p.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
  }));
  const deref = (o) => {
    while (o && o.$ref) o = o.$ref.slice(2).split('/').reduce((x, k) => x[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    return o;
  };

  function check(method, path, status, ctype, text) {
    const errors = [];
    const m = method.toLowerCase();
    const route = routes.find((r) => r.re.test(path));
    const op = route && doc.paths[route.path][m];
    const base = (ctype || '').split(';')[0].trim().toLowerCase();
    if (!op) {
      // An undocumented method on a path: the answer must still be a documented Error.
      if (base !== 'application/json') errors.push(`Content-Type ${ctype || '(none)'} of an error is not application/json`);
      else validate('/components/schemas/Error', text, errors);
      statusOfCode(status, text, errors);
      return { op: null, errors };
    }
    const opName = `${method.toUpperCase()} ${route.path}`;
    const key = String(status) in op.responses ? String(status) : 'default';
    const resp = deref(op.responses[key]);
    if (!resp) {
      errors.push(`status ${status} is not documented`);
      return { op: opName, errors };
    }
    const content = resp.content || {};
    if (Object.keys(content).length === 0) {
      if (text.length) errors.push(`status ${status} is documented without a body, but one came (${ctype})`);
      return { op: opName, errors };
    }
    const media = Object.keys(content).find((k) => k.toLowerCase() === base);
    if (!media) {
      errors.push(`Content-Type ${ctype || '(none)'} is not documented for ${status} (${Object.keys(content).join(', ')})`);
      return { op: opName, errors };
    }
    if (!content[media].schema) {
      errors.push(`${status} ${media} has no schema`);
      return { op: opName, errors };
    }
    const respPath = op.responses[key].$ref
      ? op.responses[key].$ref.slice(1)
      : `/paths/${ptr(route.path)}/${m}/responses/${key}`;
    validate(`${respPath}/content/${ptr(media)}/schema`, text, errors, media !== 'application/json');
    statusOfCode(status, text, errors);
    return { op: opName, errors };
  }

  // An error's code goes with one status (x-status of Error's code in the document).
  const codeStatus = doc.components.schemas.Error.properties.error.properties.code['x-status'] || {};
  function statusOfCode(status, text, errors) {
    let code;
    try {
      code = JSON.parse(text).error.code;
    } catch {
      return;
    }
    if (typeof code !== 'string') return;
    if (!(code in codeStatus)) errors.push(`error code ${code} has no status in Error's x-status`);
    else if (codeStatus[code] !== status) errors.push(`error code ${code} goes with status ${codeStatus[code]}, not ${status}`);
  }

  function validate(ref, text, errors, raw = false) {
    let body = text;
    if (!raw) {
      try {
        body = JSON.parse(text);
      } catch (e) {
        errors.push('the body is not JSON: ' + e.message);
        return;
      }
    }
    const fn = compiled(ref);
    if (!fn) {
      errors.push('no schema at ' + ref);
      return;
    }
    if (!fn(body))
      for (const e of fn.errors.slice(0, 8))
        errors.push(`${e.instancePath || '(body)'} ${e.message}${e.params && e.params.additionalProperty ? ': ' + e.params.additionalProperty : ''}${e.params && e.params.allowedValues ? ' ' + JSON.stringify(e.params.allowedValues) : ''}`);
  }

  // Every example of the document (schemas, request and response bodies) against its closed
  // schema: [{ where, errors }] for those that do not match.
  function examples() {
    const bad = [];
    const one = (where, ref, value) => {
      const errors = [];
      validate(ref, value, errors, true);
      if (errors.length) bad.push({ where, errors });
    };
    const mediaOf = (at, content) => {
      for (const [type, m] of Object.entries(content || {})) {
        if (!m.schema) continue;
        const ref = `${at}/content/${ptr(type)}/schema`;
        if ('example' in m) one(`${at} ${type}`, ref, m.example);
        for (const [name, x] of Object.entries(m.examples || {})) one(`${at} ${type} ${name}`, ref, deref(x).value);
      }
    };
    for (const [name, sch] of Object.entries(doc.components.schemas || {}))
      if ('example' in sch) one(`schema ${name}`, `/components/schemas/${ptr(name)}`, sch.example);
    for (const [name, r] of Object.entries(doc.components.responses || {})) mediaOf(`/components/responses/${ptr(name)}`, r.content);
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [m, op] of Object.entries(ops)) {
        const at = `/paths/${ptr(p)}/${m}`;
        if (op.requestBody && !op.requestBody.$ref) mediaOf(`${at}/requestBody`, op.requestBody.content);
        for (const [st, r] of Object.entries(op.responses || {})) if (!r.$ref) mediaOf(`${at}/responses/${st}`, r.content);
      }
    return bad;
  }

  return { check, examples };
}
