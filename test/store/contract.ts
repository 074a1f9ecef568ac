import type { Store } from '../../src/store/store';
import { auditContract } from './audit-contract';
import { conversationsContract } from './conversations-contract';
import { countersContract } from './counters-contract';
import { recordsContract } from './records-contract';
import { requestsContract } from './requests-contract';

export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every Store must have: one contract suite per port. Each
 * test gets a fresh, empty store from `factory` and disposes of it afterwards.
 */
export function storeContract(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, function () {
    let subject: StoreUnderTest;

    beforeEach(async function () {
      subject = await factory();
    });

    afterEach(async function () {
      await subject.cleanup();
    });

    const current = () => subject.store;
    requestsContract(current);
    countersContract(current);
    conversationsContract(current);
    auditContract(current);
    recordsContract(current);

    it('answers a ping', async function () {
      await subject.store.ping();
    });
  });
}
