/** `npm start`: the whole drop box on 127.0.0.1, on embedded defaults. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../shared/config/load.ts';
import { startLocal } from './stack.ts';

const home = resolve(process.env.MELDPUNT_HOME ?? '.meldpunt');
const configPath = process.env.MELDPUNT_CONFIG || (existsSync('meldpunt.config.json') ? 'meldpunt.config.json' : undefined);

try {
  const stack = await startLocal({
    home,
    configPath,
    port: Number(process.env.PORT ?? 8080),
    mailPort: Number(process.env.MAIL_PORT ?? 8005),
    dynamoThread: true,
  });
  const lines = [
    '',
    `Meldpunt draait / is running`,
    `  Melders / reporters:     ${stack.url}/`,
    `  Verzonden mail / mail:   ${stack.mailUrl}/  (bericht over nieuwe meldingen op het hele uur / notices of new reports on the hour)`,
    `  Gegevens / data:         ${stack.home}`,
    `  Config:                  ${stack.configPath}`,
  ];
  if (stack.createdDemo) {
    lines.push(
      '',
      '  !!! DEMO KEYS: made just now for trying things out. Never use them for real reports. !!!',
      ...stack.createdDemo.map((d) => `      ${d.name}: ${d.privateKeyFile} (passphrase in ${d.passphraseFile})`),
    );
  } else if (stack.usesDemoKeys) {
    lines.push('', `  !!! DEMO KEYS in use (${join(stack.home, 'demo')}). Never use them for real reports: see docs/deploy.md. !!!`);
  }
  // The tool finds this stack (and its demo key) through MELDPUNT_HOME: a home set for start must be set for the tool too.
  const env = process.env.MELDPUNT_HOME ? `MELDPUNT_HOME=${process.env.MELDPUNT_HOME} ` : '';
  lines.push(
    '',
    `  Reports lezen / reading reports:  ${env}npm run officer -- cases   (uses the demo officer key by default)`,
    `                                     ${env}npm run officer -- show <case>`,
    '',
  );
  console.log(lines.join('\n'));
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Meldpunt cannot start: ${error.message}`);
    process.exit(1);
  }
  const { code, path } = error as NodeJS.ErrnoException;
  if (path && ['EEXIST', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC'].includes(code ?? '')) {
    const why = { EEXIST: 'a file is in the way of a folder', ENOTDIR: 'a file is in the way of a folder', ENOSPC: 'the disk is full' }[code as string] ?? 'no permission to write there';
    console.error(`Meldpunt cannot start: it keeps its data in ${home} (MELDPUNT_HOME to change), but cannot use ${path}: ${why}.`);
    process.exit(1);
  }
  if (code === 'EADDRINUSE') {
    console.error(`Meldpunt cannot start: port ${(error as { port?: number }).port ?? ''} is in use. Set PORT (and MAIL_PORT) to free ports.`);
    process.exit(1);
  }
  throw error;
}
