// Operator commands for the audit trail: verify the chain, export records,
// apply retention. Exit codes: 0 done, 1 failed (chain broken, store or file
// error), 2 bad arguments.
import { once } from 'node:events';
import { applyRetention, RetentionError } from '../audit/retention';
import { AUDIT_USAGE, parseAuditArgs, UsageError, type AuditCommand } from '../audit/cli-args';
import { exportAudit } from '../audit/export';
import { buildReport } from '../audit/report/build-report';
import { reportDocument, unwritableReason } from '../audit/report/report-output';
import { verifyChain } from '../audit/verify';
import type { AuditEvent } from '../domain/types';
import { systemClock } from '../shared/clock';
import { silentLogger } from '../shared/logger';
import { writeFileAtomically } from '../shared/atomic-file';
import type { Store } from '../store/store';
import { openStore } from '../store/open-store';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function runAuditCli(argv: string[], io: CliIo): Promise<number> {
  let command: AuditCommand;
  try {
    command = parseAuditArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message}\n\n${AUDIT_USAGE}\n`);
    return 2;
  }
  if (command.command === 'help') {
    io.stdout.write(`${AUDIT_USAGE}\n`);
    return 0;
  }

  if (command.command === 'report' && command.out !== undefined) {
    const reason = await unwritableReason(command.out);
    if (reason) {
      io.stderr.write(`--out: cannot write the report to ${command.out}: ${reason}\n`);
      return 2;
    }
  }

  let store: Store;
  try {
    store = await openStore({
      mongodbUri: io.env.MONGODB_URI || undefined,
      mongodbDb: io.env.MONGODB_DB || 'custodian',
      dataDir: io.env.CUSTODIAN_DATA_DIR || './data',
    });
  } catch (error) {
    io.stderr.write(`Could not open the store: ${describe(error)}\n`);
    return 1;
  }
  try {
    return await run(command, store, io);
  } catch (error) {
    io.stderr.write(`${error instanceof RetentionError ? '' : 'Failed: '}${describe(error)}\n`);
    return 1;
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function run(command: Exclude<AuditCommand, { command: 'help' }>, store: Store, io: CliIo): Promise<number> {
  switch (command.command) {
    case 'verify': {
      const result = await verifyChain(store);
      if (!result.ok) {
        io.stderr.write(`Audit chain verification FAILED at record ${result.seq} (${result.problem}): ${result.message}\n`);
        return 1;
      }
      io.stdout.write(
        result.count === 0
          ? 'Audit chain verified: it holds no records.\n'
          : `Audit chain verified: ${plural(result.count, 'record')} (${result.headSeq - result.count + 1} to ${result.headSeq}).\n`,
      );
      return 0;
    }
    case 'export': {
      const upn = command.requesterUpn?.toLowerCase();
      const filter = upn ? (event: AuditEvent) => requesterUpnMatches(event, upn) : undefined;
      let count = 0;
      const chunks = exportAudit(store, command.query, command.format, {
        filter: (event) => {
          const keep = filter ? filter(event) : true;
          if (keep) count++;
          return keep;
        },
      });
      if (command.out) {
        await writeFileAtomically(command.out, chunks);
        io.stderr.write(`Exported ${plural(count, 'audit record')} to ${command.out}.\n`);
      } else {
        for await (const chunk of chunks) {
          if (!io.stdout.write(chunk)) await once(io.stdout, 'drain');
        }
      }
      return 0;
    }
    case 'retention': {
      const result = await applyRetention(store, undefined, {
        now: systemClock.now(),
        retentionDays: command.days,
        exportDir: command.exportDir,
        logger: silentLogger,
      });
      if (result.removed === 0) {
        io.stdout.write(`No audit records older than ${command.days} days; nothing removed.\n`);
      } else if (result.fromSeq === undefined) {
        io.stdout.write(
          `Removed ${plural(result.removed, 'audit record')} up to ${result.throughSeq} that an interrupted run had already exported to ${result.exportedTo}.\n`,
        );
      } else {
        io.stdout.write(
          `Removed ${plural(result.removed, 'audit record')} (${result.fromSeq} to ${result.throughSeq}) after exporting them to ${result.exportedTo}.\n`,
        );
      }
      return 0;
    }
    case 'report': {
      const report = await buildReport(store, { from: command.from, to: command.to, tenant: tenantOf(io.env), now: systemClock.now() });
      const document = await reportDocument(report, command.format);
      const warning = report.chain.verified
        ? ''
        : ` WARNING: the audit chain did not verify (record ${report.chain.failure?.seq}); the report says so at the top.`;
      if (command.out) {
        await writeFileAtomically(command.out, [document]);
        io.stderr.write(
          `Wrote the ${command.format.toUpperCase()} report of ${plural(report.chain.records, 'audit record')} to ${command.out}.${warning}\n`,
        );
      } else {
        if (!io.stdout.write(document)) await once(io.stdout, 'drain');
        if (warning) io.stderr.write(`${warning.trim()}\n`);
      }
      // A report built on a broken chain is still written (it says so), but the run is not a success.
      return report.chain.verified ? 0 : 1;
    }
  }
}

/** Which tenant the report is about: the Microsoft 365 tenant Custodian works in. */
function tenantOf(env: NodeJS.ProcessEnv): string {
  return env.M365_TENANT_ID || env.MICROSOFT_APP_TENANT_ID || 'local tenant (M365_TENANT_ID not set)';
}

/** The actor, or the requester named in the details, has this UPN (case-insensitive). */
function requesterUpnMatches(event: AuditEvent, upn: string): boolean {
  const requester = event.details?.requester as { upn?: unknown } | undefined;
  return event.actor.upn?.toLowerCase() === upn || (typeof requester?.upn === 'string' && requester.upn.toLowerCase() === upn);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Error text without credentials that a connection string might carry. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\/\/[^/@\s]+@/g, '//[redacted]@');
}

if (require.main === module) {
  runAuditCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Failed: ${describe(error)}\n`);
      process.exitCode = 1;
    },
  );
}
