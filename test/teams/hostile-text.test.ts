import assert from 'node:assert/strict';
import { plainText } from '../../src/domain/plain-text';
import type { DriftFinding } from '../../src/domain/drift-finding';
import type { AccessRequest, Person } from '../../src/domain/types';
import { CardFactory } from '../../src/teams/card-factory';
import { escapeMessageText } from '../../src/teams/outgoing-text';
import { TeamsFindingCards } from '../../src/teams/cards/finding-cards';
import { TeamsTraceCards } from '../../src/teams/cards/trace-cards';
import type { TraceFinding } from '../../src/domain/trace-finding';
import { TeamsReviewCards, type SecurityCardPoster } from '../../src/teams/cards/review-cards';
import type { CardJson } from '../../src/teams/cards/render-template';
import { NO_RIGHTS } from '../../src/app/requests/viewer-rights';
import { ALL_STATUSES, CARDS_DIR, T0, people, policySet, requestIn, simplePack, strictPack } from '../support/requests';
import { assertValidCard } from './cards/card-checks';

// Markdown, links and mentions a requester might type to dress a request up
// as approved; every one of them must show literally.
const HOSTILE = [
  '[click here](https://evil.example/approve)',
  '**APPROVED BY SECURITY**',
  '<at>Megan Bowen</at>',
  '__bold__ _it_ `code` ~~gone~~',
  '&lt;at&gt;x&lt;/at&gt; | a | b |',
  '![img](https://evil.example/x.png) \\*',
].join(' ');
const HOSTILE_LINES = `# Heading\n- item\n+ item\n1. first\n> quote\n===\n  2) second`;

