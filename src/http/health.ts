import { type Clock, systemClock } from '../shared/clock';

// Framework-agnostic health model behind GET /healthz (liveness) and
// GET /readyz (readiness). Checks run in parallel, each bounded by a timeout,
// and a failure is reported by a short message with credentials removed, so
// the response can be served to a load balancer without leaking secrets.

export type HealthCheck = { name: string; check: () => Promise<void> };

export type HealthCheckResult = { name: string; ok: boolean; error?: string; ms: number };

export type HealthReport = { status: 'ok' | 'fail'; checks: HealthCheckResult[] };

const MAX_ERROR_LENGTH = 200;

/**
 * Runs every check at once; status is 'ok' only when all of them pass within
 * timeoutMs. Results keep the order of `checks`. An empty list is 'ok'
 * (liveness: the process answered).
 */
export async function runHealth(checks: readonly HealthCheck[], timeoutMs: number, clock: Clock = systemClock): Promise<HealthReport> {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`runHealth: timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  }
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs, clock)));
  return { status: results.every((result) => result.ok) ? 'ok' : 'fail', checks: results };
}

async function runOne(check: HealthCheck, timeoutMs: number, clock: Clock): Promise<HealthCheckResult> {
  const started = clock.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HealthTimeout(timeoutMs)), timeoutMs);
  });
  try {
    // The check is started inside the try so a synchronous throw is caught too.
    await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
    return { name: check.name, ok: true, ms: elapsed(clock, started) };
  } catch (error) {
    return { name: check.name, ok: false, error: describeFailure(error), ms: elapsed(clock, started) };
  } finally {
    clearTimeout(timer);
  }
}

class HealthTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

function elapsed(clock: Clock, started: number): number {
  return Math.max(0, clock.now() - started);
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const cleaned = redactSecrets(message).replace(/\s+/g, ' ').trim();
  if (cleaned === '') return 'check failed';
  return cleaned.length > MAX_ERROR_LENGTH ? `${cleaned.slice(0, MAX_ERROR_LENGTH - 3)}...` : cleaned;
}

/**
 * Removes the credential shapes that show up in driver and HTTP errors:
 * user:password in URLs, key=value secrets, bearer tokens and JWTs.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@')
    .replace(/\bBearer\s+[^\s,;"']+/gi, 'Bearer [redacted]')
    .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted]')
    .replace(
      /\b(password|passwd|pwd|secret|client_secret|clientsecret|token|access_token|refresh_token|apikey|api_key|accountkey|sharedaccesskey|sig|key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;&,]+)/gi,
      '$1$2[redacted]',
    );
}
