import assert from 'node:assert/strict';
import { approve, attest } from '../../../src/domain/approval-rules';
import { approveExtension, requestExtension } from '../../../src/domain/extension';
import { grantFailed, revokeConfirmed, revokeFailed, startRevocation, stepCompleted } from '../../../src/domain/grant-rules';
import type { AccessRequest, RequestStatus } from '../../../src/domain/types';
import { CardFactory } from '../../../src/teams/card-factory';
import { NO_RIGHTS, type ViewerRights } from '../../../src/app/requests/viewer-rights';
import { rightsFor } from '../../../src/app/requests/viewer-rights';
import {
  ALL_STATUSES,
  CARDS_DIR,
  MINUTE,
  T0,
  TIMES,
  actor,
  nextOf,
  people,
  policySet,
  requestIn,
  simplePack,
  strictPack,
} from '../../support/requests';
import { assertValidCard, bodyActions, cardActions, elements, facts, inputIds, section, texts, warnings } from './card-checks';

const cards = new CardFactory(CARDS_DIR, policySet([simplePack(), strictPack()]));
const ALL_RIGHTS: ViewerRights = { canDecide: true, canCancel: true, canRelease: true, attestStepIds: ['employee-heard'] };
const NOW = T0 + 40 * MINUTE;

const strictPending = (valid = {}) => requestIn('pending', { valid: { policy: strictPack(), legalBasis: 'operations', ...valid } });
const render = (request: AccessRequest, rights: ViewerRights = NO_RIGHTS, options?: { notice?: string; refreshUserIds?: string[] }) => {
  const card = cards.request(request, rights, options);
  assertValidCard(card);
  return card;
};
const outcome = (request: AccessRequest) =>
  elements(render(request))
    .filter(
      (element) => element.type === 'TextBlock' && element.weight === 'Bolder' && element.spacing === 'Medium' && element.wrap === true,
    )
    .map((element) => element.text);
const revokedFor = (reason: 'expired' | 'manual') => {
  const active = requestIn('active');
  const at = reason === 'expired' ? (active.expiresAt as number) : TIMES.revokeStarted;
  return nextOf(
    revokeConfirmed(nextOf(startRevocation(active, at, reason, reason === 'manual' ? people.security : undefined)), at + MINUTE),
  );
};

