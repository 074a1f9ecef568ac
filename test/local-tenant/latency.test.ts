import assert from 'node:assert/strict';
import { latencyFor, parseLatencyProfile, REAL_LATENCY } from '../../src/local-tenant/latency';
import { latencyFromEnv } from '../../src/local-tenant';
import { useLocalTenant } from '../m365/local-tenant-harness';

describe('local tenant latency profile', () => {
  it('parses off, real and per-kind ranges, and names a bad part', () => {
    assert.deepEqual(parseLatencyProfile(undefined), { exchangeChange: [0, 0], exchangeRead: [0, 0], graph: [0, 0] });
    assert.deepEqual(parseLatencyProfile('real'), REAL_LATENCY);
    assert.deepEqual(parseLatencyProfile('real,exchangeChange=4000'), { ...REAL_LATENCY, exchangeChange: [4000, 4000] });
    assert.deepEqual(parseLatencyProfile('exchangeRead=100-200,graph=10'), {
      exchangeChange: [0, 0],
      exchangeRead: [100, 200],
      graph: [10, 10],
    });
    assert.throws(() => parseLatencyProfile('slow'), /"slow" is not/);
    assert.throws(() => parseLatencyProfile('graph=300-100'), /maximum below its minimum/);
    assert.deepEqual(latencyFromEnv({ CUSTODIAN_LOCAL_TENANT_LATENCY: 'graph=7' }).graph, [7, 7]);
  });

  it('tells Exchange changes from reads and Graph by the route tags', () => {
    const p = parseLatencyProfile('exchangeChange=4000,exchangeRead=1000,graph=100');
    assert.equal(latencyFor(p, ['exchange', 'exchange:InvokeCommand', 'exchange:Add-MailboxPermission']), 4000);
    assert.equal(latencyFor(p, ['exchange', 'exchange:Mailbox', 'exchange:Get-Mailbox']), 1000);
    assert.equal(latencyFor(p, ['graph', 'graph:user']), 100);
    assert.equal(
      latencyFor(parseLatencyProfile('real'), ['graph'], () => 0.5),
      175,
    );
  });

  describe('applied to answers', () => {
    const h = useLocalTenant({ tenant: { latency: 'exchangeChange=400,exchangeRead=0,graph=0' } });

    it('makes each Exchange change take the configured time while reads stay fast', async () => {
      let started = Date.now();
      await h.m365.exchangeApi.run('Mailbox', 'Get-Mailbox', { Identity: 'alex@contoso.com' }, 'UPN:alex@contoso.com');
      const read = Date.now() - started;
      started = Date.now();
      await h.m365.exchangeApi.run(
        'InvokeCommand',
        'Add-MailboxPermission',
        { Identity: 'alex@contoso.com', User: 'adele@contoso.com', AccessRights: ['FullAccess'] },
        'UPN:alex@contoso.com',
      );
      const change = Date.now() - started;
      assert.ok(change >= 400, `a change took ${change} ms`);
      assert.ok(change > read, `a change (${change} ms) takes longer than a read (${read} ms)`);
    });
  });
});
