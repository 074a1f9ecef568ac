import type { AccessRequest, PostedCard } from '../domain/types';
import { SYSTEM_ACTOR } from '../domain/types';
import type { AuditSink, ConversationPurpose, Notifier, SecurityNoticeKind } from './ports';

/** Records every notice to the security team and to registered HR/DPO conversations in the audit trail. */
export class AuditedNotifier implements Notifier {
  constructor(
    private readonly inner: Notifier,
    private readonly audit: AuditSink,
  ) {}

  postApprovalCard(request: AccessRequest): Promise<PostedCard[]> {
    return this.inner.postApprovalCard(request);
  }
  refreshCards(request: AccessRequest): Promise<void> {
    return this.inner.refreshCards(request);
  }
  tellRequester(request: AccessRequest, text: string): Promise<void> {
    return this.inner.tellRequester(request, text);
  }
  tellApprovers(request: AccessRequest, text: string): Promise<void> {
    return this.inner.tellApprovers(request, text);
  }

  async tellConversation(purpose: ConversationPurpose, text: string): Promise<boolean> {
    const delivered = await this.inner.tellConversation(purpose, text);
    await this.audit.append({ type: 'notice.sent', actor: SYSTEM_ACTOR, details: { to: purpose, delivered, text } });
    return delivered;
  }

  async tellSecurity(kind: SecurityNoticeKind, request: AccessRequest | null, text: string, extra?: Record<string, unknown>): Promise<void> {
    await this.inner.tellSecurity(kind, request, text, extra);
    await this.audit.append({
      type: 'notice.security',
      actor: SYSTEM_ACTOR,
      requestId: request?.id,
      ticket: request?.ticket,
      mailbox: request?.mailbox.upn,
      jurisdiction: request?.jurisdiction,
      details: { kind, text, ...(request ? { requester: request.requester } : {}) },
    });
  }
}