describe('request card', () => {
  describe('is a valid Adaptive Card', () => {
    for (const status of ALL_STATUSES) {
      for (const [name, rights] of [
        ['no rights', NO_RIGHTS],
        ['every right', ALL_RIGHTS],
      ] as const) {
        it(`for ${/^[aeiou]/.test(status) ? 'an' : 'a'} ${status} request seen with ${name}`, () => {
          const request =
            status === 'pending'
              ? strictPending({ noticeWithheldReason: 'Would alert the suspect.' })
              : requestIn(status, { flags: { conflictOfInterest: 'manager', mailboxAuditDisabled: true } });
          render(request, rights, { notice: 'A notice', refreshUserIds: ['29:one'] });
          render(request, rights);
        });
      }
    }

    it('shows user text containing template syntax verbatim, without evaluating it', () => {
      const justification = 'Need ${id} and ${$root.title} checked <at>x</at>';
      const card = cards.request(requestIn('pending', { valid: { justification } }), NO_RIGHTS);
      // Shown literally: the mention is escaped (see test/teams/hostile-text.test.ts), the template syntax left as typed.
      const shown = 'Need ${id} and ${$root.title} checked \\<at\\>x\\</at\\>';
      assertValidCard(card, [shown]);
      assert.ok(texts(card).includes(shown));
    });
  });

  describe('header', () => {
    it('names the mailbox, the ID, the access and the duration', () => {
      const card = render(requestIn('pending', { valid: { access: 'ReadFolder', folder: 'Projects', durationMinutes: 90 } }));
      assert.deepEqual(texts(card).slice(0, 3), [
        'Mailbox access: Alice Owner',
        'CUS-2025-0042 · Read-only access to Projects for 1h 30m',
        'Waiting for approval',
      ]);
    });

    it('uses the UPN when the mailbox has no display name', () => {
      const request = requestIn('pending');
      const card = render({ ...request, mailbox: { upn: 'alice@contoso.com' } });
      assert.equal(texts(card)[0], 'Mailbox access: alice@contoso.com');
      assert.ok(facts(card).includes('Mailbox: (alice@contoso.com)'));
    });

    const statuses: [RequestStatus, string, string][] = [
      ['pending', 'Waiting for approval', 'Accent'],
      ['granting', 'Granting…', 'Accent'],
      ['active', 'Access active', 'Good'],
      ['revoking', 'Revoking…', 'Warning'],
      ['revoked', 'Revoked', 'Default'],
      ['grant_failed', 'Grant failed', 'Attention'],
      ['rejected', 'Rejected', 'Attention'],
      ['cancelled', 'Cancelled', 'Default'],
      ['expired', 'Expired undecided', 'Default'],
    ];
    for (const [status, label, color] of statuses) {
      it(`labels a ${status} request "${label}" in ${color}`, () => {
        const block = elements(render(requestIn(status))).find((element) => element.horizontalAlignment === 'Right');
        assert.deepEqual([block?.text, block?.color], [label, color]);
      });
    }

    it('shows a notice for the viewer right under the header', () => {
      const card = render(requestIn('pending'), NO_RIGHTS, { notice: 'You already approved CUS-2025-0042.' });
      const notice = elements(card).find((element) => element.text === 'You already approved CUS-2025-0042.');
      assert.equal(notice?.color, 'Attention');
      assert.equal(texts(card)[3], 'You already approved CUS-2025-0042.');
      assert.equal(texts(render(requestIn('pending'))).includes('You already approved CUS-2025-0042.'), false);
    });
  });

  describe('facts', () => {
    it('lists who, what, how long, the ticket, the pack, the legal basis and the decision deadline while pending', () => {
      assert.deepEqual(facts(render(strictPending())), [
        'Requester: Rita Requester (rita@contoso.com)',
        'Mailbox: Alice Owner (alice@contoso.com)',
        'Access: FullAccess (whole mailbox, no auto-mapping)',
        'Duration: 4h',
        'Ticket: INC-1234',
        'Jurisdiction: Test strict (TX)',
        'Legal basis: Daily operations',
        'Requested: 2025-03-10 08:00 UTC',
        'Decide by: 2025-03-11 08:00 UTC',
      ]);
    });

    it('shows the grant and expiry times of an active grant instead of the deadline', () => {
      assert.deepEqual(facts(render(requestIn('active'))).slice(5), [
        'Jurisdiction: Test simple (TS)',
        'Requested: 2025-03-10 08:00 UTC',
        'Granted: 2025-03-10 08:21 UTC',
        'Expires: 2025-03-10 12:21 UTC',
      ]);
    });

    it('adds the revocation time and the activity report once revoked', () => {
      assert.deepEqual(facts(render(requestIn('revoked'))).slice(-4), [
        'Granted: 2025-03-10 08:21 UTC',
        'Expires: 2025-03-10 12:21 UTC',
        'Revoked: 2025-03-10 09:01 UTC',
        'Activity: no recorded activity in the mailbox during the access window',
      ]);
    });

    it('shows the code as stored when the pack is no longer configured, without a legal basis', () => {
      const request = { ...strictPending(), jurisdiction: 'ZZ' };
      const shown = facts(render(request));
      assert.ok(shown.includes('Jurisdiction: ZZ'));
      assert.equal(
        shown.some((fact) => fact.startsWith('Legal basis')),
        false,
      );
    });

    it('names a requester without a display name by UPN, or else by object ID', () => {
      const request = requestIn('pending');
      assert.equal(facts(render({ ...request, requester: { aadObjectId: 'u-x', upn: 'x@contoso.com' } }))[0], 'Requester: x@contoso.com');
      assert.equal(facts(render({ ...request, requester: { aadObjectId: 'u-x' } }))[0], 'Requester: u-x');
    });

    it('shows the justification under its heading', () => {
      const shown = texts(render(requestIn('pending')));
      const at = shown.indexOf('Justification');
      assert.equal(shown[at + 1], 'Investigating a phishing report sent from this mailbox.');
    });
  });

  describe('warnings', () => {
    it('shows none when there is nothing to warn about', () => {
      assert.deepEqual(warnings(render(requestIn('pending'))), []);
      assert.equal(
        elements(render(requestIn('pending'))).some((element) => element.style === 'warning'),
        false,
      );
    });

    it('shows each flag found at submission', () => {
      const request = strictPending({ noticeWithheldReason: 'Would alert the suspect.' });
      const flagged = {
        ...request,
        flags: { ...request.flags, conflictOfInterest: 'The mailbox owner is the requester’s manager.', mailboxAuditDisabled: true },
      };
      assert.deepEqual(warnings(render(flagged)), [
        '⚠ Conflict of interest: The mailbox owner is the requester’s manager.',
        '⚠ Mailbox auditing is disabled on this mailbox: actions inside it will not be recorded.',
        '⚠ The employee was not told in advance; an after-access notice will be sent.',
      ]);
    });

    it('shows failed revocation attempts while revoking', () => {
      let request = requestIn('revoking');
      assert.deepEqual(warnings(render(request)), [], 'no warning before the first failure');
      request = nextOf(revokeFailed(request, NOW, 'first'));
      request = nextOf(revokeFailed(request, NOW + MINUTE, 'Exchange timed out'));
      assert.deepEqual(warnings(render(request)), ['⚠ Revocation failed 2 time(s): Exchange timed out. Retrying.']);
    });
  });

  describe('steps checklist', () => {
    it('is absent when the pack has no steps', () => {
      assert.equal(section(render(requestIn('pending')), 'Steps'), undefined);
    });

    it('marks each step to do, done, not done or failed, with who, when and the note', () => {
      let request = strictPending({ noticeWithheldReason: 'Would alert the suspect.' });
      request = nextOf(attest(request, 'employee-heard', actor(people.hr, 'hr'), NOW, 'done', 'Met on Monday'));
      request = nextOf(stepCompleted(request, 'notify-hr', NOW + MINUTE, 'failed', 'no HR conversation registered'));
      assert.deepEqual(section(render(request), 'Steps'), [
        '1. ✖ HR informed of the request (failed) at 2025-03-10 08:41 UTC — no HR conversation registered',
        '2. ☒ Employee notified in advance (not done) by Rita Requester (rita@contoso.com) at 2025-03-10 08:00 UTC — Would alert the suspect.',
        '3. ☑ The employee was given the opportunity to comment by Hanna HR (hanna@contoso.com) at 2025-03-10 08:40 UTC — Met on Monday',
        '4. ☐ Employee told afterwards (after access ends)',
      ]);
    });

    it('shows a pack step list as all to do when submitted', () => {
      assert.deepEqual(section(render(strictPending()), 'Steps'), [
        '1. ☐ HR informed of the request (to do)',
        '2. ☐ Employee notified in advance (to do)',
        '3. ☐ The employee was given the opportunity to comment (to do)',
        '4. ☐ Employee told afterwards (after access ends)',
      ]);
    });
  });

  describe('approvals', () => {
    it('lists the roles still waiting while pending', () => {
      assert.deepEqual(section(render(requestIn('pending')), 'Approvals'), [
        '… security: waiting (anyone with the security role)',
        '… hr: waiting (anyone with the hr role)',
      ]);
    });

    it('lists given approvals with who, when and the comment, then the roles still waiting', () => {
      const request = nextOf(approve(requestIn('pending'), actor(people.security, 'security'), TIMES.securityApproved, 'Looks fine'));
      assert.deepEqual(section(render(request), 'Approvals'), [
        '✔ security: Sam Security (sam@contoso.com) at 2025-03-10 08:10 UTC — "Looks fine"',
        '… hr: waiting (anyone with the hr role)',
      ]);
    });

    it('lists only given approvals once decided', () => {
      assert.deepEqual(section(render(requestIn('active')), 'Approvals'), [
        '✔ security: Sam Security (sam@contoso.com) at 2025-03-10 08:10 UTC',
        '✔ hr: Hanna HR (hanna@contoso.com) at 2025-03-10 08:20 UTC',
      ]);
    });

    it('says "None yet" when a request ended without approvals', () => {
      assert.deepEqual(section(render(requestIn('cancelled')), 'Approvals'), ['None yet']);
    });
  });

  describe('outcome', () => {
    const cases: [string, () => AccessRequest, string[]][] = [
      ['pending', () => requestIn('pending'), []],
      [
        'granting',
        () => requestIn('granting'),
        ['Approved. Exchange is granting the access now; this card changes when Exchange confirms.'],
      ],
      [
        'revoking',
        () => requestIn('revoking'),
        ['Ending the access: Exchange is removing it now; this card changes when Exchange confirms.'],
      ],
      [
        'revoking after a failed grant',
        () => nextOf(grantFailed(requestIn('granting'), TIMES.granted, 'Exchange said no')),
        ['Grant failed: Exchange said no. Removing anything partly applied; this card changes when Exchange confirms.'],
      ],
      [
        'active',
        () => requestIn('active'),
        ['Access active until 2025-03-10 12:21 UTC (granted at 2025-03-10 08:21 UTC); revoked automatically then.'],
      ],
      [
        'rejected with a comment',
        () => requestIn('rejected'),
        ['Rejected by Sam Security (sam@contoso.com) at 2025-03-10 08:30 UTC: "Not enough grounds"'],
      ],
      [
        'rejected without a comment',
        () => ({ ...requestIn('rejected'), decision: { by: people.hr, at: TIMES.decided } }),
        ['Rejected by Hanna HR (hanna@contoso.com) at 2025-03-10 08:30 UTC.'],
      ],
      ['cancelled', () => requestIn('cancelled'), ['Cancelled by the requester at 2025-03-10 08:30 UTC.']],
      ['expired', () => requestIn('expired'), ['Nobody decided before 2025-03-11 08:00 UTC; nothing was granted.']],
      ['grant_failed', () => requestIn('grant_failed'), ['Grant failed, nothing was left behind. Exchange said: Exchange said no.']],
      ['revoked after release', () => requestIn('revoked'), ['Access ended at 2025-03-10 09:01 UTC (released early).']],
      ['revoked at expiry', () => revokedFor('expired'), ['Access ended at 2025-03-10 12:22 UTC (expired).']],
      ['revoked by the security team', () => revokedFor('manual'), ['Access ended at 2025-03-10 09:01 UTC (ended by the security team).']],
    ];
    for (const [what, request, expected] of cases) {
      it(`${expected.length ? 'states an' : 'has no'} outcome for a request ${what}`, () => {
        assert.deepEqual(outcome(request()), expected);
      });
    }
  });

  describe('extensions', () => {
    const waiting = () =>
      nextOf(
        requestExtension(
          requestIn('active'),
          people.requester,
          TIMES.granted + MINUTE,
          { minutes: 120, reason: 'export still running' },
          { allowed: true, maxTotalMinutes: 480 },
          'TS',
        ),
      );

    it('shows a waiting extension with who can give it, and offers its approver the decision with a comment', () => {
      const card = render(waiting(), { ...NO_RIGHTS, canDecideExtension: true });
      assert.deepEqual(section(card, 'Extensions'), [
        '2h more from 2025-03-10 12:21 UTC, asked by Rita Requester (rita@contoso.com) at 2025-03-10 08:22 UTC because "export still running". Waiting for: security (anyone with the security role), hr (anyone with the hr role). Without a decision the grant ends as planned.',
      ]);
      assert.deepEqual(
        cardActions(card).map((action) => action.verb),
        ['approveExtension', 'rejectExtension'],
      );
      assert.ok(inputIds(card).includes('comment'));
    });

    it('shows the moved expiry once approved, and the requester gets the inputs to ask', () => {
      const once = nextOf(approveExtension(waiting(), actor(people.security, 'security'), TIMES.granted + 2 * MINUTE));
      const approved = nextOf(approveExtension(once, actor(people.hr, 'hr'), TIMES.granted + 3 * MINUTE, 'fine'));
      const card = render(approved, { ...NO_RIGHTS, canExtend: true });
      assert.match(
        section(card, 'Extensions')?.[0] ?? '',
        /Approved by security: Sam Security \(sam@contoso.com\), hr: Hanna HR \(hanna@contoso.com\) at .* — "fine"; the expiry moved to 2025-03-10 14:21 UTC\./,
      );
      assert.deepEqual(
        inputIds(card).filter((id) => id.startsWith('extend')),
        ['extendFor', 'extendReason'],
      );
    });
  });

  describe('buttons', () => {
    const buttonCases: [string, () => AccessRequest, ViewerRights, string[]][] = [
      ['an approver of a pending request', () => requestIn('pending'), { ...NO_RIGHTS, canDecide: true }, ['approve', 'reject']],
      ['an approver of an active request', () => requestIn('active'), { ...NO_RIGHTS, canDecide: true }, []],
      ['the requester of a pending request', () => requestIn('pending'), { ...NO_RIGHTS, canCancel: true, canRelease: true }, ['cancel']],
      ['the requester of an active grant', () => requestIn('active'), { ...NO_RIGHTS, canCancel: true, canRelease: true }, ['release']],
      ['the requester of a granting request', () => requestIn('granting'), { ...NO_RIGHTS, canCancel: true, canRelease: true }, []],
      ['anyone with every right on a revoked request', () => requestIn('revoked'), ALL_RIGHTS, []],
      ['anyone with every right on a pending request', () => requestIn('pending'), ALL_RIGHTS, ['approve', 'reject', 'cancel']],
      ['a viewer without rights', () => requestIn('pending'), NO_RIGHTS, []],
      [
        'the requester of an active grant who may extend',
        () => requestIn('active'),
        { ...NO_RIGHTS, canRelease: true, canExtend: true },
        ['extend', 'release'],
      ],
      ['an extension approver with no extension waiting', () => requestIn('active'), { ...NO_RIGHTS, canDecideExtension: true }, []],
      ['the requester of a revoked grant who may extend', () => requestIn('revoked'), { ...NO_RIGHTS, canExtend: true }, []],
    ];
    for (const [who, request, rights, verbs] of buttonCases) {
      it(`offers ${verbs.length ? verbs.join(', ') : 'nothing'} to ${who}`, () => {
        const card = render(request(), rights);
        assert.deepEqual(
          cardActions(card).map((action) => action.verb),
          verbs,
        );
        assert.equal(inputIds(card).includes('comment'), verbs.includes('approve'), 'a comment box comes with the decision');
      });
    }

    it('labels the buttons and sends the request ID with each', () => {
      const card = render(requestIn('pending'), ALL_RIGHTS);
      assert.deepEqual(cardActions(card), [
        { title: 'Approve', verb: 'approve', data: { requestId: 'CUS-2025-0042' } },
        { title: 'Reject', verb: 'reject', data: { requestId: 'CUS-2025-0042' } },
        { title: 'Cancel request', verb: 'cancel', data: { requestId: 'CUS-2025-0042' } },
      ]);
      assert.deepEqual(cardActions(render(requestIn('active'), ALL_RIGHTS)), [
        { title: 'End access now', verb: 'release', data: { requestId: 'CUS-2025-0042' } },
      ]);
    });

    it('shows the rights of the actual viewer', () => {
      const request = requestIn('pending');
      assert.deepEqual(
        cardActions(render(request, rightsFor(request, people.hr, ['hr']))).map((action) => action.verb),
        ['approve', 'reject'],
      );
      assert.deepEqual(
        cardActions(render(request, rightsFor(request, people.requester, []))).map((action) => action.verb),
        ['cancel'],
      );
      assert.deepEqual(
        cardActions(render(request, rightsFor(request, people.owner, ['hr']))).map((action) => action.verb),
        [],
      );
    });
  });

  describe('attestation', () => {
    it('offers done and not-possible for each step the viewer may attest, with a note box', () => {
      const card = render(strictPending(), { ...NO_RIGHTS, attestStepIds: ['employee-heard'] });
      assert.deepEqual(bodyActions(card), [
        { title: '✔ Record step 3 done', verb: 'attest', data: { requestId: 'CUS-2025-0042', stepId: 'employee-heard', outcome: 'done' } },
        {
          title: '✖ step 3 not possible',
          verb: 'attest',
          data: { requestId: 'CUS-2025-0042', stepId: 'employee-heard', outcome: 'not-possible' },
        },
      ]);
      assert.ok(inputIds(card).includes('attestNote'));
    });

    it('offers nothing, and no note box, without attestation rights', () => {
      const card = render(strictPending(), { ...NO_RIGHTS, canDecide: true });
      assert.deepEqual(bodyActions(card), []);
      assert.equal(inputIds(card).includes('attestNote'), false);
    });

    it('offers nothing for a step already recorded', () => {
      const done = nextOf(attest(strictPending(), 'employee-heard', actor(people.hr, 'hr'), NOW, 'done'));
      const card = render(done, { ...NO_RIGHTS, attestStepIds: ['employee-heard'] });
      assert.deepEqual(bodyActions(card), []);
      assert.equal(inputIds(card).includes('attestNote'), false);
    });

    it('keeps button titles short whatever the step label: the step is named by its number in the checklist', () => {
      const label = 'The employee was given the opportunity to comment and to be present with a representative';
      const request = requestIn('pending', {
        valid: { policy: strictPack({ steps: [{ id: 'heard', kind: 'attest', target: 'hr', label }] }) },
      });
      const [done, notPossible] = bodyActions(render(request, { ...NO_RIGHTS, attestStepIds: ['heard'] }));
      assert.equal(done.title, '✔ Record step 1 done');
      assert.equal(notPossible.title, '✖ step 1 not possible');
    });
  });

  describe('refresh', () => {
    it('asks Teams to refresh the card for the given users only', () => {
      const card = render(requestIn('pending'), NO_RIGHTS, { refreshUserIds: ['29:one', '29:two'] });
      assert.deepEqual(card.refresh, {
        action: { type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { requestId: 'CUS-2025-0042' } },
        userIds: ['29:one', '29:two'],
      });
    });

    it('has no refresh action without user IDs', () => {
      const card = render(requestIn('pending'));
      const refresh = card.refresh as { action?: unknown } | null | undefined;
      assert.equal(refresh?.action, undefined);
    });
  });

  it('always ends with the audit reminder', () => {
    for (const status of ALL_STATUSES) {
      const shown = texts(render(requestIn(status)));
      assert.equal(
        shown.at(-1),
        'Every grant, every action in the mailbox and every decision is logged in a tamper-evident audit trail and reviewed by the security team.',
        status,
      );
    }
  });
});
