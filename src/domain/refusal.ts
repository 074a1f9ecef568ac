/** Why an action was refused. Every refusal is shown to the person and audited. */
export type RefusalCode =
  | 'not-pending'
  | 'not-active'
  | 'self-approval'
  | 'mailbox-owner'
  | 'not-approver'
  | 'already-approved'
  | 'role-satisfied'
  | 'steps-incomplete'
  | 'not-requester'
  | 'not-allowed'
  | 'unknown-step'
  | 'step-done'
  | 'not-found'
  | 'separation-of-duties'
  | 'extension-refused';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export function refusal(code: RefusalCode, message: string): Refusal {
  return { code, message };
}
