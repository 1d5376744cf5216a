import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ROUTES, type FunctionName } from '../../functions/routes.ts';

export interface ApiProps {
  /** The function behind each name in the route table. */
  functions: Record<FunctionName, lambda.IFunction>;
  /** Steady requests per second across the whole API. @default 25 */
  rateLimit?: number;
  /** @default 50 */
  burstLimit?: number;
}

/**
 * The HTTP API, built from the same route table as the local adapter. Throttled; no access log,
 * because API Gateway's would hold the caller's address. HTTP APIs have no per-route body limit
 * (the payload ceiling is 10 MB, Lambda's 6 MB): each handler refuses an oversized body before
 * parsing it (`bodyText` in functions/http.ts).
 */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'Http', { createDefaultStage: false, description: 'Meldpunt API' });
    this.stage = new apigw.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 25, burstLimit: props.burstLimit ?? 50 },
    });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of ROUTES) {
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.fn}-integration`, props.functions[route.fn]);
        integrations.set(route.fn, integration);
      }
      this.httpApi.addRoutes({ path: route.path, methods: [apigw.HttpMethod[route.method]], integration });
    }
  }
}
