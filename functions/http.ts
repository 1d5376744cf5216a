/**
 * The thin edge between API Gateway (HTTP API, payload v2) and the services: body parsing with
 * size limits and zod, JSON responses, error mapping. Types are the few fields we use.
 */
import type * as z from 'zod/mini';
import { AppError, badRequest } from './errors.ts';

export interface HttpEvent {
  version?: string;
  routeKey?: string;
  rawPath: string;
  headers: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string; path: string } };
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type HttpHandler = (event: HttpEvent) => Promise<HttpResult>;

export const API_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const json = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { ...API_HEADERS },
  body: JSON.stringify(body),
});

export function errorResult(error: unknown): HttpResult {
  if (error instanceof AppError) return json(error.status, { error: { code: error.code, message: error.message } });
  // Deliberately no detail: neither in the response nor in the log, which could hold request data.
  console.error('internal error', error instanceof Error ? error.name : typeof error);
  return json(500, { error: { code: 'internal', message: 'Something went wrong on our side. Please try again later.' } });
}

/** Headers that could identify a reporter. No route needs them, so no route gets them. */
export const IDENTIFYING_HEADERS = ['user-agent', 'x-forwarded-for', 'forwarded', 'x-real-ip', 'cookie', 'cloudfront-viewer-address', 'true-client-ip'];

function withoutIdentity(event: HttpEvent): HttpEvent {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).filter(([name]) => !IDENTIFYING_HEADERS.includes(name.toLowerCase())));
  // API Gateway puts the caller's address and user agent in requestContext.http too: keep only method and path.
  const { method, path } = event.requestContext.http;
  return { ...event, headers, requestContext: { http: { method, path } } };
}

/** Wraps a route implementation: strips identifying data, and turns every thrown error into a response. */
export const route =
  (fn: (event: HttpEvent) => Promise<HttpResult>): HttpHandler =>
  async (event) => {
    try {
      return await fn(withoutIdentity(event));
    } catch (error) {
      return errorResult(error);
    }
  };

const unsupported = (message: string) => new AppError('unsupported-media-type', 'unsupported-media-type', message);

/** A body must be plain JSON: declared as `application/json` (UTF-8), and not compressed or otherwise encoded. */
function requireJson(event: HttpEvent) {
  const header = (name: string) => Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1]?.trim().toLowerCase() ?? '';
  const encoding = header('content-encoding');
  if (encoding && encoding !== 'identity') throw unsupported('Send the request body uncompressed (no Content-Encoding).');
  const method = event.requestContext.http.method;
  if ((method === 'GET' || method === 'DELETE') && !event.body) return;
  if (!/^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/.test(header('content-type'))) {
    throw unsupported('The request body must be JSON, sent with "Content-Type: application/json".');
  }
}

/** The raw body text, refusing anything over `maxBytes` or not declared as JSON before it is parsed. */
export function bodyText(event: HttpEvent, maxBytes: number): string {
  requireJson(event);
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new AppError('too-large', 'too-large', `The request is too large (at most ${Math.floor(maxBytes / 1024)} KB).`);
  }
  return text;
}

/** Parses a JSON body with a schema; every failure is a 400 that says what is wrong. */
export function parseBody<S extends z.ZodMiniType>(event: HttpEvent, schema: S, maxBytes: number): z.infer<S> {
  const text = bodyText(event, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('malformed-json', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? ` (at ${issue.path.join('.')})` : '';
    throw badRequest('invalid-request', `The request is not valid: ${issue.message}${at}.`);
  }
  return parsed.data;
}
