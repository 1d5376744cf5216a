/**
 * What each function may do, decided here and nowhere else. Reporter functions can only touch the
 * items they address (no Scan, no Query), and only the functions that turn an access key into a
 * case id may use the lookup HMAC key. A function without an entry fails the tests.
 */
import type { FunctionName } from '../functions/routes.ts';

export type TableAction = 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem' | 'dynamodb:Query';

export interface Permissions {
  table: TableAction[];
  /** kms:GenerateMac on the code-lookup HMAC key. */
  lookupMac: boolean;
  /** kms:GenerateMac on the proof-of-work HMAC key. */
  powMac: boolean;
  /** ses:SendEmail from the configured sender. */
  mail: boolean;
}

export const PERMISSIONS: Record<FunctionName | 'daily', Permissions> = {
  health: { table: [], lookupMac: false, powMac: false, mail: false },
  challenge: { table: [], lookupMac: false, powMac: true, mail: false },
  submit: { table: ['dynamodb:GetItem', 'dynamodb:PutItem'], lookupMac: true, powMac: true, mail: true },
  // Opening reads the case and its messages (a key-condition Query on its own partition).
  'reporter-case': { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], lookupMac: true, powMac: true, mail: true },
  officer: {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
    lookupMac: false,
    powMac: false,
    mail: true,
  },
  daily: { table: ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], lookupMac: false, powMac: false, mail: true },
};
