import { z } from 'zod';
import { OPTIONAL_SOD_PARTS } from '../../domain/separation-of-duties';
import { ACCESS_LEVELS, type StepKind } from '../../domain/types';
import { describeFound, listWords } from './describe-value';
import { DURATION_FORMAT, fileDurationMinutes } from './file-duration';
import { didYouMean } from './suggest';

// The YAML format of bot/policies.yaml, field by field. Every field says what
// it expects so that a bad file gets "expected X, found Y" messages. Checks
// that compare fields with each other live in policy-checks.ts.

export const POLICY_FORMAT_VERSION = 1;

export const ROLE_NAME = /^[a-z][a-z0-9-]{0,31}$/;
export const ROLE_NAME_WORDS = 'a role name of lower-case letters, digits and dashes, like "hr" or "it-security"';

/** Two or three letters (a country such as NO, a region such as EU) or a longer word such as GLOBAL. */
export const JURISDICTION_CODE = /^(?:[A-Z]{2,3}|[A-Z][A-Z0-9_]{3,19})$/;
export const JURISDICTION_CODE_WORDS = 'an upper-case code: 2-3 letters like NO or EU, or a word of 4-20 capitals, digits or _ like GLOBAL';

/** The notify target that means the mailbox owner; it cannot be a role name. */
export const EMPLOYEE_TARGET = 'employee';

export const STEP_KINDS = ['notify', 'attest', 'after-access-notice'] as const satisfies readonly StepKind[];
// Fails to compile when StepKind gains a kind the file format does not know.
const everyStepKindListed: Record<StepKind, true> = { notify: true, attest: true, 'after-access-notice': true };
void everyStepKindListed;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_WORDS = 'an Entra object ID (GUID like a0000000-0000-4000-8000-000000000001)';
const ID = /^[a-z][a-z0-9-]{0,39}$/;
const ID_WORDS = 'an id of lower-case letters, digits and dashes, like "notify-hr"';

/** Error option for a schema: "expected <what>, found <the value>". */
function expecting(what: string) {
  return { error: (issue: { input?: unknown }) => `expected ${what}, found ${describeFound(issue.input)}` };
}

/** A mapping with exactly these fields: unknown fields are reported one by one, with a suggestion. */
function fields<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.looseObject(shape, expecting(`a mapping with the fields ${listWords(allowed)}`)).superRefine(
    (value, ctx) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      for (const key of Object.keys(value)) {
        if (allowed.includes(key)) continue;
        const hint = didYouMean(key, allowed);
        ctx.addIssue({
          code: 'custom',
          path: [key],
          input: value[key],
          message: `unknown field "${key}"${hint}; expected one of ${allowed.join(', ')}`,
        });
      }
    },
    // Run even when a known field is wrong, so that every problem is listed at once.
    { when: () => true },
  );
}

function text(what: string) {
  return z.string(expecting(what)).trim().min(1, expecting(what));
}

function pattern(regex: RegExp, what: string) {
  return z.string(expecting(what)).regex(regex, expecting(what));
}

function wholeNumber(minimum: number) {
  const what = `a whole number of at least ${minimum}`;
  return z.number(expecting(what)).int(expecting(what)).min(minimum, expecting(what));
}

/** A duration in the file's format, converted to minutes. */
function duration(options: { allowZero: boolean }) {
  const what = options.allowZero ? `${DURATION_FORMAT}, or 0m for none` : DURATION_FORMAT;
  return z.unknown().transform((value, ctx) => {
    const minutes = typeof value === 'string' ? fileDurationMinutes(value, options.allowZero) : null;
    if (minutes === null) {
      ctx.addIssue({ code: 'custom', input: value, message: `expected ${what}, found ${describeFound(value)}` });
      return z.NEVER;
    }
    return minutes;
  });
}

const guid = pattern(GUID, GUID_WORDS).transform((id) => id.toLowerCase());

export const roleEntrySchema = fields({
  description: text('a short description').optional(),
  members: z.array(guid, expecting(`a list of ${GUID_WORDS}s`)).optional(),
  group: guid.optional(),
});
export type RoleEntry = z.output<typeof roleEntrySchema>;

const legalBasisSchema = fields({
  id: pattern(ID, ID_WORDS),
  label: text('the text shown to the requester'),
});

