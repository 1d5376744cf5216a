/**
 * What each function may do, decided here and nowhere else. Every name in `FUNCTIONS` and
 * `SCHEDULED` must have an entry (the type says so, and a test fails at run time too), so a new
 * function cannot be deployed before someone decides what it may touch.
 *
 * The principles the tests hold every entry to, whatever the entry says:
 * - reporter functions never Scan and never reach the `byChannel` index, so they cannot list cases;
 * - only the functions that turn an access key into a case id may GenerateMac on the lookup key;
 * - only challenge, submit and reporter-case may GenerateMac on the proof-of-work key;
 * - officer functions list cases through the index and need no MAC at all;
 * - reporter functions never mail: what a reporter does is announced by the hourly notices job, so
 *   no mail's time tells when they wrote.
 */
import type { FUNCTIONS, SCHEDULED } from '../functions/routes.ts';
import type { FileAccess } from './constructs/evidence.ts';

export type AnyFunctionName = (typeof FUNCTIONS)[number] | (typeof SCHEDULED)[number];

/** Item-level actions on the table itself (never on an index). */
export type TableAction = 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem' | 'dynamodb:Query' | 'dynamodb:Scan';

export interface Permissions {
  /** Who calls the function: decides which of the principles above apply. */
  audience: 'reporter' | 'officer' | 'scheduled';
  /** Actions on the table's own items. A Query here must name a partition, i.e. a case id the caller already has. */
  table: TableAction[];
  /** dynamodb:Query on the `byChannel` index: listing cases. Never for reporter functions. */
  listByChannel: boolean;
  /** kms:GenerateMac on the code-lookup HMAC key. */
  lookupMac: boolean;
  /** kms:GenerateMac on the proof-of-work HMAC key. */
  powMac: boolean;
  /** ses:SendEmail, from the configured sender only. */
  mail: boolean;
  /** The evidence bucket: none, read-write (uploads, checks, downloads, deletes) or sweep (list and delete). */
  files: FileAccess;
  /** The proof-of-reporting key: kms:Sign (submit), kms:GetPublicKey (the public key route), or none. */
  proof?: 'sign' | 'public-key';
}

export const PERMISSIONS: Record<AnyFunctionName, Permissions> = {
  health: { audience: 'reporter', table: [], listByChannel: false, lookupMac: false, powMac: false, mail: false, files: 'none' },
  challenge: { audience: 'reporter', table: [], listByChannel: false, lookupMac: false, powMac: true, mail: false, files: 'none', proof: 'public-key' },
  // A conditional PutItem creates the case; on a retry, GetItem returns the case that is there. Files
  // are declared (PutItem, Query of the case's own file records) but uploaded through reporter-case.
  submit: { audience: 'reporter', table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], listByChannel: false, lookupMac: true, powMac: true, mail: false, files: 'none', proof: 'sign' },
  // Reads its case, its messages (a Query on the case's own partition: `messages()` in
  // functions/store/cases.ts), appends a message (UpdateItem on the counter, PutItem of the message).
  'reporter-case': {
    audience: 'reporter',
    table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    listByChannel: false,
    lookupMac: true,
    powMac: true,
    mail: false,
    files: 'read-write',
  },
  officer: {
    audience: 'officer',
    table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    listByChannel: true,
    lookupMac: false,
    powMac: false,
    mail: true,
    files: 'read-write',
  },
  // Lists each channel through the index, deletes expired cases (Query on the case, DeleteItem per item).
  // ... and sweeps files no complete upload refers to (GetItem of their case, Query of its file records).
  daily: { audience: 'scheduled', table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem'], listByChannel: true, lookupMac: false, powMac: false, mail: true, files: 'sweep' },
  // Lists each channel through the index (only the counters it needs), mails its officers once if
  // anything is unannounced, and records that on each case item (a conditional UpdateItem).
  notices: { audience: 'scheduled', table: ['dynamodb:UpdateItem'], listByChannel: true, lookupMac: false, powMac: false, mail: true, files: 'none' },
};
