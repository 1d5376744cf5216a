/** HTTP adapters for the reporter functions: parse with zod, call the service, map the result. */
import {
  fileRequestSchema,
  finishUploadRequestSchema,
  openCaseRequestSchema,
  postMessageRequestSchema,
  submitRequestSchema,
} from '../../shared/schemas/api.ts';
import { json, parseBody, route, type HttpHandler } from '../http.ts';
import * as reporter from '../services/reporter.ts';
import * as files from '../services/files.ts';

/** Body limits: a report or message (≤ 350 000 armored characters) plus keys and framing. */
export const LIMITS = { small: 4 * 1024, message: 400 * 1024, parts: 128 * 1024 } as const;


export const submitHandler = (deps: reporter.ReporterDeps): HttpHandler =>
  route(async (event) => {
    const request = parseBody(event, submitRequestSchema, LIMITS.message + 16 * 1024);
    const { receipt, created } = await reporter.submit(deps, request);
    return json(created ? 201 : 200, receipt);
  });

/** `POST /api/case` opens a case; `/messages` adds to it; `/files/start|finish|get` move its files. */
export const reporterCaseHandler = (deps: reporter.ReporterDeps): HttpHandler =>
  route(async (event) => {
    switch (event.rawPath) {
      case '/api/case/messages':
        return json(201, await reporter.postMessage(deps, parseBody(event, postMessageRequestSchema, LIMITS.message)));
      case '/api/case/files/start': {
        const request = parseBody(event, fileRequestSchema, LIMITS.small);
        return json(200, await files.startUpload(deps, await reporter.caseForFiles(deps, request), request.fileId, 'reporter'));
      }
      case '/api/case/files/finish': {
        const request = parseBody(event, finishUploadRequestSchema, LIMITS.parts);
        const doc = await reporter.caseForFiles(deps, request);
        return json(200, await files.finishUpload(deps, doc, request.fileId, 'reporter', request.parts, doc.recipientKeyIds, request.seal));
      }
      case '/api/case/files/get': {
        const request = parseBody(event, fileRequestSchema, LIMITS.small);
        return json(200, await files.fileUrl(deps, await reporter.caseForFiles(deps, request), request.fileId, ['case']));
      }
      default:
        return json(200, await reporter.openCase(deps, parseBody(event, openCaseRequestSchema, LIMITS.small)));
    }
  });
