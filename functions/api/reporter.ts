/** HTTP adapters for the reporter functions: parse with zod, call the service, map the result. */
import {
  challengeRequestSchema,
  openCaseRequestSchema,
  postMessageRequestSchema,
  submitRequestSchema,
} from '../../shared/schemas/api.ts';
import { json, parseBody, route, type HttpHandler } from '../http.ts';
import * as reporter from '../services/reporter.ts';

/** Body limits: a report or message (≤ 350 000 armored characters) plus keys and framing. */
export const LIMITS = { small: 4 * 1024, message: 400 * 1024 } as const;

export const challengeHandler = (deps: reporter.ReporterDeps): HttpHandler =>
  route(async (event) => {
    const { purpose } = parseBody(event, challengeRequestSchema, LIMITS.small);
    return json(200, await reporter.challenge(deps, purpose));
  });

export const submitHandler = (deps: reporter.ReporterDeps): HttpHandler =>
  route(async (event) => {
    const request = parseBody(event, submitRequestSchema, LIMITS.message + 16 * 1024);
    const { receipt, created } = await reporter.submit(deps, request);
    return json(created ? 201 : 200, receipt);
  });

/** `POST /api/case` opens a case; `POST /api/case/messages` adds to it. */
export const reporterCaseHandler = (deps: reporter.ReporterDeps): HttpHandler =>
  route(async (event) => {
    if (event.rawPath.endsWith('/messages')) {
      const request = parseBody(event, postMessageRequestSchema, LIMITS.message);
      return json(201, await reporter.postMessage(deps, request));
    }
    return json(200, await reporter.openCase(deps, parseBody(event, openCaseRequestSchema, LIMITS.small)));
  });
