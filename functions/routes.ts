/**
 * Every API route and the function that serves it. The local adapter and the CDK HTTP API are both
 * built from this table, so the two cannot drift apart. `{name}` marks a path parameter.
 */
export const FUNCTIONS = ['health', 'challenge', 'submit', 'reporter-case', 'officer'] as const;
/** Functions that no route reaches: `daily` runs on a schedule. */
export const SCHEDULED = ['daily', 'notices'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  fn: FunctionName;
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/health', fn: 'health' },
  { method: 'POST', path: '/api/challenge', fn: 'challenge' },
  { method: 'GET', path: '/api/proof-key', fn: 'challenge' },
  { method: 'GET', path: '/api/proof-key.pem', fn: 'challenge' },
  { method: 'POST', path: '/api/reports', fn: 'submit' },
  { method: 'POST', path: '/api/case', fn: 'reporter-case' },
  { method: 'POST', path: '/api/case/messages', fn: 'reporter-case' },
  { method: 'POST', path: '/api/case/files/start', fn: 'reporter-case' },
  { method: 'POST', path: '/api/case/files/finish', fn: 'reporter-case' },
  { method: 'POST', path: '/api/case/files/get', fn: 'reporter-case' },
  { method: 'GET', path: '/api/officer/cases', fn: 'officer' },
  { method: 'GET', path: '/api/officer/cases/{caseId}', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/read', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/heads', fn: 'officer' },
  { method: 'DELETE', path: '/api/officer/cases/{caseId}', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/{caseId}/messages', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/{caseId}/acknowledge', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/{caseId}/status', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/{caseId}/escalate', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/{caseId}/move', fn: 'officer' },
  { method: 'GET', path: '/api/officer/cases/{caseId}/files/{fileId}', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/{caseId}/files/{fileId}/start', fn: 'officer' },
  { method: 'POST', path: '/api/officer/cases/{caseId}/files/{fileId}/finish', fn: 'officer' },
];

/** Percent-decodes a path parameter once; a malformed escape stays as sent (and fails the handler's own check). */
function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Matches a request's raw (still percent-encoded) path to a route; returns the decoded path parameters too. */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'));
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (match) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeParam(match[i + 1]!)])) };
  }
  return null;
}
