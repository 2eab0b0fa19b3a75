// Typed errors of the OpenAI-compatible client. Each names the endpoint (URL) it talked to, so a
// failed evaluation says which server misbehaved and how.

/** Base class: something went wrong talking to `endpoint`. */
export class EndpointError extends Error {
  constructor(
    readonly endpoint: string,
    message: string,
  ) {
    super(message);
    this.name = 'EndpointError';
  }
}

/** The server answered with a non-2xx status (after retries, for retryable ones). */
export class EndpointHttpError extends EndpointError {
  constructor(
    endpoint: string,
    readonly status: number,
    /** The server's error message (OpenAI-style {"error":{"message"}} or the raw body, shortened). */
    readonly serverMessage: string,
    readonly attempts: number,
  ) {
    super(endpoint, `${endpoint}: HTTP ${status}${serverMessage === '' ? '' : `: ${serverMessage}`}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`);
    this.name = 'EndpointHttpError';
  }
}

/** No complete answer within the per-request timeout (after retries). */
export class EndpointTimeoutError extends EndpointError {
  constructor(
    endpoint: string,
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(endpoint, `${endpoint}: no answer within ${timeoutMs} ms${attempts > 1 ? ` (${attempts} attempts)` : ''}; raise the timeout or lower the concurrency`);
    this.name = 'EndpointTimeoutError';
  }
}

/** The connection failed (refused, reset, DNS) after retries. */
export class EndpointNetworkError extends EndpointError {
  constructor(
    endpoint: string,
    readonly causeMessage: string,
    readonly attempts: number,
  ) {
    super(endpoint, `${endpoint}: request failed (${causeMessage})${attempts > 1 ? ` after ${attempts} attempts` : ''}; is the server running?`);
    this.name = 'EndpointNetworkError';
  }
}

/** A 2xx answer that is not the expected JSON shape (never retried: the server is not OpenAI-compatible). */
export class EndpointResponseError extends EndpointError {
  constructor(
    endpoint: string,
    readonly problem: string,
  ) {
    super(endpoint, `${endpoint}: unexpected response: ${problem}`);
    this.name = 'EndpointResponseError';
  }
}
