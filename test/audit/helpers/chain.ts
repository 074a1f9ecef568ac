import { Writable } from 'node:stream';
import pino from 'pino';
import type { AuditLog } from '../../../src/audit/audit-log';
import type { AuditEvent } from '../../../src/domain/types';
import type { ManualClock } from '../../../src/shared/clock';
import type { Logger } from '../../../src/shared/logger';
import type { Store } from '../../../src/store/store';

const TYPES = ['request.created', 'request.approved', 'access.granted', 'access.revoked'];

/** Appends `count` varied records, one minute apart. */
export async function appendSamples(log: AuditLog, clock: ManualClock, count: number, first = 1): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let i = first; i < first + count; i++) {
    clock.advance(60_000);
    events.push(
      await log.append({
        type: TYPES[i % TYPES.length],
        actor: { aadObjectId: `actor-${i % 3}`, name: `Admin ${i % 3}`, upn: `admin${i % 3}@example.com` },
        requestId: `CUS-2026-${String(i).padStart(4, '0')}`,
        ticket: `INC-${100 + i}`,
        mailbox: i % 2 === 0 ? 'ceo@example.com' : 'hr@example.com',
        jurisdiction: 'NO',
        details: { step: i, requester: { aadObjectId: `requester-${i % 2}`, upn: `req${i % 2}@example.com` } },
      }),
    );
  }
  return events;
}

/** A store whose methods can be replaced one by one; everything else goes to the real store. */
export function overrideStore(store: Store, overrides: Partial<Store>): Store {
  const wrapper = Object.create(store) as Store;
  return Object.assign(wrapper, overrides);
}

/** A logger that keeps its JSON lines for assertions. */
export function capturingLogger(): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean) };
}
