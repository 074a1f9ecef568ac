import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { PolicyPath, PolicyProblem } from './policy-error';

export interface ParsedYaml {
  /** The plain data, or undefined when the text has syntax errors. */
  data: unknown;
  /** Syntax errors, each with its line and column. */
  problems: PolicyProblem[];
  /** Line and column of the value at a path, or of its nearest enclosing value. */
  locate(path: PolicyPath): { line: number; column: number } | undefined;
}

// YAML 1.2 (the package default) reads NO, no, yes and on as text, which the
// jurisdiction code NO relies on. Merge keys (<<: *anchor) are enabled so that
// packs can share a template.
export function parseYamlText(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: PolicyProblem[] = doc.errors.map((error) => ({
    path: [],
    message: `YAML syntax error: ${error.message}`,
    ...position(error.pos[0]),
  }));
  if (problems.length === 0) {
    // The parser accepts an alias to an undefined anchor; converting it would fail without a position.
    visit(doc, {
      Alias(_, alias) {
        if (alias.resolve(doc) !== undefined) return;
        problems.push({
          path: [],
          message: `YAML error: the alias *${alias.source} refers to an anchor &${alias.source} that is not defined before it`,
          ...(alias.range ? position(alias.range[0]) : {}),
        });
      },
    });
  }
  const locate = (path: PolicyPath) => {
    const offset = nodeOffset(doc, path);
    return offset === undefined ? undefined : position(offset);
  };
  if (problems.length > 0) return { data: undefined, problems, locate };
  try {
    return { data: doc.toJS(), problems, locate };
  } catch (error) {
    // e.g. an alias to an anchor that is not defined, or aliases expanding too far
    const message = error instanceof Error ? error.message : String(error);
    return { data: undefined, problems: [{ path: [], message: `YAML error: ${message}` }], locate };
  }
}

function nodeOffset(doc: Document, path: PolicyPath): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}
