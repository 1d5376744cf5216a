import { startStack } from './test/support/stack.ts';
import { buildSubmission, post } from './test/support/reports.ts';
const stack = await startStack();
const first = await buildSubmission(stack.url, stack.config);
console.log(JSON.stringify((await post(stack.url, '/api/reports', first.body)).json));
await stack.stop();
