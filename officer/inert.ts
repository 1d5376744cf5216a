/**
 * Text from a case (a reporter's words, file names, anything the server lists) made inert for a
 * terminal or a text export, as GnuPG prints a user ID: control characters, bidi overrides and
 * other invisible format characters are shown as `\xNN` / `\uNNNN` escapes, so no escape sequence
 * reaches the terminal and no text can reorder itself. Line breaks inside a field become
 * continuation lines under a `| ` mark, so a field can never start a line of its own that
 * imitates the tool's entry headers.
 */

/** C0 and C1 controls, DEL, bidi embeddings, overrides, isolates and marks, line and paragraph separators, zero-width and BOM. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

const escape = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line with every unsafe character escaped; line breaks too (`\n` as `\x0a`). */
export const inertLine = (text: string): string => text.replace(/[\n\t]/g, escape).replace(UNSAFE, escape);

/** A field that may span lines: the first line as it is, the rest under `  | `, each escaped. */
export function inertLines(text: string): string[] {
  const [first = '', ...rest] = text.split(/\r\n|\n|\r/);
  return [first, ...rest.map((l) => `  | ${l}`)].map((l) => l.replace(/\t/g, '    ').replace(UNSAFE, escape));
}
