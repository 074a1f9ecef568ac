import type { TenantState } from '../../src/local-tenant';

/**
 * When each mailbox's permission was removed at the tenant (wall clock), read
 * from the tenant's own change counter. The tenant counts a change after its
 * configured answer delay, so times include that delay.
 */
export class RevokeRecorder {
  readonly times = new Map<string, number[]>();

  constructor(state: TenantState) {
    const count = state.countChange.bind(state);
    state.countChange = (kind, mailbox) => {
      if (kind === 'revoke') {
        const list = this.times.get(mailbox) ?? [];
        list.push(Date.now());
        this.times.set(mailbox, list);
      }
      count(kind, mailbox);
    };
  }

  first(mailbox: string): number | undefined {
    return this.times.get(mailbox.toLowerCase())?.[0];
  }

  calls(mailbox: string): number {
    return this.times.get(mailbox.toLowerCase())?.length ?? 0;
  }
}
