import assert from 'node:assert/strict';
import { accessLevelList } from '../../src/domain/access-level';
import { looksLikeMailbox, validateDraft, type DraftField, type MailboxLookup, type RequestDraft } from '../../src/domain/request-draft';
import { deepFreeze, people, policySet, shippedPolicies, simplePack, strictPack } from '../support/requests';

const found: MailboxLookup = {
  status: 'found',
  objectId: people.owner.aadObjectId,
  upn: 'Alice@Contoso.com',
  displayName: 'Alice Owner',
  hasMailbox: true,
};

/** A complete, correct one-liner for the shipped NO pack. */
const goodDraft: RequestDraft = {
  mailbox: 'alice@contoso.com',
  ticket: 'INC-1234',
  jurisdiction: 'NO',
  access: 'full',
  duration: '2h',
  justification: 'Investigating a phishing report.',
  legalBasis: 'operations',
};

function errorsOf(draft: RequestDraft, lookup: MailboxLookup = found, policies = shippedPolicies()) {
  const result = validateDraft(draft, policies, lookup, people.requester);
  assert.equal(result.ok, false, 'expected the draft to be refused');
  return result.ok ? {} : result.errors;
}

function valueOf(draft: RequestDraft, lookup: MailboxLookup = found, policies = shippedPolicies()) {
  const result = validateDraft(draft, policies, lookup, people.requester);
  if (!result.ok) assert.fail(`expected the draft to be accepted, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe('validateDraft', () => {
  describe('a correct draft', () => {
    it('is accepted with every value normalised', () => {
      const policies = shippedPolicies();
      const value = valueOf(
        { ...goodDraft, ticket: ' INC-1234 ', jurisdiction: ' no ', justification: '  Investigating a phishing report.  ' },
        found,
        policies,
      );
      assert.deepEqual(value, {
        mailbox: { upn: 'alice@contoso.com', displayName: 'Alice Owner', objectId: people.owner.aadObjectId },
        ticket: 'INC-1234',
        policy: policies.jurisdictions.NO,
        access: 'FullAccess',
        folder: undefined,
        durationMinutes: 120,
        justification: 'Investigating a phishing report.',
        legalBasis: 'operations',
        noticeWithheldReason: undefined,
      });
    });

    it('does not change the draft, the policies or the lookup', () => {
      const draft = deepFreeze({ ...goodDraft });
      const policies = deepFreeze(shippedPolicies());
      const lookup = deepFreeze({ ...found });
      assert.equal(validateDraft(draft, policies, lookup, people.requester).ok, true);
    });

    it('keeps a trimmed reason for withholding the advance notice', () => {
      assert.equal(
        valueOf({ ...goodDraft, noticeWithheldReason: '  Would alert the suspect.  ' }).noticeWithheldReason,
        'Would alert the suspect.',
      );
      assert.equal(valueOf({ ...goodDraft, noticeWithheldReason: '   ' }).noticeWithheldReason, undefined);
    });
  });

  describe('mailbox', () => {
    const cases: [string, RequestDraft['mailbox'], MailboxLookup, string][] = [
      ['missing', undefined, found, 'Enter the mailbox (UPN or e-mail address), e.g. alex@contoso.com.'],
      ['blank', '   ', found, 'Enter the mailbox (UPN or e-mail address), e.g. alex@contoso.com.'],
      ['not an address', 'alice', found, '"alice" is not an e-mail address or UPN.'],
      ['an address without a dot in the domain', 'alice@contoso', found, '"alice@contoso" is not an e-mail address or UPN.'],
      ['with spaces inside', 'alice smith@contoso.com', found, '"alice smith@contoso.com" is not an e-mail address or UPN.'],
      ['unknown to the directory', 'Nobody@Contoso.com', { status: 'not-found' }, 'No user nobody@contoso.com exists in the directory.'],
      [
        'a user without a mailbox',
        'alice@contoso.com',
        { ...found, hasMailbox: false },
        'Alice Owner (Alice@Contoso.com) has no Exchange Online mailbox.',
      ],
      [
        "the requester's own",
        'rita@contoso.com',
        { ...found, objectId: people.requester.aadObjectId },
        'You cannot request access to your own mailbox.',
      ],
      [
        'not checked because the directory failed',
        'alice@contoso.com',
        { status: 'not-checked' },
        'The directory could not be asked about this mailbox; nothing was requested.',
      ],
    ];
    for (const [what, mailbox, lookup, message] of cases) {
      it(`refuses a mailbox that is ${what}`, () => {
        assert.deepEqual(errorsOf({ ...goodDraft, mailbox }, lookup), { mailbox: message });
      });
    }

    it("uses the directory's UPN, lower-cased, and display name", () => {
      const value = valueOf(
        { ...goodDraft, mailbox: 'ALICE@contoso.com' },
        { ...found, upn: 'Alice.Owner@Contoso.COM', displayName: 'Alice O.' },
      );
      assert.deepEqual(value.mailbox, { upn: 'alice.owner@contoso.com', displayName: 'Alice O.', objectId: people.owner.aadObjectId });
    });

    it('recognises mailbox-like text', () => {
      assert.equal(looksLikeMailbox(' alice@contoso.com '), true);
      assert.equal(looksLikeMailbox('alice.o+x@mail.contoso.co.uk'), true);
      for (const text of [undefined, '', 'alice', 'alice@', '@contoso.com', 'a@b', 'a b@c.d'])
        assert.equal(looksLikeMailbox(text), false, String(text));
    });
  });

  describe('jurisdiction', () => {
    it('asks for one, listing the valid codes, when it is missing', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, jurisdiction: ' ', legalBasis: undefined }), {
        jurisdiction: 'Choose a jurisdiction: EU, GLOBAL, NO.',
      });
    });

    it('names an unknown code and lists the valid ones', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, jurisdiction: 'se' }), {
        jurisdiction: 'Unknown jurisdiction "SE". Valid codes: EU, GLOBAL, NO.',
      });
    });

    it('uses the fallback pack for an unlisted country when one is configured', () => {
      const policies = policySet([simplePack({ code: 'GLOBAL', name: 'Other countries' })], 'GLOBAL');
      const value = valueOf({ ...goodDraft, jurisdiction: 'se', legalBasis: undefined }, found, policies);
      assert.equal(value.policy.code, 'SE');
      assert.equal(value.policy.name, 'SE (Other countries)');
    });
  });

  describe('ticket', () => {
    it('asks for one when it is missing', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, ticket: '' }), { ticket: 'Enter the ticket ID this access is for.' });
    });

    it('refuses IDs longer than 64 characters', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, ticket: `INC-${'1'.repeat(61)}` }), {
        ticket: 'The ticket ID is longer than 64 characters.',
      });
    });

    it("refuses IDs that do not match the pack's format, showing its example", () => {
      assert.deepEqual(errorsOf({ ...goodDraft, ticket: 'CHG-1234' }), {
        ticket: '"CHG-1234" does not match the ticket format for NO (for example INC-12345).',
      });
    });

    it('matches the whole ID, not a part of it', () => {
      const policies = policySet([simplePack({ code: 'TS', ticketPattern: 'INC-\\d{3,7}' })]);
      const draft = { ...goodDraft, jurisdiction: 'TS', legalBasis: undefined };
      assert.equal(valueOf({ ...draft, ticket: 'INC-1234' }, found, policies).ticket, 'INC-1234');
      assert.deepEqual(errorsOf({ ...draft, ticket: 'INC-1234-extra' }, found, policies), {
        ticket: '"INC-1234-extra" does not match the ticket format for TS (for example INC-12345).',
      });
    });

    it('cannot check the format without a valid jurisdiction, and says only what is known to be wrong', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, jurisdiction: 'XX', ticket: 'anything' }), {
        jurisdiction: 'Unknown jurisdiction "XX". Valid codes: EU, GLOBAL, NO.',
      });
    });
  });

  describe('access level', () => {
    it('asks for one when it is missing', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, access: '' }), {
        access: `Choose an access level: ${accessLevelList()}.`,
      });
    });

    it('names an unknown level', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, access: 'owner' }), {
        access: `Unknown access level "owner". Use ${accessLevelList()}.`,
      });
    });

    it('refuses a level the pack does not allow, listing the allowed ones', () => {
      const policies = policySet([simplePack({ code: 'TS', accessLevels: ['ReadFolder'] })]);
      assert.deepEqual(errorsOf({ ...goodDraft, jurisdiction: 'TS', access: 'sob', legalBasis: undefined }, found, policies), {
        access: 'SendOnBehalf is not allowed under TS. Allowed: ReadFolder.',
      });
    });

    it('accepts the words people type', () => {
      assert.equal(valueOf({ ...goodDraft, access: 'send-on-behalf' }).access, 'SendOnBehalf');
    });
  });

  describe('folder', () => {
    it('defaults to Inbox for read-only access', () => {
      const value = valueOf({ ...goodDraft, access: 'read' });
      assert.equal(value.access, 'ReadFolder');
      assert.equal(value.folder, 'Inbox');
    });

    it('keeps a named folder, including nested and non-English names', () => {
      assert.equal(valueOf({ ...goodDraft, access: 'read', folder: ' Sent Items ' }).folder, 'Sent Items');
      assert.equal(valueOf({ ...goodDraft, access: 'read', folder: 'Prosjekter/Økonomi_2025' }).folder, 'Prosjekter/Økonomi_2025');
    });

    for (const folder of ['Inbox; rm', '../x<script>', 'a'.repeat(129)]) {
      it(`refuses the folder name ${JSON.stringify(folder.length > 20 ? `${folder.slice(0, 10)}… (${folder.length} chars)` : folder)}`, () => {
        assert.deepEqual(errorsOf({ ...goodDraft, access: 'read', folder }), { folder: `"${folder}" is not a valid folder name.` });
      });
    }

    it('ignores a folder for access levels other than read-only', () => {
      assert.equal(valueOf({ ...goodDraft, access: 'full', folder: 'Inbox; rm' }).folder, undefined);
    });
  });

  describe('duration', () => {
    it("uses the pack's default when none is given", () => {
      assert.equal(valueOf({ ...goodDraft, duration: undefined }).durationMinutes, 240);
      assert.equal(valueOf({ ...goodDraft, duration: '  ' }).durationMinutes, 240);
    });

    it('asks for a duration when there is neither a value nor a pack to take the default from', () => {
      assert.equal(errorsOf({ ...goodDraft, jurisdiction: 'XX', duration: '' }).duration, 'Enter a duration such as 30m, 4h or 2d.');
    });

    it('names text that is not a duration', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, duration: 'a while' }), {
        duration: '"a while" is not a duration. Use forms such as 30m, 4h or 2d.',
      });
    });

    it("refuses more than the pack's maximum, in readable units", () => {
      assert.deepEqual(errorsOf({ ...goodDraft, duration: '8h1m' }), { duration: '8h 1m is longer than the maximum for NO (8h).' });
    });

    it("refuses less than the pack's minimum, in readable units", () => {
      assert.deepEqual(errorsOf({ ...goodDraft, duration: '14m' }), { duration: '14m is shorter than the minimum for NO (15m).' });
    });

    it('accepts exactly the minimum and exactly the maximum', () => {
      assert.equal(valueOf({ ...goodDraft, duration: '15m' }).durationMinutes, 15);
      assert.equal(valueOf({ ...goodDraft, duration: '8h' }).durationMinutes, 480);
    });
  });

  describe('justification', () => {
    it('asks for one when it is missing', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, justification: ' \n ' }), {
        justification: 'Explain why you need this access; the approvers and the audit trail see it.',
      });
    });

    it('refuses more than 2000 characters and accepts exactly 2000', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, justification: 'x'.repeat(2001) }), {
        justification: 'The justification is longer than 2000 characters.',
      });
      assert.equal(valueOf({ ...goodDraft, justification: 'x'.repeat(2000) }).justification.length, 2000);
    });
  });

  describe('legal basis', () => {
    it('is required when the pack lists bases, naming them', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, legalBasis: undefined }), {
        legalBasis: 'NO requires a legal basis: operations, suspicion.',
      });
    });

    it('must be one of the listed bases', () => {
      assert.deepEqual(errorsOf({ ...goodDraft, legalBasis: 'curiosity' }), {
        legalBasis: 'Unknown legal basis "curiosity". Choose one of: operations, suspicion.',
      });
    });

    it('is not required when the pack lists none', () => {
      const value = valueOf({ ...goodDraft, jurisdiction: 'EU', legalBasis: undefined });
      assert.equal(value.policy.code, 'EU');
      assert.equal(value.legalBasis, undefined);
    });
  });

  describe('nothing is accepted when any field is bad', () => {
    const strict = policySet([strictPack({ code: 'NO' })]);
    const bad: [DraftField, RequestDraft][] = [
      ['mailbox', { mailbox: 'not-an-address' }],
      ['ticket', { ticket: 'nope' }],
      ['jurisdiction', { jurisdiction: 'ZZZ' }],
      ['access', { access: 'everything' }],
      ['folder', { access: 'read', folder: '<bad>' }],
      ['duration', { duration: '9h' }],
      ['justification', { justification: '' }],
      ['legalBasis', { legalBasis: 'whim' }],
    ];
    for (const [field, change] of bad) {
      it(`refuses the whole draft when only ${field} is wrong, naming only ${field}`, () => {
        const errors = errorsOf({ ...goodDraft, ...change }, found, strict);
        // An unknown jurisdiction also leaves the ticket format and legal basis unchecked, not wrong.
        assert.deepEqual(Object.keys(errors), [field]);
        assert.ok(errors[field] && errors[field].length > 10, `a readable message for ${field}`);
      });
    }

    it('reports every problem of an empty draft at once', () => {
      const errors = errorsOf({}, { status: 'not-checked' });
      assert.deepEqual(Object.keys(errors).sort(), ['access', 'duration', 'jurisdiction', 'justification', 'mailbox', 'ticket']);
    });

    it('refuses a draft whose fields are all fine when the mailbox lookup found nobody', () => {
      assert.deepEqual(Object.keys(errorsOf(goodDraft, { status: 'not-found' })), ['mailbox']);
    });
  });
});
