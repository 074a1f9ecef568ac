import assert from 'node:assert/strict';
import { parseAuditArgs, parseTime, UsageError } from '../../src/audit/cli-args';

function usageError(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseAuditArgs(argv),
    (e: Error) => e instanceof UsageError && message.test(e.message),
    `argv ${argv.join(' ')}`,
  );
}

describe('audit command-line arguments', () => {
  it('parses verify and help', () => {
    assert.deepEqual(parseAuditArgs(['verify']), { command: 'verify' });
    assert.deepEqual(parseAuditArgs(['--help']), { command: 'help' });
  });

  it('parses an export with every filter; --to is exclusive, so the store gets the last millisecond before it', () => {
    const parsed = parseAuditArgs([
      'export',
      '--from',
      '2026-01-01',
      '--to',
      '2026-02-01',
      '--format',
      'csv',
      '--mailbox',
      'CEO@example.com',
      '--requester',
      '0f6c1e2a-1111-2222-3333-444455556666',
      '--request',
      'cus-2026-0042',
      '--ticket',
      'INC-7',
      '--out',
      'jan.csv',
    ]);
    assert.deepEqual(parsed, {
      command: 'export',
      query: {
        from: Date.UTC(2026, 0, 1),
        to: Date.UTC(2026, 1, 1) - 1,
        mailbox: 'CEO@example.com',
        actorId: '0f6c1e2a-1111-2222-3333-444455556666',
        requestId: 'CUS-2026-0042',
        ticket: 'INC-7',
      },
      requesterUpn: undefined,
      format: 'csv',
      out: 'jan.csv',
    });
  });

  it('treats a requester with @ as a UPN', () => {
    const parsed = parseAuditArgs([
      'export',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-02',
      '--format',
      'json',
      '--requester',
      'Ada@Example.com',
    ]);
    assert.ok(parsed.command === 'export');
    assert.equal(parsed.requesterUpn, 'Ada@Example.com');
    assert.equal(parsed.query.actorId, undefined);
  });

  it('parses retention', () => {
    assert.deepEqual(parseAuditArgs(['retention', '--days', '365', '--export-dir', '/var/archive']), {
      command: 'retention',
      days: 365,
      exportDir: '/var/archive',
    });
  });

  it('names the argument that is wrong', () => {
    usageError([], /^Missing command/);
    usageError(['verfy'], /^Unknown command "verfy"/);
    usageError(['verify', '--force'], /Unknown option '--force'/);
    usageError(['verify', 'extra'], /^Unexpected argument "extra"/);
    usageError(['export', '--to', '2026-02-01', '--format', 'csv'], /^Missing --from$/);
    usageError(['export', '--from', '2026-01-01', '--format', 'csv'], /^Missing --to$/);
    usageError(['export', '--from', '2026-01-01', '--to', '2026-02-01'], /^Missing --format$/);
    usageError(
      ['export', '--from', '2026-01-01', '--to', '2026-02-01', '--format', 'xml'],
      /^--format must be one of csv, json \(got "xml"\)/,
    );
    usageError(
      ['export', '--from', '2026-02-30', '--to', '2026-03-01', '--format', 'csv'],
      /^--from must be a date like 2026-01-31 .*\(got "2026-02-30"\)/,
    );
    usageError(['export', '--from', '2026-01-01', '--to', 'yesterday', '--format', 'csv'], /^--to must be a date/);
    usageError(
      ['export', '--from', '2026-02-01', '--to', '2026-01-01', '--format', 'csv'],
      /^--from \(2026-02-01\) must be before --to \(2026-01-01\)/,
    );
    usageError(
      ['export', '--from', '2026-01-01', '--to', '2026-02-01', '--format', 'csv', '--request', 'REQ-1'],
      /^--request must be a request ID like CUS-2026-0001 \(got "REQ-1"\)/,
    );
    usageError(
      ['export', '--from', '2026-01-01', '--to', '2026-02-01', '--format', 'csv', '--mailbox', ' '],
      /^--mailbox must not be empty/,
    );
    usageError(['export', '--from'], /--from/);
    usageError(['retention', '--export-dir', '/x'], /^Missing --days$/);
    usageError(['retention', '--days', '0', '--export-dir', '/x'], /^--days must be a whole number of days, at least 1 \(got "0"\)/);
    usageError(['retention', '--days', '30d', '--export-dir', '/x'], /got "30d"/);
    usageError(['retention', '--days', '30'], /^Missing --export-dir$/);
  });

  it('accepts only unambiguous times', () => {
    assert.equal(parseTime('--from', '2026-01-31T08:00:00Z'), Date.UTC(2026, 0, 31, 8));
    assert.equal(parseTime('--from', '2026-01-31T08:00:00+01:00'), Date.UTC(2026, 0, 31, 7));
    assert.throws(() => parseTime('--from', '2026-01-31T08:00:00'), /--from must be a date/);
  });
});
