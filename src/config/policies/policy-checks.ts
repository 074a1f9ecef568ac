import { formatDuration } from '../../domain/duration';
import { ROLE_ADMIN, ROLE_SECURITY } from '../../domain/policy';
import { describeFound, listWords } from './describe-value';
import type { PolicyPath, PolicyProblem } from './policy-error';
import { didYouMean } from './suggest';
import {
  EMPLOYEE_TARGET,
  JURISDICTION_CODE,
  JURISDICTION_CODE_WORDS,
  ROLE_NAME,
  ROLE_NAME_WORDS,
  type JurisdictionEntry,
  type RoleEntry,
  type StepEntry,
} from './policy-schema';

// Checks that compare fields with each other or with other parts of the file.
// They run on every part that passed its own schema, so that one bad pack does
// not hide the problems of another.

/** Access is meant to be short-lived; a longer value is almost certainly a typo (8d for 8h). */
export const LONGEST_DURATION_MINUTES = 30 * 24 * 60;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The roles of the file: every name written under roles, and the entries that were valid. */
export interface RolesSeen {
  names: string[];
  valid: Record<string, RoleEntry>;
  /** False when `roles` itself is missing or not a mapping: references to roles are then not checked. */
  readable: boolean;
}

function isRole(roles: RolesSeen, name: string): boolean {
  return !roles.readable || roles.names.includes(name);
}

/** The name of a role, checked whatever its entry looks like. */
export function checkRoleName(name: string): PolicyProblem[] {
  if (!ROLE_NAME.test(name)) {
    return [{ path: ['roles', name], message: `expected ${ROLE_NAME_WORDS}, found ${describeFound(name)}` }];
  }
  if (name === EMPLOYEE_TARGET) {
    const why = 'it means the mailbox owner in notify steps';
    return [{ path: ['roles', name], message: `expected a role name other than "${EMPLOYEE_TARGET}" (${why}), found "${name}"` }];
  }
  return [];
}

export function checkRoleHolders(name: string, role: RoleEntry): PolicyProblem[] {
  if ((role.members ?? []).length > 0 || role.group !== undefined) return [];
  return [
    {
      path: ['roles', name],
      message: 'expected members (a list of Entra object IDs) and/or group (a group object ID), found neither',
    },
  ];
}

/** Checks between the fields of a pack; fields that were not valid on their own are skipped. */
export function checkJurisdiction(code: string, pack: Partial<JurisdictionEntry>, roles: RolesSeen): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const problem: Report = (path, message) => problems.push({ path: ['jurisdictions', code, ...path], message });

  checkDurations(pack, problem);
  checkTicket(pack, problem);
  if (pack.accessLevels) checkUnique(pack.accessLevels, (i) => ['accessLevels', i], 'each access level once', problem);
  if (pack.legalBases) {
    checkUnique(
      pack.legalBases.map((basis) => basis.id),
      (i) => ['legalBases', i, 'id'],
      'a unique id',
      problem,
    );
  }
  if (pack.approvals) checkApprovals(pack.approvals, roles, problem);
  if (pack.approvals && pack.steps) checkAfterSteps(pack.approvals, pack.steps, problem);
  if (pack.extensions?.approvals)
    checkApprovals(pack.extensions.approvals, roles, (path, message) => problem(['extensions', ...path], message));
  const longest = pack.extensions?.maxTotalDuration;
  if (longest !== undefined && longest > LONGEST_DURATION_MINUTES)
    problem(
      ['extensions', 'maxTotalDuration'],
      `expected at most ${formatDuration(LONGEST_DURATION_MINUTES)}, found ${formatDuration(longest)}`,
    );
  if (pack.steps) checkSteps(pack.steps, roles, problem);
  return problems;
}

type Report = (path: PolicyPath, message: string) => void;

