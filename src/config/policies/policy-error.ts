// What is wrong with a policy file, and the error that lists all of it.

export type PolicyPath = (string | number)[];

export interface PolicyProblem {
  /** Where in the file, from the top: ['jurisdictions', 'NO', 'approvals', 0, 'role']. */
  path: PolicyPath;
  /** What was expected and what was found. */
  message: string;
  /** 1-based position in the file, when known. */
  line?: number;
  column?: number;
}

export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';

  constructor(
    readonly source: string,
    readonly problems: PolicyProblem[],
  ) {
    super(describeProblems(source, problems));
  }
}

function describeProblems(source: string, problems: PolicyProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((problem) => `  - ${describeProblem(problem)}`);
  return [`Policy file ${source} is not valid (${count}):`, ...lines].join('\n');
}

/** "jurisdiction NO, field approvals[0].role (line 57): expected ..., found ..." */
export function describeProblem(problem: PolicyProblem): string {
  const where = [...describePlace(problem.path)];
  if (problem.line !== undefined) {
    where.push(problem.column !== undefined ? `line ${problem.line}, column ${problem.column}` : `line ${problem.line}`);
  }
  return where.length > 0 ? `${where.join(', ')}: ${problem.message}` : problem.message;
}

function describePlace(path: PolicyPath): string[] {
  const [section, entry, ...inside] = path;
  if ((section === 'jurisdictions' || section === 'roles') && entry !== undefined) {
    const owner = section === 'jurisdictions' ? `jurisdiction ${entry}` : `role ${entry}`;
    return inside.length > 0 ? [owner, `field ${formatPath(inside)}`] : [owner];
  }
  return path.length > 0 ? [`field ${formatPath(path)}`] : [];
}

/** approvals[0].role */
export function formatPath(path: PolicyPath): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text === '' ? part : `${text}.${part}`;
  }, '');
}
