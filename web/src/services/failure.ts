/**
 * What went wrong, in the few kinds the reporter can act on. Read from the error's name and code,
 * not `instanceof`, so this module does not pull the protocol chunk (and openpgp.js) into first paint.
 */
export type Failure =
  /** No case for this code (the code itself is well formed). */
  | 'not-found'
  /** The case is closed; nothing can be added. */
  | 'case-closed'
  /** The readers of the case changed since it was opened; read it again before sending. */
  | 'wrong-recipients'
  /** The server lists a reader this page does not know: nothing is sent to it. */
  | 'unknown-reader'
  | 'too-large'
  /** The network is down or the server did not answer. */
  | 'offline'
  | 'aborted'
  | 'failed';

export function failureOf(error: unknown): Failure {
  if (!(error instanceof Error)) return 'failed';
  if (error.name === 'AbortError') return 'aborted';
  // fetch() rejects with a TypeError when there is no connection at all.
  if (error.name === 'TypeError') return 'offline';
  const code = (error as { code?: unknown }).code;
  if (error.name === 'ApiError') {
    switch (code) {
      case 'not-found':
      case 'case-closed':
      case 'wrong-recipients':
      case 'too-large':
        return code;
      default:
        return 'failed';
    }
  }
  // CryptoError('bad-key') from postMessage: the server named a reader this page did not ship with.
  if (error.name === 'CryptoError' && (error as { kind?: unknown }).kind === 'bad-key') return 'unknown-reader';
  return 'failed';
}
