import { challengeHandler } from '../api/reporter.ts';
import { lambdaDeps } from '../runtime.ts';

export const handler = challengeHandler(await lambdaDeps());
