import type { Mailer } from '../m365/directory';
import type { Logger } from '../shared/logger';
import type { AccessRequest, PostedCard } from '../domain/types';
import type { ConversationPurpose, Notifier, SecurityNoticeKind } from './ports';

/** Sends an e-mail copy of every security notice to a configured address, besides the Teams card. */
export class SecurityMailCopy implements Notifier {
  constructor(
    private readonly inner: Notifier,
    private readonly mailer: Mailer,
    private readonly address: string,
    private readonly logger: Logger,
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
  tellConversation(purpose: ConversationPurpose, text: string): Promise<boolean> {
    return this.inner.tellConversation(purpose, text);
  }

  async tellSecurity(kind: SecurityNoticeKind, request: AccessRequest | null, text: string, extra?: Record<string, unknown>): Promise<void> {
    await this.inner.tellSecurity(kind, request, text, extra);
    try {
      const subject = `[Custodian] ${kind}${request ? ` ${request.id}: ${request.requester.upn ?? ''} on ${request.mailbox.upn}` : ''}`;
      await this.mailer.send({ to: [this.address], subject, body: request ? `${text}\n\nRequest ${request.id}, ticket ${request.ticket}, jurisdiction ${request.jurisdiction}. Type "status ${request.id}" to the bot in Teams for the full history.` : text });
    } catch (error) {
      this.logger.error({ err: error, kind, requestId: request?.id }, 'security e-mail copy failed');
    }
  }
}
