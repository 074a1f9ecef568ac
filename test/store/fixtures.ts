import type { AccessRequest, AuditEvent, Person } from '../../src/domain/types';

let nextId = 1;

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

export function person(id: string, name = `User ${id}`): Person {
  return { aadObjectId: id, name, upn: `${id}@contoso.example` };
}

/** A valid pending request; override whatever the test is about. */
export function makeRequest(overrides: Partial<AccessRequest> = {}): AccessRequest {
  const n = nextId++;
  return {
    id: `REQ-${String(n).padStart(5, '0')}-${process.pid}`,
    version: 1,
    status: 'pending',
    requester: person('admin-1'),
    // A mailbox of its own: a requester may hold one open request per mailbox.
    mailbox: { upn: `mailbox-${n}@contoso.example`, displayName: `Mailbox ${n}` },
    ticket: `INC-${n}`,
    jurisdiction: 'NO',
    access: 'FullAccess',
    durationMinutes: 60,
    justification: 'Mailbox export for legal hold',
    createdAt: T0 + n,
    pendingExpiresAt: T0 + 24 * 3600_000,
    requiredApprovals: [{ role: 'security', count: 1 }],
    approvals: [],
    flags: {},
    steps: [{ id: 'hr', kind: 'notify', label: 'Tell HR', target: 'hr', phase: 'before', status: 'pending' }],
    revokeAttempts: 0,
    grantAttempts: 0,
    dueAt: null,
    cards: [],
    ...overrides,
  };
}

export function makeAuditEvent(seq: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq,
    at: T0 + seq * 1000,
    type: 'request.created',
    actor: person('admin-1'),
    requestId: 'REQ-1',
    ticket: 'INC-1',
    mailbox: 'alex@contoso.example',
    jurisdiction: 'NO',
    details: { note: `event ${seq}` },
    prevHash: `prev-${seq}`,
    hash: `hash-${seq}`,
    ...overrides,
  };
}
