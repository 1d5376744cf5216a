/** A mistake the person at the keyboard can fix: printed as a sentence, never as a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
