import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { retry } from '../../shared/retry';
import { Semaphore } from '../../shared/semaphore';
import { TokenError, type TokenProvider } from '../auth/token-provider';
import { timeoutSignal, type FetchLike, type FetchResponse } from '../auth/trusted-fetch';
import { parseRetryAfter } from '../auth/retry-after';
import { ExchangeHttpError, describeAdminApiError } from './admin-api-errors';

/**
 * Documented v2.0 endpoints, plus the older beta InvokeCommand endpoint (used by
 * the Exchange Online PowerShell module) for cmdlets v2.0 does not offer, such as
 * Add-/Remove-/Get-MailboxPermission and Get-RecipientPermission.
 */
export type AdminEndpoint = 'Mailbox' | 'MailboxFolderPermission' | 'OrganizationConfig' | 'InvokeCommand';

export type CmdletParameters = Record<string, unknown>;
export type CmdletObject = Record<string, unknown>;

export interface CmdletResult {
  value: CmdletObject[];
  /** Exchange's warnings ("@adminapi.warnings"), e.g. "the ACE doesn't exist". */
  warnings: string[];
}

export interface AdminApiClientOptions {
  /** e.g. https://outlook.office365.com */
  baseUrl: string;
  tenantId: string;
  tokens: TokenProvider;
  fetch: FetchLike;
  logger: Logger;
  requestTimeoutMs?: number;
  /** One cmdlet call including retries (default 60 s). */
  budgetMs?: number;
  /** Stop following @odata.nextLink after this many pages (default 100). */
  maxPages?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Requests to Exchange in flight at once, across all callers (default 64);
   * waits for Retry-After do not count. Changes (Add-, Remove-, Set-) go
   * before reads when requests queue: in a burst, access is removed first
   * and read back after.
   */
  maxConcurrent?: number;
}

/** The routing hint Exchange uses to find the right server. */
export function mailboxAnchor(mailbox: string): string {
  return `UPN:${mailbox}`;
}

/** App-only calls that target no mailbox route through the tenant's system mailbox. */
export function appAnchor(tenantDomain: string): string {
  return `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantDomain}`;
}

/** "This app may not run <cmdlet>": the 403 Exchange gives for a cmdlet outside the app's role. */
function notPermitted(cmdlet: string): ExchangeHttpError {
  return new ExchangeHttpError(
    `${cmdlet}: this app may not run ${cmdlet} (Exchange answered HTTP 403 without a JSON body: the app's Exchange role does not include the cmdlet).`,
    'cmdletNotPermitted',
    false,
    403,
  );
}

/** Exchange's answer to a next-page link it no longer honours (fact 12 of real-tenant.md). */
const PAGINATION_REFUSED = /Expired or Invalid pagination request/i;

/** Cmdlets the beta InvokeCommand endpoint runs that a v2.0 endpoint runs too. */
const V2_ENDPOINT_OF: Partial<Record<string, AdminEndpoint>> = {
  'Get-Mailbox': 'Mailbox',
  'Get-MailboxFolderPermission': 'MailboxFolderPermission',
  'Get-OrganizationConfig': 'OrganizationConfig',
};

/** A next page refused after earlier pages were read: what was read is incomplete. */
class PageRefused extends Error {
  constructor(
    readonly refusal: ExchangeHttpError,
    readonly page: number,
  ) {
    super(refusal.message);
  }
}

function incompleteList(cmdlet: string, refused: PageRefused): ExchangeHttpError {
  return new ExchangeHttpError(
    `${cmdlet}: Exchange refused page ${refused.page + 1} of the list ("Expired or Invalid pagination request"), so the list would be incomplete and was not used.`,
    'paginationRefused',
    false,
    400,
  );
}

/** Runs Exchange cmdlets over the Exchange Online Admin API. */
export class ExchangeAdminApiClient {
  private readonly timeoutMs: number;
  /** Keeps a burst (a thousand grants expiring at once) inside what the tenant's throttling budget takes. */
  private readonly inFlight: Semaphore;

  constructor(private readonly options: AdminApiClientOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.inFlight = new Semaphore(options.maxConcurrent ?? 64);
  }

  endpointUrl(endpoint: AdminEndpoint): string {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const tenant = encodeURIComponent(this.options.tenantId);
    return endpoint === 'InvokeCommand' ? `${base}/adminapi/beta/${tenant}/InvokeCommand` : `${base}/adminapi/v2.0/${tenant}/${endpoint}`;
  }

  /**
   * Runs one cmdlet and reads every page (Exchange pages with @odata.nextLink,
   * same POST body). A list is whole or an error, never cut short: a cut
   * permission list would hide standing access from the drift sweep.
   */
  async run(endpoint: AdminEndpoint, cmdlet: string, parameters: CmdletParameters, anchor: string): Promise<CmdletResult> {
    try {
      return await this.readAll(endpoint, cmdlet, parameters, anchor);
    } catch (err) {
      if (!(err instanceof PageRefused)) throw err;
      // Fact 12: beta InvokeCommand refuses its own next-page links; v2.0 follows them, so lists go there where it has the cmdlet.
      const v2 = endpoint === 'InvokeCommand' ? V2_ENDPOINT_OF[cmdlet] : undefined;
      if (v2) return this.readAll(v2, cmdlet, parameters, anchor);
      // v2.0 links expire (30 minutes by default): one fresh read from the first page.
      if (endpoint !== 'InvokeCommand') {
        try {
          return await this.readAll(endpoint, cmdlet, parameters, anchor);
        } catch (again) {
          if (!(again instanceof PageRefused)) throw again;
          throw incompleteList(cmdlet, again);
        }
      }
      throw incompleteList(cmdlet, err);
    }
  }

