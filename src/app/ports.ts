import type { AuditInput } from '../audit/audit-log';
import type { AccessRequest, PostedCard } from '../domain/types';

/** What the app records in the audit trail (implemented by the hash-chained AuditLog). */
export interface AuditSink {
  append(input: AuditInput): Promise<unknown>;
}

export type SecurityNoticeKind =
  | 'granted'
  | 'revoked'
  | 'grant-failed'
  | 'revoke-manual-action'
  | 'refused'
  | 'standing-access'
  | 'expired'
  | 'rejected'
  | 'activity'
  | 'summary'
  | 'review-escalated'
  | 'sweep'
  | 'finding-removed';

/** Conversations the bot can be told to use, by purpose. */
export type ConversationPurpose = 'approvals' | 'security' | 'hr' | 'dpo';

/**
 * How the app tells people things. Implemented by the Teams layer (cards,
 * proactive messages); the app never builds cards itself.
 */
export interface Notifier {
  /**
   * Posts the approval card in the approvals conversation, and in the HR/DPO
   * conversation when that role must approve; returns where it went (empty if nowhere).
   */
  postApprovalCard(request: AccessRequest): Promise<PostedCard[]>;
  /** Re-renders every posted card of the request in place. */
  refreshCards(request: AccessRequest): Promise<void>;
  /** A short message to the requester's personal chat. */
  tellRequester(request: AccessRequest, text: string): Promise<void>;
  /** A card in the security conversation. */
  tellSecurity(kind: SecurityNoticeKind, request: AccessRequest | null, text: string, extra?: Record<string, unknown>): Promise<void>;
  /** A message to the approvers (reminders, expiry); goes to the approvals conversation. */
  tellApprovers(request: AccessRequest, text: string): Promise<void>;
  /** A message to a registered conversation (HR, DPO); false when none is registered. */
  tellConversation(purpose: ConversationPurpose, text: string): Promise<boolean>;
}
