import { runDaily } from '../services/daily.ts';
import { lambdaDeps } from '../runtime.ts';

const deps = await lambdaDeps();

/** EventBridge schedule target; logs only counts. */
export const handler = async () => {
  const result = await runDaily(deps);
  console.log(`daily: reminded ${result.reminded.length} channel(s), deleted ${result.deleted} case(s), forgot ${result.noncesSwept} nonce(s), swept ${result.filesSwept} file(s)`);
};
