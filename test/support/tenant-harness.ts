import { startLocalTenant, type LocalTenant, type LocalTenantOptions } from '../../src/local-tenant';
import { Harness } from './harness';

/**
 * For tests that start their own local tenant (a latency profile, faults):
 * `start` boots tenant and bot with the channels registered; both are
 * stopped after each test.
 */
export function useTenantHarness(): { start(options?: LocalTenantOptions): Promise<Harness>; readonly tenant: LocalTenant } {
  let harness: Harness | undefined;
  let tenant: LocalTenant | undefined;
  afterEach(async () => {
    await harness?.stop();
    await tenant?.close();
    harness = undefined;
    tenant = undefined;
  });
  return {
    async start(options: LocalTenantOptions = {}): Promise<Harness> {
      tenant = await startLocalTenant(options);
      harness = await Harness.start({ tenant });
      await harness.registerChannels();
      return harness;
    },
    get tenant(): LocalTenant {
      if (!tenant) throw new Error('no tenant: call start() first');
      return tenant;
    },
  };
}
