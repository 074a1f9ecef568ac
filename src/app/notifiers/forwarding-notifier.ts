import type { AccessRequest, PostedCard } from '../../domain/types';
import type { ConversationPurpose, Notifier, SecurityNoticeKind } from '../ports';

/** A Notifier that passes everything on; decorators override only what they add to. */
export class ForwardingNotifier implements Notifier {
  constructor(protected readonly inner: Notifier) {}

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
  tellConversation(purpose: ConversationPurpose, text: string): Promise<boolean> {
    return this.inner.tellConversation(purpose, text);
  }
  tellReference(reference: Record<string, unknown>, text: string): Promise<boolean> {
    return this.inner.tellReference(reference, text);
  }
  tellSecurity(kind: SecurityNoticeKind, request: AccessRequest | null, text: string, extra?: Record<string, unknown>): Promise<void> {
    return this.inner.tellSecurity(kind, request, text, extra);
  }
}
