// Assertions on HTTP responses that say what was expected, what came back, and from which URL.

import { AssertionFailure } from '../check/errors.js';
import type { HttpResponse } from './probe.js';

export function expectStatus(response: HttpResponse, status: number): void {
  if (response.status !== status) {
    throw new AssertionFailure(`GET ${response.url} answered ${response.status}, expected ${status}`, { url: response.url, statusCode: response.status });
  }
}

/** The response's JSON object body; a 200 with another body is a wrong body, said as such. */
export function expectJsonObject(response: HttpResponse): Record<string, unknown> {
  expectStatus(response, 200);
  if (!response.contentType.includes('application/json')) {
    throw new AssertionFailure(`GET ${response.url} answered ${response.contentType || 'no Content-Type'}, expected application/json`, { url: response.url, statusCode: response.status });
  }
  const body = response.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AssertionFailure(`GET ${response.url} answered a body that is not a JSON object: ${preview(body)}`, { url: response.url, statusCode: response.status });
  }
  return body as Record<string, unknown>;
}

export function preview(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
