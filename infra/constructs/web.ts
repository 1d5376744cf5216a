import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { SECURITY_HEADERS } from '../../shared/http/headers.ts';
import type { PublicChannels } from '../../shared/config/schema.ts';
import { HEADERS } from '../../shared/protocol/request-signing.ts';

export interface WebProps {
  api: apigw.HttpApi;
  /** The built web app (`npm run build:web` → web/dist). */
  webDist: string;
  /** Deployed as /channels.json beside the app: the keys the browser trusts. */
  channels: PublicChannels;
}

/**
 * The response headers policy, built from the one object the local server sends too, so the two
 * cannot differ (a test compares them).
 */
export function headersPolicyProps(): cloudfront.ResponseHeadersPolicyProps {
  const h = SECURITY_HEADERS;
  const hsts = /max-age=(\d+)/.exec(h['strict-transport-security'])!;
  return {
    comment: 'Meldpunt: strict CSP, no referrer, no framing',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: h['content-security-policy'], override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.seconds(Number(hsts[1])),
        includeSubdomains: h['strict-transport-security'].includes('includeSubDomains'),
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: (['permissions-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy'] as const).map((header) => ({
        header,
        value: h[header],
        override: true,
      })),
    },
  };
}

/** S3 + CloudFront for the app, with /api/* passed to the HTTP API uncached. No access logs anywhere. */
export class Web extends Construct {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', headersPolicyProps());
    // Only what the API needs travels to it: not the user agent, cookies or the viewer's headers.
    const toApi = new cloudfront.OriginRequestPolicy(this, 'ApiRequests', {
      comment: 'Meldpunt API: only content type and officer signature headers',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...Object.values(HEADERS)),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
    });
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      defaultRootObject: 'index.html',
      enableLogging: false,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: toApi,
          responseHeadersPolicy: headers,
        },
      },
    });
    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: bucket,
      sources: [s3deploy.Source.asset(props.webDist), s3deploy.Source.jsonData('channels.json', props.channels)],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/channels.json'],
      memoryLimit: 512,
    });
  }
}
