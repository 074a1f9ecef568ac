import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { parseRetryAfter } from './retry-after';
import { timeoutSignal, type FetchLike } from './trusted-fetch';

/**
 * MSAL's network client over our fetch, so that token requests trust the same
 * CA as the API calls (MSAL's built-in client uses the global fetch).
 */
export class MsalNetworkClient implements INetworkModule {
  constructor(
    private readonly fetch: FetchLike,
    private readonly timeoutMs: number,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options);
  }

  private async send<T>(url: string, method: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const response = await this.fetch(url, {
      method,
      headers: options?.headers ?? {},
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      signal: timeoutSignal(timeout ?? this.timeoutMs),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const text = await response.text();
    if (response.status === 429 || response.status >= 500) {
      // Raised here so that our retry helper, not MSAL's throttle cache
      // (60 s by default after any 5xx), decides when to ask again.
      const err = new AuthError('temporarily_unavailable', '', `The token endpoint answered HTTP ${response.status}.`);
      throw Object.assign(err, { status: response.status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // MSAL reads error fields from the body; give it a shape it understands.
      body = {
        error: 'malformed_response',
        error_description: `The token endpoint answered HTTP ${response.status} with a body that is not JSON.`,
      };
    }
    return { headers, body: body as T, status: response.status };
  }
}
