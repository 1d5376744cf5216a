import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { PublicChannels } from '../../shared/config/schema.ts';
import { SECURITY_HEADERS } from '../../shared/http/headers.ts';
import { HEADERS as SIGNATURE_HEADERS } from '../../shared/protocol/request-signing.ts';

export interface WebProps {
  api: apigw.IHttpApi;
  /** The built web app (`npm run build:web` → web/dist). */
  webDist: string;
  /** The evidence bucket, reached by presigned URLs under `/files/*` on this origin. */
  files: s3.IBucket;
  /** Deployed as /channels.json beside the app: the keys the browser encrypts to and verifies against. */
  channels: PublicChannels;
  /** Deployed as /per-post.txt: the paper route, which the page links to without JavaScript. */
  paperText: string;
  /**
   * Serve on your own host name, with an ACM certificate for it in us-east-1 (CloudFront's region).
   * @default the distribution's cloudfront.net name and certificate
   */
  domain?: { name: string; certificateArn: string };
}

/**
 * The response headers policy, built from the one object the local server sends, so that the two
 * cannot differ: each header goes to CloudFront's typed setting where it has one, the rest become
 * custom headers. A value CloudFront cannot express throws here rather than being dropped.
 */
export function headersPolicyProps(headers: Readonly<Record<string, string>> = SECURITY_HEADERS): cloudfront.ResponseHeadersPolicyProps {
  const security: { -readonly [K in keyof cloudfront.ResponseSecurityHeadersBehavior]: cloudfront.ResponseSecurityHeadersBehavior[K] } = {};
  const custom: cloudfront.ResponseCustomHeader[] = [];
  const oneOf = <T extends string>(allowed: Record<string, T>, header: string, value: string): T => {
    const found = Object.values(allowed).find((v) => v.toLowerCase() === value.toLowerCase());
    if (!found) throw new Error(`${header}: CloudFront cannot send "${value}"`);
    return found;
  };
  for (const [header, value] of Object.entries(headers)) {
    switch (header) {
      case 'content-security-policy':
        security.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'referrer-policy':
        security.referrerPolicy = { referrerPolicy: oneOf(cloudfront.HeadersReferrerPolicy, header, value), override: true };
        break;
      case 'x-content-type-options':
        if (value !== 'nosniff') throw new Error(`${header}: CloudFront can only send "nosniff"`);
        security.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options':
        security.frameOptions = { frameOption: oneOf(cloudfront.HeadersFrameOption, header, value), override: true };
        break;
      case 'strict-transport-security': {
        const maxAge = /(?:^|;)\s*max-age=(\d+)\s*(?:;|$)/i.exec(value);
        const rest = value.split(';').map((p) => p.trim().toLowerCase()).filter((p) => p && !p.startsWith('max-age='));
        if (!maxAge || rest.some((p) => p !== 'includesubdomains' && p !== 'preload')) throw new Error(`${header}: cannot express "${value}"`);
        security.strictTransportSecurity = {
          accessControlMaxAge: Duration.seconds(Number(maxAge[1])),
          includeSubdomains: rest.includes('includesubdomains'),
          preload: rest.includes('preload'),
          override: true,
        };
        break;
      }
      default:
        custom.push({ header, value, override: true });
    }
  }
  return {
    comment: 'Meldpunt: the headers of shared/http/headers.ts',
    securityHeadersBehavior: security,
    ...(custom.length ? { customHeadersBehavior: { customHeaders: custom } } : {}),
  };
}

/**
 * S3 + CloudFront for the web app, with /api/* passed to the HTTP API uncached. No access log
 * anywhere: CloudFront standard logging off, no S3 server access logs.
 */
export class Web extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly bucket: s3.Bucket;
  /** Whether it is served on `props.domain` with its own certificate. */
  readonly customDomain: boolean;
  /** Where reporters (and the officer tool, as MELDPUNT_API) reach the drop box. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const bucket = (this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    }));
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', headersPolicyProps());
    // Only what the API reads travels to it: not the user agent, cookies, query strings or the
    // viewer's other headers. (CloudFront adds X-Forwarded-For regardless; the functions drop it.)
    const toApi = new cloudfront.OriginRequestPolicy(this, 'ApiRequests', {
      comment: 'Meldpunt API: content type and the officer signature headers only',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList('content-type', ...Object.values(SIGNATURE_HEADERS)),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
    });
    const toFiles = new cloudfront.OriginRequestPolicy(this, 'FileRequests', {
      comment: 'Meldpunt files: the presigned query string only',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.none(),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
    });
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Meldpunt',
      defaultRootObject: 'index.html',
      enableLogging: false,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
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
        // Presigned part uploads (PUT) and downloads (GET) of encrypted files. No origin access
        // control: the URL's own signature authorizes the request, so the query string must reach
        // S3 unchanged, and the viewer's headers must not (the Host header is the bucket's).
        '/files/*': {
          origin: new origins.HttpOrigin(props.files.bucketRegionalDomainName, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: toFiles,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.customDomain = props.domain !== undefined;
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: bucket,
      sources: [s3deploy.Source.asset(props.webDist), s3deploy.Source.jsonData('channels.json', props.channels), s3deploy.Source.data('per-post.txt', props.paperText)],
      distribution: this.distribution,
      // Built assets have content hashes in their names; the page and the keys do not.
      distributionPaths: ['/', '/index.html', '/channels.json', '/per-post.txt', '/meldpunt-manifest.txt', '/meldpunt-manifest.txt.asc'],
      memoryLimit: 512,
      logGroup: new logs.LogGroup(this, 'DeployLogs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY }),
    });
  }
}