function checkDurations(pack: Partial<JurisdictionEntry>, problem: Report): void {
  const shown = formatDuration;
  const { minDuration: min, defaultDuration: initial, maxDuration: max, pendingTtl, reminderBefore } = pack;
  for (const field of ['maxDuration', 'pendingTtl'] as const) {
    const value = pack[field];
    if (value !== undefined && value > LONGEST_DURATION_MINUTES) {
      problem([field], `expected at most ${shown(LONGEST_DURATION_MINUTES)}, found ${shown(value)}`);
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    problem(['minDuration'], `expected at most maxDuration (${shown(max)}), found ${shown(min)}`);
  } else if (initial !== undefined && min !== undefined && initial < min) {
    problem(['defaultDuration'], `expected at least minDuration (${shown(min)}), found ${shown(initial)}`);
  } else if (initial !== undefined && max !== undefined && initial > max) {
    problem(['defaultDuration'], `expected at most maxDuration (${shown(max)}), found ${shown(initial)}`);
  }
  if (reminderBefore !== undefined && pendingTtl !== undefined && reminderBefore >= pendingTtl) {
    problem(
      ['reminderBefore'],
      `expected less than pendingTtl (${shown(pendingTtl)}), or 0m for no reminder, found ${shown(reminderBefore)}`,
    );
  }
}

function checkTicket(pack: Partial<JurisdictionEntry>, problem: Report): void {
  if (pack.ticketPattern === undefined) return;
  let ticket: RegExp;
  try {
    // Anchored: the whole ticket ID must match, not a part of it.
    ticket = new RegExp(`^(?:${pack.ticketPattern})$`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    problem(['ticketPattern'], `expected a valid regular expression, found ${describeFound(pack.ticketPattern)} (${reason})`);
    return;
  }
  if (pack.ticketExample !== undefined && !ticket.test(pack.ticketExample)) {
    problem(
      ['ticketExample'],
      `expected a ticket ID that matches ticketPattern ${pack.ticketPattern}, found ${describeFound(pack.ticketExample)}`,
    );
  }
}

function checkUnique(values: readonly string[], pathOf: (index: number) => PolicyPath, what: string, problem: Report) {
  const firstIndex = new Map<string, number>();
  values.forEach((value, index) => {
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, index);
    else problem(pathOf(index), `expected ${what}, found "${value}" again (first at position ${first + 1})`);
  });
}

function checkApprovals(approvals: JurisdictionEntry['approvals'], roles: RolesSeen, problem: Report): void {
  const approvalRoles = approvals.map((approval) => approval.role);
  checkUnique(approvalRoles, (i) => ['approvals', i, 'role'], 'each role once (raise its count instead)', problem);
  approvals.forEach((approval, index) => {
    if (!isRole(roles, approval.role)) {
      problem(
        ['approvals', index, 'role'],
        `expected a role defined under roles (${listRoles(roles)}), found "${approval.role}"${didYouMean(approval.role, roles.names)}`,
      );
      return;
    }
    const role = roles.valid[approval.role];
    const members = role?.members?.length ?? 0;
    if (role && role.group === undefined && approval.count > members) {
      problem(
        ['approvals', index, 'count'],
        `expected at most ${members} (role ${approval.role} lists ${members} member(s) and no group), found ${approval.count}`,
      );
    }
  });
}

/** A role that waits for steps must name steps of this pack that happen before the grant. */
function checkAfterSteps(approvals: JurisdictionEntry['approvals'], steps: StepEntry[], problem: Report): void {
  const before = steps.filter((step) => step.kind !== 'after-access-notice').map((step) => step.id);
  approvals.forEach((approval, index) => {
    (approval.afterSteps ?? []).forEach((stepId, position) => {
      if (before.includes(stepId)) return;
      problem(
        ['approvals', index, 'afterSteps', position],
        `expected the id of a notify or attest step of this pack (${before.join(', ') || 'it has none'}), found "${stepId}"`,
      );
    });
  });
}

function checkSteps(steps: StepEntry[], roles: RolesSeen, problem: Report): void {
  checkUnique(
    steps.map((step) => step.id),
    (i) => ['steps', i, 'id'],
    'a unique step id',
    problem,
  );
  const afterNotices = steps.flatMap((step, index) => (step.kind === 'after-access-notice' ? [index] : []));
  afterNotices.slice(1).forEach((index) => {
    problem(['steps', index, 'kind'], 'expected at most one after-access-notice step, found another one');
  });
  steps.forEach((step, index) => {
    checkStepTarget(step, roles, (path, message) => problem(['steps', index, ...path], message));
    if (step.withholdable === true) {
      checkWithholdable(step, afterNotices.length > 0, (path, message) => problem(['steps', index, ...path], message));
    }
  });
}

function checkStepTarget(step: StepEntry, roles: RolesSeen, problem: Report): void {
  const target = step.target;
  if (step.kind === 'notify') {
    const known = target !== undefined && (isRole(roles, target) || target === EMPLOYEE_TARGET || EMAIL.test(target));
    if (!known) {
      problem(
        ['target'],
        `expected a role defined under roles (${listRoles(roles)}), "${EMPLOYEE_TARGET}" or an e-mail address, found ${describeFound(target)}` +
          (target ? didYouMean(target, [...roles.names, EMPLOYEE_TARGET]) : ''),
      );
    }
  } else if (step.kind === 'attest') {
    if (target === undefined || !isRole(roles, target)) {
      problem(
        ['target'],
        `expected the role that attests, one of ${listRoles(roles)}, found ${describeFound(target)}` +
          (target ? didYouMean(target, roles.names) : ''),
      );
    }
  } else if (target !== undefined) {
    problem(['target'], `expected no target (the after-access notice always goes to the mailbox owner), found ${describeFound(target)}`);
  }
}

function checkWithholdable(step: StepEntry, hasAfterAccessNotice: boolean, problem: Report): void {
  if (step.kind !== 'notify' || step.target !== EMPLOYEE_TARGET) {
    const where = step.target ? ` with target ${describeFound(step.target)}` : '';
    problem(
      ['withholdable'],
      `expected withholdable only on a notify step with target "${EMPLOYEE_TARGET}", found it on a ${step.kind} step${where}`,
    );
  } else if (!hasAfterAccessNotice) {
    problem(
      ['withholdable'],
      'expected an after-access-notice step in this pack (a withheld advance notice makes it mandatory), found none',
    );
  }
}

/** Problems of the file as a whole: the roles the bot itself relies on, codes, the fallback. */
export function checkFile(roles: RolesSeen | undefined, codes: string[] | undefined, fallback: string | undefined): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (roles) problems.push(...checkRequiredRoles(roles));
  if (codes) problems.push(...checkCodes(codes, fallback));
  return problems;
}

