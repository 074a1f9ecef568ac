import { accessHelpLine } from '../domain/access-level';

/** The answer to "help". */
export const HELP_TEXT = [
  '**Custodian** gives you access to one mailbox, for one case, for a limited time, after approval. Access is revoked automatically and everything is audited.',
  '',
  '- `request` opens the request form; or in one line:',
  '  `request alex@contoso.com ticket INC-1234 jurisdiction NO access read folder Inbox for 4h basis operations because REASON`',
  `  ${accessHelpLine()}; duration like \`30m\`, \`4h\`, \`2d\`;`,
  '  strict jurisdictions need `basis BASIS-ID`; `withheld REASON` if the employee must not be told in advance.',
  '- `status [ID]` shows a request (your latest if no ID)',
  '- `mine` lists your requests',
  '- `cancel ID` withdraws a pending request',
  '- `release ID` ends your active access now',
  '- `extend ID for 2h because REASON` asks for more time on your active access (where the pack allows it); approvers decide, and without a decision it ends as planned',
  '',
  'Security team: `audit MAILBOX`, `audit REQUEST-ID` or `audit TICKET` shows the audit trail; `revoke-all` ends every active grant (asks to confirm).',
  'Security team: `reviews` lists the grants still waiting for an access-review verdict; `sweep` checks mailbox permissions for standing access now, `sweep findings` shows what is still open; `report [last month|YYYY-MM]` shows the headline figures of a month from the audit trail; `conversations` shows where the bot posts, who chose each place and when.',
  'Admins, in a channel or group chat: `@Custodian use this channel for approvals`, `... for security notices`, `... for hr`, `... for dpo`. A move is announced in the old conversation and to the security team.',
].join('\n');
