/** `GET /api/health`: its own module, so its bundle carries no crypto. */
import { json, route, type HttpHandler } from '../http.ts';

export const healthHandler = (): HttpHandler => route(async () => json(200, { status: 'ok' }));
