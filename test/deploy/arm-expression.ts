import { createHash } from 'node:crypto';

// A small parser and evaluator for ARM template expressions ("[...]"), enough
// to check our own templates offline: which parameters and variables each
// expression uses, and what resource IDs, names and app settings come out
// for a given set of parameter values. Functions that need Azure (reference,
// list*) evaluate to stand-in values.

export type Ast =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: Ast[] }
  | { kind: 'property'; target: Ast; name: string }
  | { kind: 'index'; target: Ast; index: Ast };

/** True for a JSON string that ARM treats as an expression ("[[" escapes a literal "["). */
export function isExpression(text: string): boolean {
  return text.startsWith('[') && text.endsWith(']') && !text.startsWith('[[');
}

/** Parses the text of an expression string, including its brackets. */
export function parseExpression(text: string): Ast {
  if (!isExpression(text)) throw new Error(`not an expression: ${text}`);
  const parser = new Parser(text.slice(1, -1));
  const ast = parser.expression();
  parser.skipSpace();
  if (!parser.atEnd()) throw new Error(`unexpected "${parser.rest()}" in ${text}`);
  return ast;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }
  rest(): string {
    return this.src.slice(this.pos, this.pos + 20);
  }
  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.src[this.pos]!)) this.pos += 1;
  }
  private expect(char: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== char) throw new Error(`expected "${char}" at "${this.rest()}" in [${this.src}]`);
    this.pos += 1;
  }

  expression(): Ast {
    let node = this.primary();
    for (;;) {
      this.skipSpace();
      const char = this.src[this.pos];
      if (char === '.') {
        this.pos += 1;
        node = { kind: 'property', target: node, name: this.identifier() };
      } else if (char === '[') {
        this.pos += 1;
        const index = this.expression();
        this.expect(']');
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  }

  private primary(): Ast {
    this.skipSpace();
    const char = this.src[this.pos];
    if (char === "'") return this.string();
    if (char !== undefined && /[-0-9]/.test(char)) {
      const match = /^-?[0-9]+/.exec(this.src.slice(this.pos));
      if (!match) throw new Error(`bad number at "${this.rest()}"`);
      this.pos += match[0].length;
      return { kind: 'number', value: Number(match[0]) };
    }
    const name = this.identifier();
    this.expect('(');
    const args: Ast[] = [];
    this.skipSpace();
    if (this.src[this.pos] === ')') {
      this.pos += 1;
      return { kind: 'call', name, args };
    }
    for (;;) {
      args.push(this.expression());
      this.skipSpace();
      const next = this.src[this.pos];
      this.pos += 1;
      if (next === ')') return { kind: 'call', name, args };
      if (next !== ',') throw new Error(`expected "," or ")" in call to ${name} at "${this.rest()}"`);
    }
  }

  private identifier(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (!match) throw new Error(`expected a name at "${this.rest()}" in [${this.src}]`);
    this.pos += match[0].length;
    return match[0];
  }

  private string(): Ast {
    this.pos += 1; // opening quote
    let value = '';
    for (;;) {
      if (this.atEnd()) throw new Error(`unterminated string in [${this.src}]`);
      const char = this.src[this.pos]!;
      this.pos += 1;
      if (char === "'") {
        if (this.src[this.pos] === "'") {
          value += "'";
          this.pos += 1;
        } else {
          return { kind: 'string', value };
        }
      } else {
        value += char;
      }
    }
  }
}

/** Every call node in the tree, depth first. */
export function calls(ast: Ast): Array<Extract<Ast, { kind: 'call' }>> {
  const found: Array<Extract<Ast, { kind: 'call' }>> = [];
  const visit = (node: Ast): void => {
    if (node.kind === 'call') {
      found.push(node);
      node.args.forEach(visit);
    } else if (node.kind === 'property') {
      visit(node.target);
    } else if (node.kind === 'index') {
      visit(node.target);
      visit(node.index);
    }
  };
  visit(ast);
  return found;
}

/** Every string in a JSON tree (values and object keys) with its path. */
export function strings(node: unknown, path = '$'): Array<{ path: string; text: string }> {
  if (typeof node === 'string') return [{ path, text: node }];
  if (Array.isArray(node)) return node.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) => [
      { path: `${path}{key ${key}}`, text: key },
      ...strings(value, `${path}.${key}`),
    ]);
  }
  return [];
}

