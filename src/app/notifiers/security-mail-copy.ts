import type { Mailer } from '../../m365/directory';
import type { Logger } from '../../shared/logger';
import type { AccessRequest } from '../../domain/types';
import { ForwardingNotifier } from './forwarding-notifier';
import type { Notifier, SecurityNoticeKind } from '../ports';

/** Sends an e-mail copy of every security notice to a configured address, besides the Teams card. */
export class SecurityMailCopy extends ForwardingNotifier {
  constructor(
    inner: Notifier,
    private readonly mailer: Mailer,
    private readonly address: string,
    private readonly logger: Logger,
  ) {
    super(inner);
  }

  override async tellSecurity(
    kind: SecurityNoticeKind,
    request: AccessRequest | null,
    text: string,
    extra?: Record<string, unknown>,
  ): Promise<void> {
    await this.inner.tellSecurity(kind, request, text, extra);
    try {
      const subject = `[Custodian] ${kind}${request ? ` ${request.id}: ${request.requester.upn ?? ''} on ${request.mailbox.upn}` : ''}`;
      await this.mailer.send({
        to: [this.address],
        subject,
        body: request
          ? `${text}\n\nRequest ${request.id}, ticket ${request.ticket}, jurisdiction ${request.jurisdiction}. Type "status ${request.id}" to the bot in Teams for the full history.`
          : text,
      });
    } catch (error) {
      this.logger.error({ err: error, kind, requestId: request?.id }, 'security e-mail copy failed');
    }
  }
}