function checkRequiredRoles(roles: RolesSeen): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const purposes: Record<string, string> = {
    [ROLE_ADMIN]: 'may register the conversations the bot posts to',
    [ROLE_SECURITY]: 'approves and runs audit queries',
  };
  for (const [required, purpose] of Object.entries(purposes)) {
    if (!roles.names.includes(required)) {
      problems.push({ path: ['roles'], message: `expected a role named "${required}" (it ${purpose}), found none` });
    }
  }
  return problems;
}

function checkCodes(codes: string[], fallback: string | undefined): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (codes.length === 0) {
    problems.push({ path: ['jurisdictions'], message: 'expected at least one jurisdiction pack, found none' });
  }
  for (const code of codes) {
    if (!JURISDICTION_CODE.test(code)) {
      problems.push({ path: ['jurisdictions', code], message: `expected ${JURISDICTION_CODE_WORDS}, found "${code}"` });
    }
  }
  if (fallback !== undefined && !codes.includes(fallback)) {
    problems.push({
      path: ['fallback'],
      message: `expected the code of a pack in this file (${listWords([...codes].sort())}), found "${fallback}"`,
    });
  }
  return problems;
}

function listRoles(roles: RolesSeen): string {
  return roles.names.length > 0 ? [...roles.names].sort().join(', ') : 'none defined';
}
