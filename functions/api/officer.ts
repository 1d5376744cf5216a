/** HTTP adapter of the signed officer/CLB API: authenticate, parse, call the service, map the result. */
import { acknowledgeSchema, escalateSchema, moveCaseSchema, postOfficerMessageSchema, readCasesSchema, setStatusSchema } from '../../shared/schemas/officer-api.ts';
import { badRequest } from '../errors.ts';
import { officerFinishUploadSchema } from '../../shared/schemas/api.ts';
import { bodyText, json, parseBody, route, type HttpEvent, type HttpHandler } from '../http.ts';
import * as officer from '../services/officer.ts';
import { LIMITS } from './reporter.ts';
import { moveCase } from '../services/move.ts';

function caseIdOf(event: HttpEvent): string {
  const caseId = event.pathParameters?.caseId ?? '';
  if (!/^[0-9A-Z]{16}$/.test(caseId)) throw badRequest('bad-case-id', 'A case id is 16 characters of 0-9 and A-Z.');
  return caseId;
}

export const officerHandler = (deps: officer.OfficerDeps): HttpHandler =>
  route(async (event) => {
    const method = event.requestContext.http.method;
    const body = bodyText(event, LIMITS.message);
    const caller = await officer.authenticate(deps, { method, path: event.rawPath, body, headers: event.headers });
    const [, , , , , action, fileIdRaw, fileAction] = event.rawPath.split('/');
    if (method === 'GET' && event.rawPath === '/api/officer/cases') return json(200, { cases: await officer.listCases(deps, caller) });
    if (method === 'POST' && event.rawPath === '/api/officer/cases/read') {
      return json(200, await officer.readCases(deps, caller, parseBody(event, readCasesSchema, LIMITS.small).caseIds));
    }
    if (method === 'POST' && event.rawPath === '/api/officer/cases/heads') {
      return json(200, await officer.readHeads(deps, caller, parseBody(event, readCasesSchema, LIMITS.small).caseIds));
    }
    const caseId = caseIdOf(event);
    // Whose case it is comes before what the body says: another channel's case is a 403 whatever is sent.
    await officer.reachable(deps, caller, caseId);
    if (action === 'files') {
      const fileId = event.pathParameters?.fileId ?? fileIdRaw ?? '';
      if (!/^[A-Za-z0-9_-]{22}$/.test(fileId)) throw badRequest('bad-file-id', 'A file id is 22 characters of A-Z, a-z, 0-9, - and _.');
      if (method === 'GET') return json(200, await officer.fileAction(deps, caller, caseId, fileId, 'get'));
      if (fileAction === 'start') return json(200, await officer.fileAction(deps, caller, caseId, fileId, 'start'));
      if (fileAction === 'finish') {
        const { parts, seal } = parseBody(event, officerFinishUploadSchema, LIMITS.parts);
        return json(200, await officer.fileAction(deps, caller, caseId, fileId, 'finish', parts, seal));
      }
      throw badRequest('no-action', 'Unknown action.');
    }
    if (method === 'GET') return json(200, await officer.getCase(deps, caller, caseId));
    if (method === 'DELETE') {
      await officer.deleteCase(deps, caller, caseId);
      return json(200, { deleted: caseId });
    }
    switch (action) {
      case 'messages':
        return json(201, await officer.postMessage(deps, caller, caseId, parseBody(event, postOfficerMessageSchema, LIMITS.message)));
      case 'acknowledge':
        return json(200, await officer.acknowledge(deps, caller, caseId, parseBody(event, acknowledgeSchema, LIMITS.message)));
      case 'status':
        return json(200, await officer.setStatus(deps, caller, caseId, parseBody(event, setStatusSchema, LIMITS.message)));
      case 'escalate':
        return json(200, await officer.escalate(deps, caller, caseId, parseBody(event, escalateSchema, LIMITS.message)));
      case 'move':
        return json(200, await moveCase(deps, caller, caseId, parseBody(event, moveCaseSchema, LIMITS.message)));
      default:
        throw badRequest('no-action', 'Unknown action.');
    }
  });