  private async readAll(endpoint: AdminEndpoint, cmdlet: string, parameters: CmdletParameters, anchor: string): Promise<CmdletResult> {
    const body = JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } });
    const result: CmdletResult = { value: [], warnings: [] };
    let url: string | undefined = this.endpointUrl(endpoint);
    const origin = new URL(url).origin;
    for (let page = 0; url; page++) {
      if (page >= (this.options.maxPages ?? 100)) {
        throw new ExchangeHttpError(`${cmdlet}: more than ${page} pages; stopped reading.`, 'tooManyPages', false, 200);
      }
      // Never send the token anywhere but the configured Exchange host.
      if (new URL(url).origin !== origin) {
        throw new ExchangeHttpError(`${cmdlet}: Exchange sent a next-page link to another host.`, 'malformedResponse', false, 200);
      }
      const pageUrl: string = url;
      let answer: CmdletResult & { nextLink?: string };
      try {
        answer = await this.postWithRetry(pageUrl, body, cmdlet, anchor);
      } catch (err) {
        if (page > 0 && err instanceof ExchangeHttpError && err.status === 400 && PAGINATION_REFUSED.test(err.message))
          throw new PageRefused(err, page);
        throw err;
      }
      result.value.push(...answer.value);
      result.warnings.push(...answer.warnings);
      url = answer.nextLink;
    }
    return result;
  }

  private postWithRetry(url: string, body: string, cmdlet: string, anchor: string): Promise<CmdletResult & { nextLink?: string }> {
    const change = !/^(Get|Test)-/i.test(cmdlet);
    return retry(
      ({ remainingMs }) =>
        this.inFlight.run(() => this.postOnce(url, body, cmdlet, anchor, Math.min(this.timeoutMs, Math.max(remainingMs, 1))), change),
      {
        baseDelayMs: 1_000,
        maxDelayMs: 15_000,
        budgetMs: this.options.budgetMs ?? 60_000,
        clock: this.options.clock,
        sleep: this.options.sleep,
        isRetryable: (err) => err instanceof ExchangeHttpError && err.transient,
        retryAfterMs: (err) => (err instanceof ExchangeHttpError ? err.retryAfterMs : undefined),
        onRetry: (n) => {
          const e = n.error as ExchangeHttpError;
          this.options.logger.warn(
            { cmdlet, attempt: n.attempt, delayMs: n.delayMs, code: e.code, status: e.status },
            'Exchange call failed, retrying',
          );
        },
      },
    );
  }

  private retryAfter(response: FetchResponse): number | undefined {
    return parseRetryAfter(response.headers.get('retry-after'), this.options.clock?.now());
  }

  private async postOnce(
    url: string,
    body: string,
    cmdlet: string,
    anchor: string,
    timeoutMs: number,
  ): Promise<CmdletResult & { nextLink?: string }> {
    let token: string;
    try {
      token = await this.options.tokens.getToken('exchange');
    } catch (err) {
      const e = err instanceof TokenError ? err : new TokenError(String(err), 'unknown', false);
      throw new ExchangeHttpError(`${cmdlet}: ${e.message}`, `token:${e.code}`, e.transient, 0);
    }
    let response: FetchResponse;
    let text: string;
    try {
      response = await this.options.fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'x-anchormailbox': anchor,
          'x-responseformat': 'json',
        },
        body,
        signal: timeoutSignal(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const message = timedOut ? `${cmdlet}: Exchange did not answer in time.` : `${cmdlet}: connection to Exchange failed.`;
      throw new ExchangeHttpError(message, timedOut ? 'timeout' : 'networkError', true, 0);
    }
    const status = response.status;
    // Fact 2: a cmdlet outside the app's Exchange role answers 403 with a body of NUL bytes.
    const meaningful = text.replaceAll(String.fromCharCode(0), '').trim();
    let parsed: unknown;
    if (meaningful) {
      try {
        parsed = JSON.parse(meaningful);
      } catch {
        if (status === 403) throw notPermitted(cmdlet);
        throw new ExchangeHttpError(
          `${cmdlet}: Exchange answered HTTP ${status} with a body that is not JSON.`,
          'malformedResponse',
          status >= 500 || status === 429,
          status,
          this.retryAfter(response),
        );
      }
    }
    if (status < 200 || status >= 300) {
      if (status === 403 && parsed === undefined) throw notPermitted(cmdlet);
      const { code, text: detail } = describeAdminApiError(status, parsed);
      const transient = status === 429 || status >= 500;
      throw new ExchangeHttpError(
        `${cmdlet}: Exchange refused (HTTP ${status} ${code}): ${detail}`,
        code,
        transient,
        status,
        this.retryAfter(response),
      );
    }
    if (parsed === undefined) return { value: [], warnings: [] };
    const page = parsed as { value?: unknown; '@odata.nextLink'?: unknown; '@adminapi.warnings'?: unknown };
    const warnings = Array.isArray(page['@adminapi.warnings'])
      ? page['@adminapi.warnings'].filter((w): w is string => typeof w === 'string')
      : [];
    // Fact 1: cmdlets without output answer 2xx without "value" or with "value": null; that is success with no rows.
    if (page.value === undefined || page.value === null) return { value: [], warnings };
    if (!Array.isArray(page.value) || !page.value.every((v) => v !== null && typeof v === 'object')) {
      throw new ExchangeHttpError(
        `${cmdlet}: Exchange answered with a "value" that is not a list of objects.`,
        'malformedResponse',
        false,
        status,
      );
    }
    const nextLink = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : undefined;
    return { value: page.value as CmdletObject[], warnings, nextLink };
  }
}
