import assert from 'node:assert/strict';
import { ACCESS_LEVELS, accessLevelSpec, type AccessLevel } from '../../../src/domain/access-level';
import { validateDraft, type DraftField, type RequestDraft } from '../../../src/domain/request-draft';
import { CardFactory } from '../../../src/teams/card-factory';
import { requestFormData } from '../../../src/teams/cards/form-view';
import { CARDS_DIR, people, shippedPolicies } from '../../support/requests';
import { assertValidCard, cardActions, elements, inputIds, texts } from './card-checks';

const policies = shippedPolicies();
const cards = new CardFactory(CARDS_DIR, policies);

type Json = Record<string, unknown>;
const input = (card: Json, id: string) => elements(card).find((element) => element.id === id);
const attentionTexts = (card: Json) =>
  elements(card)
    .filter((element) => element.type === 'TextBlock' && element.color === 'Attention')
    .map((element) => element.text);

/** The error shown directly under each input, by input id. */
function errorsUnderInputs(card: Json): Record<string, string> {
  const list = elements(card);
  const shown: Record<string, string> = {};
  list.forEach((element, index) => {
    const next = list[index + 1];
    if (typeof element.id === 'string' && next?.type === 'TextBlock' && next.color === 'Attention') shown[element.id] = next.text as string;
  });
  return shown;
}

const INPUTS = ['mailbox', 'ticket', 'jurisdiction', 'access', 'folder', 'duration', 'legalBasis', 'justification', 'noticeWithheldReason'];

describe('request form card', () => {
  describe('empty', () => {
    const card = cards.form();

    it('is a valid Adaptive Card with one input per field and a submit button', () => {
      assertValidCard(card);
      assert.deepEqual(inputIds(card), INPUTS);
      assert.deepEqual(cardActions(card), [{ title: 'Submit request', verb: 'submitRequest', data: undefined }]);
    });

    it('shows no summary and no error', () => {
      assert.deepEqual(attentionTexts(card), []);
      assert.deepEqual(texts(card), [
        'Request mailbox access',
        'Access is granted only after approval, for the time you ask, and is revoked automatically. Everything is logged and reviewed.',
      ]);
    });

    it('leaves every input empty, the legal basis on "Not required"', () => {
      for (const id of INPUTS) assert.equal(input(card, id)?.value, id === 'legalBasis' ? 'none' : '', id);
    });

    it('offers the configured jurisdictions by name, in code order', () => {
      assert.deepEqual(input(card, 'jurisdiction')?.choices, [
        { title: 'European Union (GDPR) (EU)', value: 'EU' },
        { title: 'Other countries (GLOBAL)', value: 'GLOBAL' },
        { title: 'Norway (NO)', value: 'NO' },
      ]);
    });

    it('offers "Not required" and then every legal basis, prefixed with its jurisdiction', () => {
      assert.deepEqual(input(card, 'legalBasis')?.choices, [
        { title: 'Not required', value: 'none' },
        { title: 'NO: Necessary to maintain daily operations or other legitimate interests of the business', value: 'operations' },
        { title: 'NO: Justified suspicion of a gross breach of duty or grounds for dismissal', value: 'suspicion' },
      ]);
    });

    it('offers every access level of the table by its canonical value, narrowest first', () => {
      const values = (input(card, 'access')?.choices as { value: AccessLevel }[]).map((choice) => choice.value);
      assert.deepEqual([...values].sort(), [...ACCESS_LEVELS].sort());
      const breadths = values.map((level) => accessLevelSpec(level).breadth);
      assert.deepEqual(
        breadths,
        [...breadths].sort((a, b) => a - b),
      );
      assert.equal(values[0], 'ReadFolder');
      assert.equal(values.at(-1), 'FullAccess');
    });
  });

  describe('after a refused submission', () => {
    const typed: RequestDraft = {
      mailbox: 'alice@contoso',
      ticket: 'CHG-1',
      jurisdiction: 'no',
      access: 'ReadFolder',
      folder: 'Inbox',
      duration: '9h',
      justification: 'Looking for the invoice thread',
      legalBasis: 'operations',
      noticeWithheldReason: 'Would alert her',
    };

    it('echoes every typed value, the jurisdiction in upper case', () => {
      const card = cards.form(typed, { ticket: 'bad ticket' });
      assertValidCard(card);
      const values = Object.fromEntries(INPUTS.map((id) => [id, input(card, id)?.value]));
      assert.deepEqual(values, { ...typed, jurisdiction: 'NO' });
    });

    it('shows the summary and one error under each bad field, and nothing under the good ones', () => {
      const errors: Partial<Record<DraftField, string>> = {
        mailbox: 'Mailbox problem.',
        ticket: 'Ticket problem.',
        duration: 'Duration problem.',
      };
      const card = cards.form(typed, errors);
      assertValidCard(card);
      assert.equal(texts(card)[2], 'Please correct 3 fields; nothing was submitted.');
      assert.deepEqual(errorsUnderInputs(card), errors);
      assert.equal(attentionTexts(card).length, 1 + 3);
    });

    it('says "1 field" for a single error', () => {
      const card = cards.form(typed, { justification: 'Justification problem.' });
      assert.equal(texts(card)[2], 'Please correct 1 field; nothing was submitted.');
      assert.deepEqual(errorsUnderInputs(card), { justification: 'Justification problem.' });
    });

    it('shows every message validateDraft gives for a bad draft, each under its field', () => {
      const result = validateDraft(typed, policies, { status: 'not-found' }, people.requester);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.deepEqual(Object.keys(result.errors).sort(), ['duration', 'mailbox', 'ticket']);
      const card = cards.form(typed, result.errors);
      assertValidCard(card);
      assert.deepEqual(errorsUnderInputs(card), result.errors);
    });

    it('shows an error for every field that can have one', () => {
      const errors = Object.fromEntries(
        INPUTS.filter((id) => id !== 'noticeWithheldReason').map((id) => [id, `${id} is wrong.`]),
      ) as Partial<Record<DraftField, string>>;
      const card = cards.form({}, errors);
      assertValidCard(card);
      assert.deepEqual(errorsUnderInputs(card), errors);
      assert.equal(texts(card)[2], 'Please correct 8 fields; nothing was submitted.');
    });

    it('shows typed text containing template syntax verbatim', () => {
      const draft = { justification: 'see ${values.mailbox} and ${summary}' };
      const card = cards.form(draft);
      assertValidCard(card, [draft.justification]);
      assert.equal(input(card, 'justification')?.value, draft.justification);
    });
  });

  describe('requestFormData', () => {
    it('counts only non-empty errors in the summary', () => {
      assert.equal(requestFormData(policies, {}, { mailbox: 'x', ticket: '' }).summary, 'Please correct 1 field; nothing was submitted.');
      assert.equal(requestFormData(policies, {}, {}).summary, '');
    });
  });
});
