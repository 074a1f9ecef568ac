import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApprovalRequirement, JurisdictionPolicy, PolicySet, RoleDefinition, StepDefinition } from '../../domain/policy';
import { describeFound } from './describe-value';
import { PolicyFileError, type PolicyProblem } from './policy-error';
import { checkFile, checkJurisdiction, checkRoleHolders, checkRoleName, type RolesSeen } from './policy-checks';
import {
  jurisdictionEntrySchema,
  policyFileSchema,
  roleEntrySchema,
  validFieldsOf,
  type JurisdictionEntry,
  type RoleEntry,
} from './policy-schema';
import { parseYamlText } from './yaml-text';
import { problemsFromIssues } from './zod-problems';

/** Reads and validates a policy file; throws PolicyFileError naming the file and every problem. */
export function loadPolicies(filePath: string): PolicySet {
  const source = resolve(filePath);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    throw new PolicyFileError(source, [{ path: [], message: `cannot read the file: ${readFailure(error)}` }]);
  }
  return parsePolicies(text, source);
}

/** Validates policy YAML; `source` names it in messages. A whole valid PolicySet, or PolicyFileError. */
export function parsePolicies(yamlText: string, source: string): PolicySet {
  const parsed = parseYamlText(yamlText);
  if (parsed.problems.length > 0) throw new PolicyFileError(source, parsed.problems);

  const data = parsed.data;
  if (!isMapping(data)) {
    const found = data === null || data === undefined ? 'an empty file' : describeFound(data);
    throw new PolicyFileError(source, [
      { path: [], message: `expected a mapping with the fields version, roles and jurisdictions, found ${found}` },
    ]);
  }

  const problems: PolicyProblem[] = [];
  const top = policyFileSchema.safeParse(data);
  if (!top.success) problems.push(...problemsFromIssues(top.error.issues, []));

  const rawRoles = isMapping(data.roles) ? data.roles : {};
  const roles: RolesSeen = { names: Object.keys(rawRoles), valid: {}, readable: isMapping(data.roles) };
  for (const [name, raw] of Object.entries(rawRoles)) {
    problems.push(...checkRoleName(name));
    const role = roleEntrySchema.safeParse(raw);
    if (!role.success) {
      problems.push(...problemsFromIssues(role.error.issues, ['roles', name]));
      continue;
    }
    const holderProblems = checkRoleHolders(name, role.data);
    problems.push(...holderProblems);
    if (holderProblems.length === 0) roles.valid[name] = role.data;
  }

  const rawPacks = isMapping(data.jurisdictions) ? data.jurisdictions : {};
  const packs: Record<string, JurisdictionEntry> = {};
  for (const [code, raw] of Object.entries(rawPacks)) {
    const pack = jurisdictionEntrySchema.safeParse(raw);
    if (!pack.success) {
      problems.push(...problemsFromIssues(pack.error.issues, ['jurisdictions', code]));
      problems.push(...checkJurisdiction(code, validFieldsOf(raw), roles));
      continue;
    }
    problems.push(...checkJurisdiction(code, pack.data, roles));
    packs[code] = pack.data;
  }

  const fallback = top.success ? top.data.fallback : undefined;
  // When roles or jurisdictions are not mappings at all, the schema has said so already.
  problems.push(
    ...checkFile(roles.readable ? roles : undefined, isMapping(data.jurisdictions) ? Object.keys(rawPacks) : undefined, fallback),
  );

  if (problems.length > 0 || !top.success) {
    throw new PolicyFileError(
      source,
      inFileOrder(problems, (path) => parsed.locate(path)),
    );
  }
  return {
    source,
    roles: Object.fromEntries(Object.entries(roles.valid).map(([name, role]) => [name, toRole(name, role)])),
    jurisdictions: Object.fromEntries(Object.entries(packs).map(([code, pack]) => [code, toPolicy(code, pack)])),
    ...(fallback !== undefined && { fallback }),
    ...(top.data.separationOfDuties?.alsoRefuse.length && {
      separationOfDuties: { alsoRefuse: [...new Set(top.data.separationOfDuties.alsoRefuse)] },
    }),
  };
}

function toRole(name: string, role: RoleEntry): RoleDefinition {
  return {
    name,
    ...(role.description !== undefined && { description: role.description }),
    members: [...new Set(role.members ?? [])],
    ...(role.group !== undefined && { groupId: role.group }),
  };
}

function toPolicy(code: string, pack: JurisdictionEntry): JurisdictionPolicy {
  const steps = pack.steps.map((step): StepDefinition => ({
    id: step.id,
    kind: step.kind,
    label: step.label,
    ...(step.target !== undefined && { target: step.target }),
    ...(step.withholdable === true && { withholdable: true }),
  }));
  return {
    code,
    name: pack.name,
    accessLevels: [...pack.accessLevels],
    minDurationMinutes: pack.minDuration,
    maxDurationMinutes: pack.maxDuration,
    defaultDurationMinutes: pack.defaultDuration,
    ticketPattern: pack.ticketPattern,
    ticketExample: pack.ticketExample,
    pendingTtlMinutes: pack.pendingTtl,
    reminderBeforeMinutes: pack.reminderBefore,
    legalBases: pack.legalBases.map((basis) => ({ id: basis.id, label: basis.label })),
    approvals: pack.approvals.map(toRequirement),
    steps,
    // The file says it once: a pack has an after-access notice when it lists that step.
    afterAccessNotice: steps.some((step) => step.kind === 'after-access-notice'),
    requireMailboxAudit: pack.requireMailboxAudit,
    conflictOfInterestApprovals: pack.conflictOfInterestApprovals,
    extensions: {
      allowed: pack.extensions.allowed,
      // Without its own limit, a grant extended stays within the pack's longest grant.
      maxTotalMinutes: pack.extensions.maxTotalDuration ?? pack.maxDuration,
      ...(pack.extensions.approvals && { approvals: pack.extensions.approvals.map(toRequirement) }),
    },
  };
}

function toRequirement(approval: JurisdictionEntry['approvals'][number]): ApprovalRequirement {
  return {
    role: approval.role,
    count: approval.count,
    ...(approval.afterSteps?.length && { afterSteps: [...approval.afterSteps] }),
  };
}

/** Problems sorted by where they are in the file, each with its line when it can be found. */
function inFileOrder(problems: PolicyProblem[], locate: ReturnType<typeof parseYamlText>['locate']): PolicyProblem[] {
  const placed = problems.map((problem) => ({ ...locate(problem.path), ...problem }));
  return placed
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.index - b.index)
    .map(({ problem }) => problem);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
