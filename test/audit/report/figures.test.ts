import assert from 'node:assert/strict';
import { buildReport } from '../../../src/audit/report/build-report';
import * as findings from '../../../src/audit/report/findings';
import { headlineFigures } from '../../../src/audit/report/headline';
import type { AuditReport } from '../../../src/audit/report/report-types';
import type { Store } from '../../../src/store/store';
import { auditBackends } from '../helpers/backends';
import type { OpenedBackend } from '../helpers/backend';
import { FROM, TO, writeTrail } from './trail';

const NOW = Date.UTC(2026, 11, 1, 6, 0);

function report(store: Store, from = FROM, to = TO): Promise<AuditReport> {
  // Small pages so that the stream crosses many page boundaries.
  return buildReport(store, { from, to, tenant: 'contoso.example', now: NOW, pageSize: 7 });
}

for (const backend of auditBackends()) {
  describe(`audit report figures on ${backend.name}`, () => {
    before(async function () {
      await backend.setUp(this);
    });

    let opened: OpenedBackend;
    let store: Store;

    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
      await writeTrail(store);
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    it('counts grants per week by access level and requester, and by jurisdiction', async () => {
      const { figures } = await report(store);
      assert.equal(figures.grants.total, 10);
      assert.deepEqual(figures.grants.byRequester, [
        { label: 'alice@contoso.example', count: 5 },
        { label: 'bob@contoso.example', count: 3 },
        { label: 'carol@contoso.example', count: 1 },
        { label: 'dave@contoso.example', count: 1 },
      ]);
      assert.deepEqual(figures.grants.byWeekAndAccess, [
        { week: '2026-10-26', access: 'ReadFolder', count: 1 },
        { week: '2026-11-02', access: 'FullAccess', count: 1 },
        { week: '2026-11-02', access: 'ReadFolder', count: 1 },
        { week: '2026-11-09', access: 'FullAccess', count: 1 },
        { week: '2026-11-09', access: 'SendOnBehalf', count: 1 },
        { week: '2026-11-16', access: 'ReadFolder', count: 2 },
        { week: '2026-11-23', access: 'FullAccess', count: 1 },
        { week: '2026-11-23', access: 'ReadFolder', count: 1 },
        { week: '2026-11-30', access: 'SendOnBehalf', count: 1 },
      ]);
      assert.deepEqual(
        figures.grants.byWeekAndRequester.filter((row) => row.requester === 'alice@contoso.example').map((row) => [row.week, row.count]),
        [
          ['2026-11-02', 2],
          ['2026-11-09', 2],
          ['2026-11-16', 1],
        ],
      );
      assert.deepEqual(figures.grants.byJurisdiction, [
        { label: 'EU', count: 7 },
        { label: 'NO', count: 2 },
        { label: 'SE', count: 1 },
      ]);
      assert.equal(findings.grantsByRequesterTitle(figures), '3 requesters received 90% of the 10 grants');
      assert.equal(findings.jurisdictionTitle(figures), 'Most grants were under EU (7 of 10)');
    });

    it('counts high-impact grants by reason, the request submitted before the period included', async () => {
      const { figures } = await report(store);
      assert.deepEqual(figures.highImpact, {
        grants: 10,
        highImpact: 4,
        share: 0.4,
        fullAccess: 3,
        strictJurisdiction: 2,
        conflictOfInterest: 1,
      });
      assert.equal(findings.highImpactTitle(figures), '4 of 10 grants (40%) were high-impact');
    });

    it('measures time from request to decision and to grant', async () => {
      const { timing } = (await report(store)).figures;
      assert.deepEqual(timing.toDecision, {
        count: 11,
        medianMinutes: 30,
        p90Minutes: 300,
        maxMinutes: 1500,
        buckets: [
          { label: 'under 15 min', count: 2 },
          { label: '15–60 min', count: 5 },
          { label: '1–4 h', count: 2 },
          { label: '4–24 h', count: 1 },
          { label: '1 day or more', count: 1 },
        ],
      });
      assert.deepEqual(
        {
          count: timing.toGrant.count,
          median: timing.toGrant.medianMinutes,
          p90: timing.toGrant.p90Minutes,
          max: timing.toGrant.maxMinutes,
          buckets: timing.toGrant.buckets.map((b) => b.count),
        },
        { count: 10, median: 31, p90: 301, max: 1501, buckets: [2, 5, 1, 1, 1] },
      );
    });

    it('sets requested duration against time used, with early releases', async () => {
      const { usage } = (await report(store)).figures;
      assert.equal(usage.ended, 9);
      assert.deepEqual(usage.byReason, [
        { label: 'expired', count: 6 },
        { label: 'released', count: 2 },
        { label: 'manual', count: 1 },
      ]);
      assert.deepEqual(usage.heldByReason, [
        { reason: 'expired', grants: 6, medianRequestedMinutes: 60, medianUsedMinutes: 61 },
        { reason: 'released', grants: 2, medianRequestedMinutes: 60, medianUsedMinutes: 30 },
        { reason: 'manual', grants: 1, medianRequestedMinutes: 480, medianUsedMinutes: 120 },
      ]);
      assert.equal(usage.endedEarly, 3);
      assert.equal(usage.medianShareUsed, 1.01);
      assert.deepEqual(
        usage.grants.find((row) => row.requestId === 'CUS-2026-0002'),
        { requestId: 'CUS-2026-0002', requestedMinutes: 240, usedMinutes: 60, reason: 'released' },
      );
      assert.deepEqual(
        usage.grants.find((row) => row.requestId === 'CUS-2026-0005'),
        { requestId: 'CUS-2026-0005', requestedMinutes: 480, usedMinutes: 120, reason: 'manual' },
      );
      assert.equal(usage.grants.length, 9);
    });

    it('measures revocation lag from expiry and lists the manual-action case', async () => {
      const { revocation } = (await report(store)).figures;
      assert.equal(revocation.expiredRevoked, 6);
      assert.deepEqual(
        {
          median: revocation.lag.medianMinutes,
          p90: revocation.lag.p90Minutes,
          max: revocation.lag.maxMinutes,
          buckets: revocation.lag.buckets.map((b) => b.count),
        },
        { median: 0.5, p90: 20, max: 20, buckets: [3, 2, 0, 1, 0] },
      );
      assert.equal(revocation.failedAttempts, 2);
      assert.equal(revocation.manualAction.length, 1);
      const [manual] = revocation.manualAction;
      assert.equal(manual.requestId, 'CUS-2026-0006');
      assert.equal(manual.attempts, 2);
      assert.equal(manual.mailbox, 'ceo@contoso.example');
      assert.ok(manual.confirmedAt !== null && manual.confirmedAt > manual.raisedAt);
      assert.equal(
        findings.revocationTitle((await report(store)).figures),
        'All 6 expired grants were removed within 20 min of expiry; 1 grant needed manual action',
      );
    });

    it('counts refusals by kind and by actor, only those of the period', async () => {
      const { refusals } = (await report(store)).figures;
      assert.equal(refusals.total, 6);
      assert.deepEqual(refusals.byKind, [
        { label: 'approve', count: 2 },
        { label: 'standing-access', count: 1 },
        { label: 'submission', count: 1 },
        { label: 'sweep', count: 1 },
        { label: 'view', count: 1 },
      ]);
      assert.deepEqual(refusals.byActor, [
        { label: 'alice@contoso.example', count: 2 },
        { label: 'bob@contoso.example', count: 2 },
        { label: 'erin@contoso.example', count: 2 },
      ]);
    });

    it('sums the access reviews and the drift findings', async () => {
      const { reviews, drift, untracedChanges } = (await report(store)).figures;
      assert.deepEqual(reviews, {
        reviews: 2,
        population: 9,
        sampled: 3,
        highImpact: 4,
        marked: 7,
        reviewed: 5,
        fine: 4,
        escalated: 1,
        carriedOver: 1,
      });
      assert.deepEqual(drift, {
        sweeps: 2,
        opened: 3,
        reappeared: 1,
        removed: 1,
        allowed: 1,
        gone: 2,
        removalManualAction: 1,
        stillOpen: 1,
      });
      assert.equal(untracedChanges.tracked, false);
      assert.match(untracedChanges.note, /^Not yet tracked/);
    });

    it('states the verified chain: first and last record of the period, with hashes', async () => {
      const built = await report(store);
      const all = await store.listAudit({});
      const inPeriod = all.filter((event) => event.at >= FROM && event.at < TO);
      assert.equal(built.chain.verified, true);
      assert.equal(built.chain.failure, undefined);
      assert.equal(built.chain.records, inPeriod.length);
      assert.equal(built.chain.chainRecords, all.length);
      assert.deepEqual([built.chain.firstSeq, built.chain.firstHash], [inPeriod[0].seq, inPeriod[0].hash]);
      assert.deepEqual([built.chain.lastSeq, built.chain.lastHash], [inPeriod.at(-1)!.seq, inPeriod.at(-1)!.hash]);
      assert.deepEqual([built.period, built.tenant, built.generatedAt], [{ from: FROM, to: TO }, 'contoso.example', NOW]);
    });

    it('flags a broken chain at the top, naming the changed record', async () => {
      const all = await store.listAudit({});
      const target = all.find((event) => event.type === 'grant.confirmed' && event.at >= FROM)!;
      const changed = { ...(await opened.raw.get(target.seq)) };
      changed.details = { ...changed.details, expiresAt: '2027-01-01T00:00:00.000Z' };
      await opened.raw.put(target.seq, changed);
      const built = await report(store);
      assert.equal(built.chain.verified, false);
      assert.deepEqual(
        { seq: built.chain.failure?.seq, problem: built.chain.failure?.problem, inPeriod: built.chain.failure?.inPeriod },
        { seq: target.seq, problem: 'changed', inPeriod: true },
      );
      assert.match(built.chain.failure!.message, new RegExp(`Record ${target.seq} was changed`));
    });

    it('reports an empty period as zeros, with nothing to verify in it', async () => {
      const built = await report(store, Date.UTC(2027, 0, 1), Date.UTC(2027, 1, 1));
      const { figures, chain } = built;
      assert.deepEqual([chain.records, chain.firstSeq, chain.lastSeq, chain.verified], [0, null, null, true]);
      assert.equal(figures.grants.total, 0);
      assert.deepEqual(figures.grants.byRequester, []);
      assert.deepEqual(figures.highImpact, {
        grants: 0,
        highImpact: 0,
        share: 0,
        fullAccess: 0,
        strictJurisdiction: 0,
        conflictOfInterest: 0,
      });
      assert.deepEqual([figures.timing.toDecision.count, figures.timing.toDecision.medianMinutes], [0, null]);
      assert.deepEqual([figures.usage.ended, figures.usage.medianShareUsed], [0, null]);
      assert.deepEqual([figures.revocation.expiredRevoked, figures.revocation.manualAction], [0, []]);
      assert.equal(figures.refusals.total, 0);
      assert.equal(figures.reviews.reviews, 0);
      assert.equal(figures.drift.stillOpen, 0);
      assert.equal(findings.grantsByRequesterTitle(figures), 'No grants in this period');
      assert.deepEqual(
        headlineFigures(built).map((h) => h.value),
        ['0', '0', '–', '–', '0', '0', '0 / 0', '0'],
      );
    });
  });
}
