/** A small fetch client for the reporter API that validates every response with zod. */
import type * as z from 'zod/mini';
import { errorBodySchema } from '../schemas/api.ts';

export interface ApiClient {
  /** Origin of the API, '' for the page's own. */
  base: string;
  fetch?: typeof fetch;
}

/** A refusal from the server (4xx/5xx) with its machine code, or a response we do not believe. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function call<S extends z.ZodMiniType>(api: ApiClient, path: string, body: unknown, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
  const doFetch = api.fetch ?? fetch;
  const response = await doFetch(`${api.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    cache: 'no-store',
    signal,
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = errorBodySchema.safeParse(json);
    if (error.success) throw new ApiError(response.status, error.data.error.code, error.data.error.message);
    throw new ApiError(response.status, 'unexpected', `The server answered ${response.status}.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(response.status, 'bad-response', 'The server sent an answer this page does not understand.');
  return parsed.data;
}