const approvalSchema = fields({
  role: pattern(ROLE_NAME, ROLE_NAME_WORDS),
  count: wholeNumber(1),
  afterSteps: z.array(pattern(ID, ID_WORDS), expecting('a list of step ids of this pack')).optional(),
});

/** Whether an active grant may be extended, how long in total, and who approves (default: the pack's approvals). */
const extensionsSchema = fields({
  allowed: z.boolean(expecting('true or false')),
  maxTotalDuration: duration({ allowZero: false }).optional(),
  approvals: z
    .array(approvalSchema, expecting('a list of approvals (role and count)'))
    .min(1, expecting('at least one approval (role and count)'))
    .optional(),
});

const stepSchema = fields({
  id: pattern(ID, ID_WORDS),
  kind: z.enum(STEP_KINDS, expecting(`one of ${STEP_KINDS.join(', ')}`)),
  label: text('the text shown on the request card'),
  target: text(`a role name, "${EMPLOYEE_TARGET}" or an e-mail address`).optional(),
  withholdable: z.boolean(expecting('true or false')).optional(),
});
export type StepEntry = z.output<typeof stepSchema>;

export const jurisdictionEntrySchema = fields({
  name: text('the name shown to requesters, like "Norway"'),
  accessLevels: z
    .array(z.enum(ACCESS_LEVELS, expecting(`one of ${ACCESS_LEVELS.join(', ')}`)), expecting('a list of access levels'))
    .min(1, expecting(`a list with at least one of ${ACCESS_LEVELS.join(', ')}`)),
  minDuration: duration({ allowZero: false }),
  defaultDuration: duration({ allowZero: false }),
  maxDuration: duration({ allowZero: false }),
  pendingTtl: duration({ allowZero: false }),
  reminderBefore: duration({ allowZero: true }).default(0),
  ticketPattern: text('a regular expression for ticket IDs, in single quotes'),
  ticketExample: text('a ticket ID that matches ticketPattern'),
  legalBases: z.array(legalBasisSchema, expecting('a list of legal bases (id and label)')).default([]),
  approvals: z
    .array(approvalSchema, expecting('a list of approvals (role and count)'))
    .min(1, expecting('at least one approval (role and count)')),
  steps: z.array(stepSchema, expecting('a list of steps (id, kind, label, ...)')).default([]),
  requireMailboxAudit: z.boolean(expecting('true or false')).default(true),
  conflictOfInterestApprovals: wholeNumber(0).default(0),
  extensions: extensionsSchema.default({ allowed: false }),
});
export type JurisdictionEntry = z.output<typeof jurisdictionEntrySchema>;

/** The fields of a pack that are valid on their own, so that checks between them can still run. */
export function validFieldsOf(raw: unknown): Partial<JurisdictionEntry> {
  const valid: Record<string, unknown> = {};
  const input = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  for (const [field, schema] of Object.entries(jurisdictionEntrySchema.shape)) {
    const result = schema.safeParse(input[field]);
    if (result.success) valid[field] = result.data;
  }
  return valid;
}

const entries = (what: string) => z.record(z.string(), z.unknown(), expecting(what));

/** Who else may never judge a matter, besides its requester, grantee, mailbox owner and (reviews) approvers. */
export const separationOfDutiesSchema = fields({
  alsoRefuse: z
    .array(
      z.enum(OPTIONAL_SOD_PARTS, expecting(listWords([...OPTIONAL_SOD_PARTS]))),
      expecting(`a list of ${listWords([...OPTIONAL_SOD_PARTS])}`),
    )
    .default([]),
});

/** The top of the file; roles and jurisdictions are checked entry by entry. */
export const policyFileSchema = fields({
  version: z.literal(POLICY_FORMAT_VERSION, expecting(`${POLICY_FORMAT_VERSION} (the version of this file format)`)),
  roles: entries('a mapping of role names to roles'),
  jurisdictions: entries('a mapping of jurisdiction codes to policy packs'),
  fallback: pattern(JURISDICTION_CODE, `${JURISDICTION_CODE_WORDS} naming a pack of this file`).optional(),
  separationOfDuties: separationOfDutiesSchema.optional(),
});
export type PolicyFileTop = z.output<typeof policyFileSchema>;
