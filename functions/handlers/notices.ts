import { runNotices } from '../services/notices.ts';
import { lambdaDeps } from '../runtime.ts';

const deps = await lambdaDeps();

/** EventBridge schedule target, every hour on the hour; logs only counts. */
export const handler = async () => {
  const result = await runNotices(deps);
  console.log(`notices: mailed ${result.mailed.length} channel(s), ${result.failed.length} failed`);
  if (result.failed.length > 0) throw new Error('notice mail failed for some channels; they are tried again on the next run');
};
