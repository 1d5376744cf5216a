import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { ROUTES } from '../../functions/routes.ts';
import type { Functions } from './functions.ts';

export interface ApiProps {
  functions: Functions;
  /** Requests per second across the API. @default 25 */
  rateLimit?: number;
  /** @default 50 */
  burstLimit?: number;
}

/**
 * The HTTP API, built from the same route table as the local adapter. Throttled, and without access
 * logging: API Gateway's logs would hold the caller's address. Body limits are enforced by each
 * handler before it parses anything (HTTP APIs have no per-route body limit).
 */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'Http', { createDefaultStage: false, description: 'Meldpunt API' });
    new apigw.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 25, burstLimit: props.burstLimit ?? 50 },
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of ROUTES) {
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn}-integration`, props.functions.byName[route.fn]);
        integrations.set(route.fn, integration);
      }
      this.httpApi.addRoutes({ path: route.path, methods: [apigw.HttpMethod[route.method]], integration });
    }
  }
}
