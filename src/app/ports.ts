import type { AuditInput } from '../audit/audit-log';
import type { DriftFinding } from '../domain/drift-finding';
import type { AccessReview, PostedRef, ReviewItem } from '../domain/review-record';
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
  | 'finding-removed'
  | 'conversation-registered'
  | 'trace'
  | 'extension';

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
  /** A message to a conversation by its stored reference (one no longer registered); false when it could not be delivered. */
  tellReference(reference: Record<string, unknown>, text: string): Promise<boolean>;
}

export interface RenderedNotice {
  subject: string;
  body: string;
}

/** The texts of the notices steps send (HR, DPO, employee), filled with a request's values. */
export interface NoticeTemplates {
  /** Throws when the template is missing or uses a value that is not provided. */
  render(name: string, values: Record<string, string>): RenderedNotice;
}

/** A review with the current state of every item it lists (marked in it or carried into it). */
export interface ReviewBoard {
  review: AccessReview;
  items: ReviewItem[];
}

/** How review cards reach the security conversation (implemented by the Teams layer). */
export interface ReviewCards {
  /** Posts the review card; undefined when no security conversation is registered or Teams failed. */
  postReview(board: ReviewBoard): Promise<PostedRef | undefined>;
  /** Re-renders a posted review card in place. */
  updateReview(posted: PostedRef, board: ReviewBoard): Promise<void>;
}

/** How finding cards reach the security conversation (implemented by the Teams layer). */
export interface FindingCards {
  /** Posts the finding's card; undefined when no security conversation is registered or Teams failed. */
  postFinding(finding: DriftFinding): Promise<PostedRef | undefined>;
  /** Re-renders a posted finding card in place. */
  updateFinding(posted: PostedRef, finding: DriftFinding): Promise<void>;
}
