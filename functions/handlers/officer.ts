import { officerHandler } from '../api/officer.ts';
import { lambdaDeps } from '../runtime.ts';

export const handler = officerHandler(await lambdaDeps());
