/** The handler behind each function name, as the local adapter runs them (Lambda builds its own in functions/handlers/). */
import { healthHandler } from '../api/health.ts';
import { reporterCaseHandler, submitHandler } from '../api/reporter.ts';
import { challengeHandler } from '../api/challenge.ts';
import { officerHandler } from '../api/officer.ts';
import type { HttpHandler } from '../http.ts';
import type { FunctionName } from '../routes.ts';
import type { ReporterDeps } from '../services/reporter.ts';

export function localHandlers(deps: ReporterDeps): Record<FunctionName, HttpHandler> {
  return {
    health: healthHandler(),
    challenge: challengeHandler({ keys: deps.keys, clock: deps.clock, difficulty: deps.runtime.config.powDifficulty }),
    submit: submitHandler(deps),
    'reporter-case': reporterCaseHandler(deps),
    officer: officerHandler(deps),
  };
}
