import { healthHandler } from '../api/reporter.ts';

export const handler = healthHandler();
