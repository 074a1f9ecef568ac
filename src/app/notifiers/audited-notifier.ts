import type { AccessRequest } from '../../domain/types';
import { SYSTEM_ACTOR } from '../../domain/types';
import { ForwardingNotifier } from './forwarding-notifier';
import type { AuditSink, ConversationPurpose, Notifier, SecurityNoticeKind } from '../ports';

/** Records every notice to the security team and to registered HR/DPO conversations in the audit trail. */
export class AuditedNotifier extends ForwardingNotifier {
  constructor(
    inner: Notifier,
    private readonly audit: AuditSink,
  ) {
    super(inner);
  }

  override async tellConversation(purpose: ConversationPurpose, text: string): Promise<boolean> {
    const delivered = await this.inner.tellConversation(purpose, text);
    await this.audit.append({ type: 'notice.sent', actor: SYSTEM_ACTOR, details: { to: purpose, delivered, text } });
    return delivered;
  }

  override async tellSecurity(
    kind: SecurityNoticeKind,
    request: AccessRequest | null,
    text: string,
    extra?: Record<string, unknown>,
  ): Promise<void> {
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
