import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseYamlText } from './policies/yaml-text';
import type { AllowRule } from '../domain/drift-allow';
import { HELD_KINDS } from '../domain/drift-permission';

// The drift allow-list file (CUSTODIAN_DRIFT_ALLOWLIST_FILE): permissions that
// are expected, such as the delegates of a shared mailbox. Read at start-up;
// a bad file stops the bot with every problem named (entry, field, line).
//
//   version: 1
//   allow:
//     - mailbox: info@contoso.com      # an address, or "*" for any mailbox
//       grantee: "*"                   # an address, or "*" for anyone
//       permission: FullAccess         # FullAccess | SendAs | SendOnBehalf | Folder | "*" (default "*")
//       folder: Calendar               # Folder permissions only; any folder when absent
//       reason: Shared mailbox of the front desk; its delegates are managed by HR

export class AllowListFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The drift allow-list ${file} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'AllowListFileError';
  }
}

const address = z
  .string()
  .trim()
  .regex(/^(\*|[^@\s]+@[^@\s]+\.[^@\s]+)$/, 'must be an e-mail address or "*"');

const entrySchema = z
  .object({
    mailbox: address,
    grantee: address,
    permission: z.enum([...HELD_KINDS, '*'], { error: `must be one of ${[...HELD_KINDS, '*'].join(', ')}` }).default('*'),
    folder: z.string().trim().min(1, 'must not be empty').optional(),
    reason: z
      .string({ error: 'is required: say why this permission is expected' })
      .trim()
      .min(1, 'is required: say why this permission is expected'),
  })
  .strict();

const fileSchema = z
  .object({
    version: z.literal(1, { error: 'must be 1' }),
    allow: z.array(entrySchema, { error: 'must be a list of entries' }).default([]),
  })
  .strict();

/** The rules of an allow-list file; AllowListFileError naming every problem when it is bad. */
export function loadAllowListFile(file: string): AllowRule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AllowListFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const parsed = parseYamlText(text);
  if (parsed.problems.length > 0)
    throw new AllowListFileError(
      file,
      parsed.problems.map((problem) => `line ${problem.line ?? '?'}: ${problem.message}`),
    );
  const result = fileSchema.safeParse(parsed.data ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path
        .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
        .join('')
        .replace(/^\./, '');
      const at = parsed.locate(issue.path.map((part) => (typeof part === 'number' ? part : String(part))));
      const field =
        issue.code === 'unrecognized_keys'
          ? `${path || '(top level)'}: unknown field(s) ${issue.keys.join(', ')}`
          : `${path || '(top level)'} ${issue.message}`;
      return `${at ? `line ${at.line}: ` : ''}${field}`;
    });
    throw new AllowListFileError(file, problems);
  }
  return result.data.allow.map((entry, index) => ({
    mailbox: entry.mailbox.toLowerCase(),
    grantee: entry.grantee.toLowerCase(),
    kind: entry.permission,
    ...(entry.folder ? { folder: entry.folder } : {}),
    reason: entry.reason,
    source: `${file} allow[${index}]`,
  }));
}
