// Errors the server answers with: an HTTP status and an OpenAI-style body
// {"error": {"message", "type", "param", "code"}}, so clients written for OpenAI/vLLM show the message.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request field at fault, or null. */
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get type(): string {
    if (this.status === 401) return 'authentication_error';
    if (this.status === 404) return 'not_found_error';
    if (this.status === 413) return 'request_too_large';
    if (this.status >= 500) return 'server_error';
    return 'invalid_request_error';
  }

  toJson(): { error: { message: string; type: string; param: string | null; code: number } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.status } };
  }
}
