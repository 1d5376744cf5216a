/**
 * The one DynamoDB table, as both dynalite (locally) and the CDK (in AWS) create it.
 *
 * Items (pk = case id):
 * - `case`: the case document (`doc`, JSON), its version `v`, message counter `seq`, and the index
 *   attributes `channel` + `due` (next deadline day) for the officers' listing;
 * - `msg#000001`...: one stored message each (`doc`, JSON).
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Officer listing: cases of a channel by next deadline. */
  byChannel: { name: 'byChannel', partitionKey: 'channel', sortKey: 'due' },
  /** Epoch seconds after which DynamoDB TTL may delete an item (a backstop; the daily job deletes first). */
  ttlAttribute: 'expiresAt',
} as const;
