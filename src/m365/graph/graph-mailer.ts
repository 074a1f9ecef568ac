import type { MailMessage, Mailer } from '../directory';
import type { GraphApi } from './graph-api';
import { GraphError } from './graph-error';
import { requireAddress } from './graph-shapes';

/**
 * Sends plain-text mail as the service mailbox: POST /users/{mailbox}/sendMail
 * (application permission Mail.Send, ideally limited to that mailbox with an
 * application access policy). Graph answers 202 Accepted.
 * A retried send after a dropped connection may deliver twice; a lost notice is worse.
 */
export class GraphMailer implements Mailer {
  private readonly serviceMailbox: string;

  constructor(
    private readonly graph: GraphApi,
    serviceMailbox: string,
  ) {
    this.serviceMailbox = requireAddress(serviceMailbox, 'Service mailbox');
  }

  async send(message: MailMessage): Promise<void> {
    if (message.to.length === 0) throw new GraphError('send mail: the message has no recipients.', 'invalidInput', 0, false);
    const to = message.to.map((address) => requireAddress(address, 'Recipient'));
    if (!message.subject.trim()) throw new GraphError('send mail: the subject is empty.', 'invalidInput', 0, false);
    const payload = {
      message: {
        subject: message.subject,
        body: { contentType: 'Text', content: message.body },
        toRecipients: to.map((address) => ({ emailAddress: { address } })),
      },
      saveToSentItems: true,
    };
    await this.graph.call('send mail', (api) => api(`/users/${encodeURIComponent(this.serviceMailbox)}/sendMail`).post(payload));
  }
}
