/**
 * The whole drop box on one machine: dynalite, s3rver and aws-ses-v2-local on private sockets, a
 * local HMAC key file, the handlers behind the local adapter, and the built web app. `npm start`
 * and the tests both use it. It listens on TCP for the site and the mail page only.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../shared/config/load.ts';
import { publicChannels, paperText, type Config } from '../../shared/config/schema.ts';
import { systemClock, type Clock } from '../clock.ts';
import { runtimeConfig } from '../config.ts';
import { keyFactsOf } from '../../shared/config/key-facts.ts';
import { loadOrCreateKeyFile } from '../keys/local-keys.ts';
import { sesMailer } from '../mail/mailer.ts';
import type { ReporterDeps } from '../services/reporter.ts';
import { dynamoCaseStore, type CaseStore } from '../store/cases.ts';
import { createDemo, type DemoIdentity } from './demo.ts';
import { startDynalite, TABLE_NAME, type LocalDynamo } from './dynamo.ts';
import { localHandlers } from './handlers.ts';
import { startSesLocal, type LocalMail } from './mail.ts';
import { createLocalServer, type ConnectionLimits, type FileFaults } from './server.ts';
import { BUCKET, loadOrCreateSigningSecret, startS3rver, type LocalS3 } from './s3.ts';
import { socketFolder } from './sockets.ts';
import { s3ObjectStore } from '../files/object-store.ts';
import { dynamoFileStore } from '../store/files.ts';
import { runDaily, type DailyResult } from '../services/daily.ts';
import { runNotices, type NoticeResult } from '../services/notices.ts';

export interface LocalOptions {
  /** Data folder: table, key file, demo keys and demo config. */
  home: string;
  /** A config file; without one, `<home>/meldpunt.config.json` is used, created with demo keys if absent. */
  configPath?: string;
  /** 0 picks a free port. @default 8080 */
  port?: number;
  /** @default 8005 */
  mailPort?: number;
  /** Keep the table on disk under `home`. @default true */
  persist?: boolean;
  /** Run dynalite on a thread of its own (`npm start` does; see startDynalite). @default false */
  dynamoThread?: boolean;
  /** Overrides the config's proof-of-work difficulty (tests use a low one). */
  powDifficulty?: number;
  clock?: Clock;
  webRoot?: string;
  /** Connection limits of the HTTP server (tests shorten them). */
  limits?: Partial<ConnectionLimits>;
}

