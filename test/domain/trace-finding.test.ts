import assert from 'node:assert/strict';
import { classifyAdminRecord } from '../../src/domain/admin-change';
import { acceptFinding, findingParties, linkFinding, removalDone, removalStarted, type TraceFinding } from '../../src/domain/trace-finding';

const MEGAN = { aadObjectId: 'megan-id', name: 'Megan Bowen' };
const [CHANGE] = classifyAdminRecord({
  id: 'rec-1',
  at: 1_000,
  operation: 'Add-MailboxPermission',
  userId: 'adele@contoso.com',
  auditData: {
    Parameters: [
      { Name: 'Identity', Value: 'alex@contoso.com' },
      { Name: 'User', Value: 'diego@contoso.com' },
      { Name: 'AccessRights', Value: 'FullAccess' },
    ],
  },
});

function open(): TraceFinding {
  return {
    id: 'TRC-000000000001',
    kind: 'untraced',
    status: 'open',
    change: CHANGE,
    reason: 'outside Custodian',
    foundAt: 2_000,
    runId: 'TRACE-1',
  };
}

describe('trace-finding: verdicts on an untraced change', () => {
  it('names who made the change, who gained the access and the mailbox owner as the parties who may not judge it', () => {
    assert.deepEqual(findingParties(open()), [
      { part: 'changed-by', address: 'adele@contoso.com' },
      { part: 'grantee', address: 'diego@contoso.com' },
      { part: 'mailbox-owner', address: open().change!.mailbox },
    ]);
  });

  it('links only to an approved request of the same grantee and mailbox', () => {
    const link = (request: Parameters<typeof linkFinding>[3]) => linkFinding(open(), MEGAN, 3_000, request, 'CUS-2026-0001');
    const ok = link({ requestId: 'CUS-2026-0001', grantee: 'Diego@contoso.com', mailbox: 'alex@contoso.com', approved: true });
    assert.ok(ok.ok && ok.next.status === 'linked' && ok.next.link?.requestId === 'CUS-2026-0001');
    const other = link({ requestId: 'CUS-2026-0001', grantee: 'diego@contoso.com', mailbox: 'nestor@contoso.com', approved: true });
    assert.ok(!other.ok && /is for diego@contoso.com on nestor@contoso.com/.test(other.refusal.message));
    const pending = link({ requestId: 'CUS-2026-0001', grantee: 'diego@contoso.com', mailbox: 'alex@contoso.com', approved: false });
    assert.ok(!pending.ok && /never approved/.test(pending.refusal.message));
    const missing = link(null);
    assert.ok(!missing.ok && /No request CUS-2026-0001 exists/.test(missing.refusal.message));
  });

  it('accepts only with a reason, and decides once', () => {
    const empty = acceptFinding(open(), MEGAN, 3_000, '  ');
    assert.ok(!empty.ok && empty.refusal.code === 'reason-required');
    const accepted = acceptFinding(open(), MEGAN, 3_000, 'Approved by phone on INC-42');
    assert.ok(accepted.ok);
    const again = removalStarted(accepted.next, MEGAN, 4_000, 'DRF-000000000001');
    assert.ok(!again.ok && /already accepted/.test(again.refusal.message));
  });

  it('is removed only after the removal it was handed to', () => {
    assert.equal(removalDone(open(), 5_000).ok, false);
    const removing = removalStarted(open(), MEGAN, 4_000, 'DRF-000000000001');
    assert.ok(removing.ok && removing.next.status === 'removing');
    const done = removalDone(removing.next, 5_000);
    assert.ok(done.ok && done.next.status === 'removed' && done.next.removal?.removedAt === 5_000);
  });
});
