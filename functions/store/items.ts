/** Reading and writing items: every item a query matches, and an update of a case item that may not apply. */
import { ConditionalCheckFailedException, QueryCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export type QueryInput = ConstructorParameters<typeof QueryCommand>[0];

export async function queryAllItems(db: DynamoDBClient, input: QueryInput): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * One conditional UpdateItem on the case item of `caseId`: true if it applied, false if its
 * condition did not hold (the caller says what that means); anything else throws.
 */
export async function updateCaseIf(
  db: DynamoDBClient,
  tableName: string,
  caseId: string,
  change: { update: string; condition: string; names?: Record<string, string>; values: Record<string, AttributeValue> },
): Promise<boolean> {
  try {
    await db.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: caseId }, sk: { S: 'case' } },
        UpdateExpression: change.update,
        ConditionExpression: change.condition,
        ExpressionAttributeNames: change.names,
        ExpressionAttributeValues: change.values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
