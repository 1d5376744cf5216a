import { submitHandler } from '../api/reporter.ts';
import { lambdaDeps } from '../runtime.ts';

export const handler = submitHandler(await lambdaDeps(['keys']));
