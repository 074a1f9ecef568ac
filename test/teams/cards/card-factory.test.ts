import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardFactory, cardAttachment } from '../../../src/teams/card-factory';
import { renderCard } from '../../../src/teams/cards/render-template';
import { CARDS_DIR, shippedPolicies } from '../../support/requests';
import { assertValidCard, elements, facts, texts } from './card-checks';

const cards = new CardFactory(CARDS_DIR, shippedPolicies());

describe('notice card', () => {
  it('shows the title in the default colour and the text, without facts or footer', () => {
    const card = cards.notice({ title: 'Access granted', text: 'CUS-2025-0042 is active.' });
    assertValidCard(card);
    assert.deepEqual(texts(card), ['Access granted', 'CUS-2025-0042 is active.']);
    assert.equal(elements(card)[0].color, 'Default');
    assert.equal(
      elements(card).some((element) => element.type === 'FactSet'),
      false,
    );
  });

  it('shows the colour, facts and footer when given', () => {
    const card = cards.notice({
      title: 'Revocation needs manual action',
      text: 'Exchange refused three times.',
      color: 'Attention',
      facts: [
        { title: 'Request', value: 'CUS-2025-0042' },
        { title: 'Mailbox', value: 'alice@contoso.com' },
      ],
      footer: 'Run Remove-MailboxPermission by hand.',
    });
    assertValidCard(card);
    assert.equal(elements(card)[0].color, 'Attention');
    assert.deepEqual(facts(card), ['Request: CUS-2025-0042', 'Mailbox: alice@contoso.com']);
    assert.equal(texts(card).at(-1), 'Run Remove-MailboxPermission by hand.');
  });
});

describe('request list card', () => {
  it('lists each request with its summary', () => {
    const card = cards.list(
      'Your requests',
      [
        { id: 'CUS-2025-0042', summary: 'alice@contoso.com, active' },
        { id: 'CUS-2025-0041', summary: 'bob@contoso.com, revoked' },
      ],
      'You have no requests.',
    );
    assertValidCard(card);
    assert.deepEqual(texts(card), ['Your requests']);
    assert.deepEqual(facts(card), ['CUS-2025-0042: alice@contoso.com, active', 'CUS-2025-0041: bob@contoso.com, revoked']);
  });

  it('says so when there is nothing to list', () => {
    const card = cards.list('Your requests', [], 'You have no requests.');
    assertValidCard(card);
    assert.deepEqual(texts(card), ['Your requests', 'You have no requests.']);
  });
});

describe('cardAttachment', () => {
  it('wraps a card as an Adaptive Card attachment', () => {
    const card = cards.notice({ title: 't', text: 'x' });
    assert.deepEqual(cardAttachment(card), { contentType: 'application/vnd.microsoft.card.adaptive', content: card });
  });
});

describe('renderCard', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'custodian-cards-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('expands a template with the data given', () => {
    writeFileSync(
      join(dir, 'hello.json'),
      JSON.stringify({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello ${name}' }] }),
    );
    assert.deepEqual(renderCard(dir, 'hello', { name: 'Rita' }), {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'Hello Rita' }],
    });
  });

  it('gives each call its own copy, so a caller changing a card does not change the next one', () => {
    writeFileSync(
      join(dir, 'copy.json'),
      JSON.stringify({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${name}' }] }),
    );
    const first = renderCard(dir, 'copy', { name: 'a' });
    (first.body as { text: string }[])[0].text = 'changed';
    assert.deepEqual(renderCard(dir, 'copy', { name: 'b' }).body, [{ type: 'TextBlock', text: 'b' }]);
  });

  it('fails naming the file when a template is missing', () => {
    assert.throws(
      () => renderCard(dir, 'missing', {}),
      (error: Error) => error.message.includes(join(dir, 'missing.json')),
    );
  });
});
