import { startLocalTenant, type LocalTenant, type LocalTenantOptions } from '../../src/local-tenant';
import { createM365, m365ConfigForLocalTenant, type M365Clients, type M365Config, type M365Overrides } from '../../src/m365/connect';
import { silentLogger } from '../../src/shared/logger';

export interface Harness {
  tenant: LocalTenant;
  m365: M365Clients;
  /** Sleeps the clients asked for (real sleeps unless a test injects its own). */
  waits: number[];
}

/**
 * Starts a local tenant and clients against it before each test, and stops both after.
 * Tests change the tenant's state and faults through `h.tenant`.
 */
export function useLocalTenant(
  options: { tenant?: LocalTenantOptions; config?: Partial<M365Config>; overrides?: M365Overrides; fastSleep?: boolean } = {},
): Harness {
  const h = { waits: [] as number[] } as Harness;
  beforeEach(async () => {
    h.waits.length = 0;
    h.tenant = await startLocalTenant(options.tenant);
    const sleep = async (ms: number) => {
      h.waits.push(ms);
      // Fast mode keeps the order of events but not the wall-clock wait.
      await new Promise((resolve) => setTimeout(resolve, options.fastSleep ? 1 : ms));
    };
    h.m365 = await createM365(
      { ...m365ConfigForLocalTenant(h.tenant), requestTimeoutMs: 2_000, callBudgetMs: 8_000, ...options.config },
      silentLogger,
      {
        verifyAttempts: 2,
        verifyBaseDelayMs: 20,
        audit: { pollBaseDelayMs: 20, pollMaxDelayMs: 80, pollBudgetMs: 2_000 },
        sleep,
        ...options.overrides,
      },
    );
  });
  afterEach(async () => {
    await h.m365?.close();
    await h.tenant?.close();
  });
  return h;
}

export const IDS = {
  adele: 'a0000000-0000-4000-8000-000000000001',
  megan: 'a0000000-0000-4000-8000-000000000002',
  nestor: 'a0000000-0000-4000-8000-000000000003',
  lynne: 'a0000000-0000-4000-8000-000000000004',
  alex: 'a0000000-0000-4000-8000-000000000005',
  johanna: 'a0000000-0000-4000-8000-000000000006',
  diego: 'a0000000-0000-4000-8000-000000000007',
  isaiah: 'a0000000-0000-4000-8000-000000000008',
  grady: 'a0000000-0000-4000-8000-000000000009',
  custodian: 'a0000000-0000-4000-8000-00000000000a',
  itSecurityApprovers: 'b0000000-0000-4000-8000-000000000001',
  hr: 'b0000000-0000-4000-8000-000000000002',
  dataProtection: 'b0000000-0000-4000-8000-000000000003',
  securityTeam: 'b0000000-0000-4000-8000-000000000004',
  custodianAdmins: 'b0000000-0000-4000-8000-000000000005',
};
