import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FILES_PREFIX } from '../../functions/files/object-store.ts';

/** What a function may do with the encrypted files (see infra/permissions.ts). */
export type FileAccess = 'none' | 'read-write' | 'sweep';

/**
 * The encrypted evidence files: a private bucket (Block Public Access, TLS only, SSE-KMS with a
 * customer-managed key, no versioning so a delete is a delete, no server access logs), with a
 * lifecycle rule that aborts multipart uploads left unfinished for a day. Browsers reach it only
 * through presigned URLs under the site's own origin (`/files/*` on CloudFront). The objects are
 * OpenPGP ciphertext already; SSE-KMS is a second lock, not the first.
 */
export class Evidence extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'FilesKey', {
      description: 'Meldpunt: encrypts the evidence bucket at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: false,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'abort-unfinished-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * `read-write`: start, upload parts of (through presigned URLs it signs), finish, read the head
   * of, hand out downloads of, and delete objects under `files/`; `sweep`: list and delete them.
   * The file key only through S3 (`kms:ViaService`).
   */
  grantFiles(grantee: iam.IGrantable, access: FileAccess): void {
    if (access === 'none') return;
    const objects = `${this.bucket.bucketArn}/${FILES_PREFIX}*`;
    const objectActions =
      access === 'read-write'
        ? ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload']
        : ['s3:DeleteObject', 's3:AbortMultipartUpload'];
    iam.Grant.addToPrincipal({ grantee, actions: objectActions, resourceArns: [objects] });
    // Listing, so a missing object is a 404 rather than a 403; only under files/.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket', ...(access === 'sweep' ? ['s3:ListBucketMultipartUploads'] : [])],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${FILES_PREFIX}*`] } },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: access === 'read-write' ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}
