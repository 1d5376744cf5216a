/**
 * The proof of reporting (bewijs van melding): a short statement, signed by the service, that a
 * report with a given commitment (the SHA-256 of the encrypted report as stored) was received on a
 * given day. It says nothing without the report itself, and anyone can check it offline with
 * openssl and the service's public key (docs/proof-of-reporting.md).
 */
import { sha256, toHex, utf8 } from './bytes.ts';

const TITLE = 'Meldpunt: bewijs van melding / proof of reporting (v1)';
const LABELS = { organisation: 'organisatie / organisation:', receivedOn: 'ontvangen op / received on:', commitment: 'kenmerk / commitment:' } as const;
const SIGNATURE = 'handtekening / signature:';

export interface ProofFields {
  organisation: string;
  receivedOn: string;
  /** `sha256:` and 64 hex digits. */
  commitment: string;
}

/** The commitment to a report: SHA-256 of its stored (canonical) armored text. */
export const commitmentOf = async (armoredReport: string) => `sha256:${toHex(await sha256(utf8(armoredReport)))}`;

/** The exact bytes that are signed: four lines, each ending in a newline. */
export function proofStatement(f: ProofFields): string {
  const organisation = f.organisation.replace(/[\r\n]+/g, ' ');
  return `${TITLE}\n${LABELS.organisation} ${organisation}\n${LABELS.receivedOn} ${f.receivedOn}\n${LABELS.commitment} ${f.commitment}\n`;
}

/** The name the proof is saved under, which its own instructions use. */
export const PROOF_FILE_NAME = 'bewijs-van-melding.txt';

/**
 * The file the reporter keeps: the statement, its signature, and how to check both, with the
 * site's own address (`origin`, as the page was loaded: https, http locally, or an onion address).
 */
export function proofFile(statement: string, signatureBase64: string, origin: string): string {
  return [
    statement + `${SIGNATURE} ${signatureBase64}`,
    '',
    '# Controleren, in een map met dit bestand / to check, in a folder holding this file (curl, openssl):',
    `#   curl -s ${origin.replace(/\/+$/, '')}/api/proof-key.pem > proof-key.pem`,
    `#   head -n 4 ${PROOF_FILE_NAME} > verklaring.txt`,
    `#   sed -n 5p ${PROOF_FILE_NAME} | cut -d' ' -f4 | base64 -d > verklaring.sig`,
    '#   openssl dgst -sha256 -verify proof-key.pem -signature verklaring.sig verklaring.txt',
    '# "Verified OK": de dienst heeft precies deze verklaring ondertekend / the service signed exactly this statement.',
    '# Het kenmerk is de SHA-256 van uw versleutelde melding; zonder die melding zegt het niets.',
    '# The commitment is the SHA-256 of your encrypted report; without that report it says nothing.',
    '',
  ].join('\n');
}

/** Reads a proof file back; null if it is not one. */
export function parseProofFile(text: string): { statement: string; signature: string; fields: ProofFields } | null {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[0] !== TITLE) return null;
  const value = (line: string | undefined, label: string) => (line?.startsWith(`${label} `) ? line.slice(label.length + 1) : null);
  const organisation = value(lines[1], LABELS.organisation);
  const receivedOn = value(lines[2], LABELS.receivedOn);
  const commitment = value(lines[3], LABELS.commitment);
  const signature = value(lines[4], SIGNATURE);
  if (organisation === null || !receivedOn || !commitment || !signature) return null;
  return { statement: lines.slice(0, 4).join('\n') + '\n', signature, fields: { organisation, receivedOn, commitment } };
}