// ---------------------------------------------------------------------------
// Evaluation

export interface Template {
  parameters?: Record<string, { type: string; defaultValue?: unknown; [k: string]: unknown }>;
  variables?: Record<string, unknown>;
  resources?: Array<Record<string, any>>;
  outputs?: Record<string, { type: string; value?: unknown; [k: string]: unknown }>;
  [k: string]: unknown;
}

const SUBSCRIPTION = '00000000-0000-0000-0000-00000000aaaa';
const RESOURCE_GROUP = 'rg-custodian-test';
const TENANT = '00000000-0000-0000-0000-00000000bbbb';

/** A value that stands in for reference(...): any property reads as a marker string. */
function referenceStandIn(id: string): unknown {
  return new Proxy(
    {},
    {
      get: (_target, prop) => (typeof prop === 'string' ? `<reference ${id}>.${prop}` : undefined),
    },
  );
}

function digest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export class Evaluator {
  private readonly paramCache = new Map<string, unknown>();
  private readonly varCache = new Map<string, unknown>();

  constructor(
    private readonly template: Template,
    private readonly values: Record<string, unknown>,
  ) {}

  /** Evaluates any JSON value: expression strings are computed, the rest recursively. */
  value(node: unknown): unknown {
    if (typeof node === 'string') return isExpression(node) ? this.evaluate(parseExpression(node)) : node.replace(/^\[\[/, '[');
    if (Array.isArray(node)) return node.map((item) => this.value(item));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) out[String(this.value(key))] = this.value(value);
      return out;
    }
    return node;
  }

  parameter(name: string): unknown {
    if (this.paramCache.has(name)) return this.paramCache.get(name);
    const declared = this.template.parameters?.[name];
    if (!declared) throw new Error(`parameter '${name}' is not declared`);
    let value: unknown;
    if (name in this.values) value = this.values[name];
    else if ('defaultValue' in declared) value = this.value(declared.defaultValue);
    else throw new Error(`parameter '${name}' has no value and no defaultValue`);
    this.paramCache.set(name, value);
    return value;
  }

  variable(name: string): unknown {
    if (this.varCache.has(name)) return this.varCache.get(name);
    if (!this.template.variables || !(name in this.template.variables)) throw new Error(`variable '${name}' is not declared`);
    const value = this.value(this.template.variables[name]);
    this.varCache.set(name, value);
    return value;
  }

  /** Resource ID of a resource declared in the template. */
  resourceIdOf(resource: Record<string, any>): string {
    const name = String(this.value(resource.name));
    const type = String(resource.type);
    if (resource.scope !== undefined) {
      const scope = String(this.value(resource.scope));
      const scopeId = scope.startsWith('/') ? scope : this.idFromRelative(scope);
      return `${scopeId}/providers/${type}/${name}`;
    }
    return this.buildId(type, name.split('/'));
  }

  private idFromRelative(relative: string): string {
    const parts = relative.split('/');
    const type = [parts[0], ...parts.slice(1).filter((_, i) => i % 2 === 0)].join('/');
    const names = parts.slice(1).filter((_, i) => i % 2 === 1);
    return this.buildId(type, names);
  }

  private buildId(type: string, names: string[], rgScoped = true): string {
    const [namespace, ...types] = type.split('/');
    const segments = types.map((t, i) => `${t}/${names[i] ?? '?'}`).join('/');
    const base = rgScoped ? `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}` : `/subscriptions/${SUBSCRIPTION}`;
    return `${base}/providers/${namespace}/${segments}`;
  }

  evaluate(ast: Ast): unknown {
    switch (ast.kind) {
      case 'string':
      case 'number':
        return ast.value;
      case 'property': {
        const target = this.evaluate(ast.target) as Record<string, unknown> | undefined;
        if (target === undefined || target === null) throw new Error(`cannot read .${ast.name} of nothing`);
        return target[ast.name];
      }
      case 'index': {
        const target = this.evaluate(ast.target) as Record<string, unknown>;
        return target[String(this.evaluate(ast.index))];
      }
      case 'call':
        return this.call(ast.name, ast.args);
    }
  }

  private call(name: string, argNodes: Ast[]): unknown {
    const fn = name.toLowerCase();
    if (fn === 'if') {
      // ARM evaluates only the branch that is taken.
      return this.evaluate(argNodes[0]!) ? this.evaluate(argNodes[1]!) : this.evaluate(argNodes[2]!);
    }
    const args = argNodes.map((node) => this.evaluate(node));
    const str = (i: number): string => String(args[i]);
    switch (fn) {
      case 'parameters':
        return this.parameter(str(0));
      case 'variables':
        return this.variable(str(0));
      case 'concat':
        return Array.isArray(args[0]) ? (args as unknown[][]).flat() : args.map(String).join('');
      case 'format':
        return str(0).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i) + 1]));
      case 'string':
        return typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
      case 'tolower':
        return str(0).toLowerCase();
      case 'toupper':
        return str(0).toUpperCase();
      case 'take':
        return (args[0] as string | unknown[]).slice(0, Number(args[1]));
      case 'empty':
        return (
          args[0] === '' ||
          args[0] === null ||
          args[0] === undefined ||
          (Array.isArray(args[0]) && args[0].length === 0) ||
          (typeof args[0] === 'object' && Object.keys(args[0] as object).length === 0)
        );
      case 'not':
        return !args[0];
      case 'and':
        return args.every(Boolean);
      case 'or':
        return args.some(Boolean);
      case 'equals':
        return JSON.stringify(args[0]) === JSON.stringify(args[1]);
      case 'true':
        return true;
      case 'false':
        return false;
      case 'replace':
        return str(0).split(str(1)).join(str(2));
      case 'uricomponent':
        return encodeURIComponent(str(0));
      case 'createarray':
        return args;
      case 'createobject': {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < args.length; i += 2) out[String(args[i])] = args[i + 1];
        return out;
      }
      case 'union':
        return Array.isArray(args[0]) ? [...new Set((args as unknown[][]).flat())] : Object.assign({}, ...args);
      case 'uniquestring':
        return digest(args)
          .replace(/[^a-z0-9]/g, '')
          .slice(0, 13);
      case 'guid': {
        const hex = digest(args);
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
      }
      case 'resourcegroup':
        return {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}`,
          name: RESOURCE_GROUP,
          location: 'westeurope',
        };
      case 'subscription':
        return { id: `/subscriptions/${SUBSCRIPTION}`, subscriptionId: SUBSCRIPTION, tenantId: TENANT };
      case 'environment':
        return { name: 'AzureCloud', suffixes: { keyvaultDns: '.vault.azure.net' } };
      case 'resourceid': {
        // Optional leading subscription and resource group arguments have no "/".
        const strs = args.map(String);
        const typeIndex = strs.findIndex((s) => s.includes('/'));
        return this.buildId(strs[typeIndex]!, strs.slice(typeIndex + 1));
      }
      case 'subscriptionresourceid':
        return this.buildId(str(0), args.slice(1).map(String), false);
      case 'extensionresourceid':
        return `${str(0)}/providers/${str(1)}/${args.slice(2).map(String).join('/')}`;
      case 'reference':
        return referenceStandIn(str(0));
      default:
        throw new Error(`the test evaluator does not know the ARM function ${name}()`);
    }
  }
}
