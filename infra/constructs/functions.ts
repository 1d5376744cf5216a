import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync, type BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { FUNCTIONS, SCHEDULED } from '../../functions/routes.ts';
import { PERMISSIONS, type AnyFunctionName } from '../permissions.ts';
import type { Data } from './data.ts';
import type { Evidence } from './evidence.ts';
import type { Mail } from './mail.ts';

export interface FunctionsProps {
  data: Data;
  evidence: Evidence;
  mail: Mail;
  /** The config as `parseConfig` returned it (checked, defaults filled in), as JSON, compiled into each bundle (a Lambda environment stops at 4 KB; keys are larger). */
  configJson: string;
  /** The configured keys' facts (shared/config/key-facts.ts): fingerprints, key IDs and signing keys, so no OpenPGP library loads in a function. */
  keyFactsJson: string;
  /** Lambda log retention: short, and the handlers log no request data anyway. @default one week */
  logRetention?: logs.RetentionDays;
  /** @default 1024 (more memory is more CPU: the OpenPGP checks on submit are CPU-bound) */
  memorySize?: number;
}

const ROOT = resolve(import.meta.dirname, '../..');

/** Where the Lambda entry point of a function lives: `functions/handlers/<name>.ts`, exporting `handler`. */
export const entryOf = (name: string): string => resolve(ROOT, 'functions/handlers', `${name}.ts`);

/**
 * Bundles a function into `outdir` with esbuild: `index.mjs` and the chunks it loads, the AWS SDK
 * included. A bundled SDK loads in about two thirds of the time of the runtime's copy (one file per
 * module to find and compile there), and is the version the tests ran against. Code splitting
 * keeps what a function loads only when a request needs it (the SES, S3 and KMS clients, the SDK's
 * credential providers other than the environment's) in chunks of its own, so a cold start does
 * not compile it.
 */
export function bundleFunction(entry: string, outdir: string, define: Record<string, string>): void {
  buildSync(bundleOptions(entry, outdir, define));
}

/** What `bundleFunction` gives esbuild (infra/measure.ts builds with them too). */
export function bundleOptions(entry: string, outdir: string, define: Record<string, string>): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    // No source maps: Node with --enable-source-maps reads them at load (15 to 40 ms of a cold
    // start here), and the functions log no stack worth it. The build is deterministic: the same
    // commit and config give the same files, to map a position by hand if ever needed.
    legalComments: 'none',
    logLevel: 'error',
    define,
    // ESM has no `require`. No dependency calls it today, but a CommonJS one that did would
    // fail only when the call runs ("Dynamic require of ... is not supported"), not at load.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  };
}

/**
 * The files of a bundle in `dir` that a cold start compiles: index.mjs and the chunks it imports
 * statically (`import … from "./chunks/…"`); a chunk imported with `import()` loads when first needed.
 */
export function filesAtStart(dir: string): string[] {
  const found = new Set<string>();
  const visit = (file: string) => {
    if (found.has(file)) return;
    found.add(file);
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.mjs)"/g)) visit(join(dirname(file), m[1]!));
  };
  visit('index.mjs');
  return [...found];
}

/** The values `bundleFunction` compiles in, read literally by functions/env.ts `bundledConfig()` and `bundledKeyFacts()`. */
export const bundleDefine = (configJson: string, keyFactsJson: string): Record<string, string> => ({
  'process.env.MELDPUNT_CONFIG_JSON': JSON.stringify(configJson),
  'process.env.MELDPUNT_KEY_FACTS_JSON': JSON.stringify(keyFactsJson),
});

/**
 * One bundled Node.js 22 ARM64 function per name in `FUNCTIONS` and `SCHEDULED`, each with exactly
 * the permissions `PERMISSIONS` gives it. Bundled by the local esbuild (`bundleFunction`): no Docker.
 */
export class Functions extends Construct {
  readonly byName: Record<AnyFunctionName, lambda.Function>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const names: AnyFunctionName[] = [...FUNCTIONS, ...SCHEDULED];
    this.byName = Object.fromEntries(names.map((name) => [name, this.create(name, props)])) as Functions['byName'];
  }

  private create(name: AnyFunctionName, props: FunctionsProps): lambda.Function {
    const entry = entryOf(name);
    if (!existsSync(entry)) throw new Error(`Function "${name}" has no entry point: create ${relative(ROOT, entry)} exporting \`handler\`.`);
    const can = PERMISSIONS[name];
    if (!can) throw new Error(`Function "${name}" has no entry in infra/permissions.ts: decide what it may do first.`);

    const logGroup = new logs.LogGroup(this, `${name}-logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, with nothing but writing to its own log group (no AWSLambdaBasicExecutionRole,
    // which would let it create and write any log group); PERMISSIONS adds the rest below.
    const role = new iam.Role(this, `${name}-role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Meldpunt function ${name}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    const define = bundleDefine(props.configJson, props.keyFactsJson);
    const fn = new lambda.Function(this, name, {
      code: lambda.Code.fromAsset(ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Only if local bundling failed would CDK use an image; it never does (bundleFunction throws instead).
          image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
          local: { tryBundle: (outdir) => (bundleFunction(entry, outdir, define), true) },
          // CDK reuses a bundle within one synth when the options match, and cannot see into
          // `local`: this names what the bundle is made of (entry, compiled-in config and keys).
          environment: { MELDPUNT_BUNDLE: createHash('sha256').update(JSON.stringify([entry, define])).digest('hex') },
        },
      }),
      handler: 'index.handler',
      role,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      // The reporter's and the officer's functions finish file uploads, which read the whole object
      // (up to 500 MB) through the ciphertext check: all that API Gateway's 30 s allows.
      timeout: Duration.seconds(can.audience === 'scheduled' ? 300 : name === 'reporter-case' || name === 'officer' ? 29 : 15),
      logGroup,
      environment: {
        TABLE_NAME: props.data.table.tableName,
        BUCKET_NAME: props.evidence.bucket.bucketName,
        LOOKUP_KEY_ID: props.data.lookupKey.keyArn,
        POW_KEY_ID: props.data.powKey.keyArn,
        PROOF_KEY_ID: props.data.proofKey.keyArn,
        MAIL_FROM: props.mail.from,
      },
    });

    props.data.grantTable(fn, { items: can.table, listByChannel: can.listByChannel });
    if (can.lookupMac) props.data.grantLookupMac(fn);
    if (can.powMac) props.data.grantPowMac(fn);
    props.data.grantProof(fn, can.proof ?? 'none');
    if (can.mail) props.mail.grantSend(fn);
    props.evidence.grantFiles(fn, can.files);
    return fn;
  }
}
