import { challengeHandler } from '../api/challenge.ts';
import { challengeDeps } from '../runtime-challenge.ts';

export const handler = challengeHandler(await challengeDeps());
