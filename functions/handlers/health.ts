import { healthHandler } from '../api/health.ts';

export const handler = healthHandler();