/** What a Markdown renderer shows for an escaped text: every backslash escape becomes its character. */
function unescape(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Fails if anything in the text would still render as Markdown, a link or a mention. */
function assertInert(text: string, where: string): void {
  const bare = text.replace(/\\[!-/:-@[-`{-~]/g, '');
  for (const live of ['[', ']', '**', '__', '<at>', '<', '>', '`', '~', '&', '|', '\\'])
    assert.ok(!bare.includes(live), `${where}: "${live}" would render as markup in ${JSON.stringify(text)}`);
  // The numbered step marks ("1. ☐") are the card's own list.
  for (const line of text.replace(/^\d+\. [☐☑☒✖] /, '').split('\n'))
    assert.ok(!/^\s*(#|[-+=]|\d+[.)])/.test(line), `${where}: a line would render as a heading or list: ${JSON.stringify(line)}`);
}

/** Every text a person sees on a card: TextBlocks, facts, choice titles. */
function visibleTexts(card: CardJson): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (node && typeof node === 'object') {
      const element = node as Record<string, unknown>;
      if (element.type === 'TextBlock' && typeof element.text === 'string') found.push({ where: path, text: element.text });
      if (typeof element.title === 'string' && typeof element.value === 'string' && !('type' in element))
        found.push({ where: `${path}.value`, text: element.value });
      for (const [key, value] of Object.entries(element)) if (key !== 'data') walk(value, `${path}.${key}`);
    }
  };
  walk(card.body, 'body');
  return found;
}

function assertCardShowsLiterally(card: CardJson, name: string): void {
  assertValidCard(card);
  const shown = visibleTexts(card);
  for (const { where, text } of shown) assertInert(text, `${name} ${where}`);
  const all = shown.map(({ text }) => unescape(text)).join('\n');
  assert.ok(all.includes(HOSTILE), `${name}: the hostile text is shown whole once unescaped`);
}

const evil: Person = { aadObjectId: 'a0000000-0000-4000-8000-0000000000ee', name: `Eve ${HOSTILE}`, upn: 'eve@contoso.com' };

function hostileRequest(status: (typeof ALL_STATUSES)[number]): AccessRequest {
  // Strict (steps, legal basis) while pending; the simple pack reaches every other status without attestations.
  const base = status === 'pending' ? requestIn(status, { valid: { policy: strictPack(), legalBasis: 'operations' } }) : requestIn(status);
  return {
    ...base,
    requester: evil,
    ticket: `INC-1 ${HOSTILE}`,
    folder: `Inbox ${HOSTILE}`,
    mailbox: { ...base.mailbox, displayName: `Alex ${HOSTILE}` },
    justification: `${HOSTILE}\n${HOSTILE_LINES}`,
    approvals: [{ approver: evil, role: 'security', at: T0, comment: HOSTILE }],
    decision: { by: evil, at: T0, comment: HOSTILE },
    steps: base.steps.map((step) => ({ ...step, by: evil, at: T0, note: HOSTILE })),
    flags: { ...base.flags, conflictOfInterest: HOSTILE },
    grantError: HOSTILE,
    lastRevokeError: HOSTILE,
  };
}

describe('people’s text shows literally on every card and in every message', () => {
  const cards = new CardFactory(CARDS_DIR, policySet([simplePack(), strictPack()]));

  it('escapes so that the rendered text is the original, for every Markdown construct', () => {
    for (const sample of [HOSTILE, HOSTILE_LINES, 'plain text, CUS-2026-0001 (alex@contoso.com)', '\\', '']) {
      const escaped = plainText(sample);
      assertInert(escaped, JSON.stringify(sample));
      assert.equal(unescape(escaped), sample);
    }
    // Text with nothing to escape is left alone, so IDs and addresses read as before.
    assert.equal(plainText('CUS-2026-0001 on alex@contoso.com (4 h)'), 'CUS-2026-0001 on alex@contoso.com (4 h)');
  });

  for (const status of ALL_STATUSES)
    it(`request card (${status})`, () => {
      const card = cards.request(hostileRequest(status), NO_RIGHTS, { notice: HOSTILE });
      assertCardShowsLiterally(card, `request card (${status})`);
      const justification = visibleTexts(card).find(({ text }) => unescape(text).endsWith(HOSTILE_LINES));
      assert.equal(unescape(justification?.text ?? ''), `${HOSTILE}\n${HOSTILE_LINES}`);
    });

  it('security notice card (text and facts)', () => {
    const card = cards.notice({
      title: 'Refused action',
      text: `Refused approve by ${HOSTILE}`,
      facts: [{ title: 'Ticket', value: HOSTILE }],
    });
    assertCardShowsLiterally(card, 'notice');
  });

  it('list card (mine, audit history)', () => {
    const card = cards.list(`Audit trail for ${HOSTILE}`, [{ id: HOSTILE, summary: HOSTILE }], 'none');
    assertCardShowsLiterally(card, 'list');
  });

  it('request form: error texts quote what was typed; the inputs keep the raw value', () => {
    const card = cards.form({ ticket: HOSTILE, justification: HOSTILE }, { ticket: `"${HOSTILE}" is not a ticket ID.` });
    assertCardShowsLiterally(card, 'form');
    assert.ok(JSON.stringify(card).includes(JSON.stringify(HOSTILE).slice(1, -1)), 'the input still holds the typed value unchanged');
  });

  it('drift finding card', () => {
    const cardsOut = new TeamsFindingCards(CARDS_DIR, {} as SecurityCardPoster);
    const finding: DriftFinding = {
      id: 'DRF-1',
      key: 'k',
      permission: { mailbox: `alex@contoso.com ${HOSTILE}`, grantee: `eve ${HOSTILE}`, kind: 'FullAccess' },
      status: 'allowed',
      firstSeenAt: T0,
      lastSeenAt: T0,
      firstSweepId: 'SWP-1',
      lastSweepId: 'SWP-1',
      reported: 1,
      allowed: { by: evil, at: T0, reason: HOSTILE },
    };
    assertCardShowsLiterally(cardsOut.finding(finding, HOSTILE), 'finding');
  });

  it('untraced-change card (raw audit-log parameters, names and the verdict)', () => {
    const cardsOut = new TeamsTraceCards(CARDS_DIR, {} as SecurityCardPoster);
    const finding: TraceFinding = {
      id: 'TRC-1',
      kind: 'untraced',
      status: 'accepted',
      change: {
        id: 'rec-1',
        recordId: 'rec-1',
        at: T0,
        operation: 'New-InboxRule',
        actor: `eve@contoso.com ${HOSTILE}`,
        appId: '',
        direction: 'add',
        kind: 'Forwarding',
        mailbox: 'alex@contoso.com',
        grantee: `eve ${HOSTILE}`,
        rights: [],
        parameters: [{ name: 'Name', value: HOSTILE }],
      },
      reason: HOSTILE,
      foundAt: T0,
      runId: 'RUN-1',
      accepted: { by: evil, at: T0, reason: HOSTILE },
    };
    assertCardShowsLiterally(cardsOut.card(finding, HOSTILE), 'untraced change');
  });

  it('access review card', () => {
    const reviews = new TeamsReviewCards(CARDS_DIR, {} as SecurityCardPoster);
    const card = reviews.review({
      review: {
        id: 'REV-1',
        firedAt: T0,
        periodFrom: T0,
        periodTo: T0 + 1,
        createdAt: T0,
        seed: 's',
        sampleSize: 1,
        population: ['CUS-2025-0042'],
        sample: ['CUS-2025-0042'],
        highImpact: [],
        marked: ['CUS-2025-0042'],
        carriedOver: [],
        lines: [{ requestId: 'CUS-2025-0042', summary: HOSTILE }],
      },
      items: [
        {
          requestId: 'CUS-2025-0042',
          reviewId: 'REV-1',
          firstReviewId: 'REV-1',
          reasons: [],
          summary: HOSTILE,
          markedAt: T0,
          carried: 0,
          outcome: { status: 'escalated', by: evil, at: T0, comment: HOSTILE },
        },
      ],
    });
    assertCardShowsLiterally(card, 'review');
  });

  it('chat messages, except the help text the bot formats itself', () => {
    const message: { type: string; text: string; textFormat?: string } = { type: 'message', text: `I did not understand "${HOSTILE}"` };
    escapeMessageText(message);
    assertInert(message.text, 'message');
    assert.equal(unescape(message.text), `I did not understand "${HOSTILE}"`);
    const help = { type: 'message', text: '**help**', textFormat: 'markdown' };
    escapeMessageText(help);
    assert.equal(help.text, '**help**');
  });

  it('the people on the card keep their own names', () => {
    const card = cards.request(hostileRequest('pending'), NO_RIGHTS);
    assert.ok(visibleTexts(card).some(({ text }) => unescape(text).includes(`Eve ${HOSTILE}`)));
    assert.ok(people.requester.aadObjectId);
  });
});
