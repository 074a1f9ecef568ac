import type { z } from 'zod';
import type { PolicyPath, PolicyProblem } from './policy-error';

/** Zod issues of one part of the file, placed under that part's path. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], under: PolicyPath): PolicyProblem[] {
  return issues.map((issue) => ({
    path: [...under, ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))],
    message: issue.message,
  }));
}
