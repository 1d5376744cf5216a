import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { FUNCTIONS, SCHEDULED, type FunctionName } from '../../functions/routes.ts';
import { PERMISSIONS } from '../permissions.ts';
import type { Data } from './data.ts';

export interface FunctionsProps {
  data: Data;
  /** The config file's text, compiled into each bundle (Lambda environments stop at 4 KB; keys are larger). */
  configJson: string;
  mailFrom: string;
  /** Lambda log retention: short, and handlers log no request data anyway. @default one week */
  logRetention?: logs.RetentionDays;
}

const ROOT = resolve(import.meta.dirname, '../..');

/** One bundled Node.js 22 ARM64 function per handler, each with exactly its own permissions. */
export class Functions extends Construct {
  readonly byName: Record<FunctionName | 'daily', NodejsFunction>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const names = [...FUNCTIONS, ...SCHEDULED];
    this.byName = Object.fromEntries(names.map((name) => [name, this.create(name, props)])) as Functions['byName'];
  }

  private create(name: FunctionName | 'daily', props: FunctionsProps): NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${name}-logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const fn = new NodejsFunction(this, name, {
      entry: resolve(ROOT, `functions/handlers/${name}.ts`),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.seconds(name === 'daily' ? 300 : 15),
      logGroup,
      depsLockFilePath: resolve(ROOT, 'package-lock.json'),
      projectRoot: ROOT,
      environment: {
        TABLE_NAME: props.data.table.tableName,
        LOOKUP_KEY_ID: props.data.lookupKey.keyArn,
        POW_KEY_ID: props.data.powKey.keyArn,
        MAIL_FROM: props.mailFrom,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        forceDockerBundling: false,
        externalModules: ['@aws-sdk/*'],
        mainFields: ['module', 'main'],
        define: { 'process.env.MELDPUNT_CONFIG_JSON': JSON.stringify(props.configJson) },
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    const can = PERMISSIONS[name];
    const isReporter = name !== 'officer' && name !== 'daily';
    props.data.grantTable(fn, can.table, !isReporter);
    if (can.lookupMac) props.data.grantLookupMac(fn);
    if (can.powMac) props.data.grantPowMac(fn);
    if (can.mail) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: ['*'],
          conditions: { StringEquals: { 'ses:FromAddress': props.mailFrom } },
        }),
      );
    }
    return fn;
  }
}
