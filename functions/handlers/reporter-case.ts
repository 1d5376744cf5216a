import { reporterCaseHandler } from '../api/reporter.ts';
import { lambdaDeps } from '../runtime.ts';

export const handler = reporterCaseHandler(await lambdaDeps(['keys']));
