/**
 * Errors are values of a few named kinds. `toErrorResponse` is the one place that turns them into
 * HTTP; anything else becomes a bare 500 without detail (and is never logged with request data).
 */
export type ErrorKind = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'too-large' | 'unsupported-media-type';

const STATUS: Record<ErrorKind, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
};

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly kind: ErrorKind,
    /** Stable machine-readable code, e.g. `pow-expired`. */
    readonly code: string,
    /** A sentence a person understands. */
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.kind];
  }
}

export const badRequest = (code: string, message: string) => new AppError('bad-request', code, message);

/** The case was deleted (or never existed) when a write arrived: thrown by the store, answered 404. */
export class CaseGone extends AppError {
  constructor() {
    super('not-found', 'not-found', 'This case no longer exists: it was deleted.');
  }
}

/** The readers of the case changed (a move, an escalation) after a message or file was checked against them: answered 409. */
export class ReadersChanged extends AppError {
  constructor() {
    super('conflict', 'readers-changed', 'Who can read this case changed while you were sending (it was moved or shared). Nothing was stored: open the case again and send it anew.');
  }
}