export interface LocalStack {
  url: string;
  mailUrl: string;
  home: string;
  configPath: string;
  config: Config;
  /** Set when this start created the demo keys. */
  createdDemo: DemoIdentity[] | null;
  /** The config in use is the demo config under `home` (made on an earlier start or this one). */
  usesDemoKeys: boolean;
  deps: ReporterDeps;
  dynamo: LocalDynamo;
  /** The local SES and its mail page. */
  mail: LocalMail;
  /** The local S3 server holding the encrypted files. */
  s3: LocalS3;
  tableName: string;
  /** Make the file route fail on purpose (tests of retries). */
  faults: FileFaults;
  /** Runs the daily job now (it also runs at start and every 24 hours). */
  runDaily(): Promise<DailyResult>;
  /** Runs the notices job now (it also runs every hour on the hour, as in AWS). */
  runNotices(): Promise<NoticeResult>;
  stop(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Where a running local stack writes its address, for the officer tool. */
export const apiUrlFile = (home: string) => join(home, 'api-url');

async function resolveConfig(options: LocalOptions): Promise<{ path: string; config: Config; createdDemo: DemoIdentity[] | null }> {
  const path = options.configPath || join(options.home, 'meldpunt.config.json');
  let createdDemo: DemoIdentity[] | null = null;
  if (!options.configPath && !existsSync(path)) {
    const demo = await createDemo(options.home, options.powDifficulty);
    writeFileSync(path, JSON.stringify(demo.config, null, 2) + '\n');
    createdDemo = demo.identities;
  }
  const config = await parseConfig(readFileSync(path, 'utf8'), path);
  if (options.powDifficulty !== undefined) config.powDifficulty = options.powDifficulty;
  return { path, config, createdDemo };
}

/** The case store, with the table's files compacted after each delete, so nothing deleted lingers on disk. */
function compactingDeletes(store: CaseStore, dynamo: LocalDynamo): CaseStore {
  return {
    ...store,
    async remove(caseId, now) {
      await store.remove(caseId, now);
      await dynamo.compact();
    },
    async sweepGone(now) {
      const swept = await store.sweepGone(now);
      if (swept.length) await dynamo.compact();
      return swept;
    },
  };
}

export async function startLocal(options: LocalOptions): Promise<LocalStack> {
  const home = resolve(options.home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const { path: configPath, config, createdDemo } = await resolveConfig({ ...options, home });
  const runtime = runtimeConfig(config, await keyFactsOf(config));
  const faults: FileFaults = { failParts: 0 };

  const signingSecret = loadOrCreateSigningSecret(join(home, 'files-signing-key'));
  // The stand-ins listen on sockets only this user can open (functions/local/sockets.ts).
  const sockets = socketFolder();
  const started: { stop(): Promise<void> }[] = [];
  const stopStandIns = async () => {
    await Promise.all(started.map((s) => s.stop()));
    sockets.remove();
  };
  /** One more stand-in; if it fails to start, those already started are stopped. */
  const standIn = async <T extends { stop(): Promise<void> }>(starting: Promise<T>): Promise<T> => {
    try {
      const one = await starting;
      started.push(one);
      return one;
    } catch (e) {
      await stopStandIns();
      throw e;
    }
  };
  const dynamo = await standIn(startDynalite(options.persist === false ? undefined : join(home, 'table'), { thread: options.dynamoThread, socketPath: sockets.path('dynamodb') }));
  const mail = await standIn(startSesLocal(options.mailPort ?? 8005, sockets.path('ses')));
  // Files beside the table; a memory-only table gets a throwaway folder under `home` (tests).
  const s3 = await standIn(startS3rver(join(home, options.persist === false ? `files-${process.pid}-${Date.now()}` : 'files'), sockets.path('s3'), signingSecret));
  const deps: ReporterDeps = {
    cases: compactingDeletes(dynamoCaseStore(dynamo.client, TABLE_NAME), dynamo),
    files: dynamoFileStore(dynamo.client, TABLE_NAME),
    objects: await s3ObjectStore(s3.client, BUCKET),
    keys: loadOrCreateKeyFile(join(home, 'hmac-keys.json')),
    mailer: await sesMailer(mail.client, config.mail.from),
    clock: options.clock ?? systemClock,
    runtime,
  };
  const server = createLocalServer({
    handlers: localHandlers(deps),
    webRoot: options.webRoot ?? resolve(import.meta.dirname, '../../web/dist'),
    channelsJson: JSON.stringify(publicChannels(config)),
    paperText: paperText(config),
    limits: options.limits,
    files: { socketPath: s3.socketPath, bucket: BUCKET, signing: s3.signing, faults },
  });
  try {
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(options.port ?? 8080, '127.0.0.1', ok));
  } catch (e) {
    await stopStandIns();
    throw e;
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The officer tool finds the running stack here, whatever PORT it was given.
  const urlFile = apiUrlFile(home);
  writeFileSync(urlFile, url + '\n');
  const daily = () => runDaily(deps);
  const dailyFailed = () => console.error('daily job failed');
  void daily().catch(dailyFailed);
  const timer = setInterval(() => void daily().catch(dailyFailed), DAY_MS);
  timer.unref();
  const notices = () => runNotices(deps);
  const noticesFailed = () => console.error('notices job failed');
  let hourly: NodeJS.Timeout | undefined;
  // On the hour, as the AWS schedule runs it (by the real clock, not the Wbk clock tests move).
  const onTheHour = setTimeout(() => {
    void notices().catch(noticesFailed);
    hourly = setInterval(() => void notices().catch(noticesFailed), HOUR_MS).unref();
  }, HOUR_MS - (Date.now() % HOUR_MS)).unref();
  return {
    url,
    mailUrl: mail.url,
    home,
    configPath,
    config,
    createdDemo,
    usesDemoKeys: !options.configPath && existsSync(join(home, 'demo')),
    deps,
    dynamo,
    mail,
    s3,
    tableName: TABLE_NAME,
    faults,
    runDaily: daily,
    runNotices: notices,
    async stop() {
      clearInterval(timer);
      clearTimeout(onTheHour);
      clearInterval(hourly);
      if (existsSync(urlFile) && readFileSync(urlFile, 'utf8').trim() === url) rmSync(urlFile);
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await stopStandIns();
    },
  };
}
