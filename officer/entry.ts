/** The desk program's start (officer/executables.ts): the whole tool, and with no arguments the desk. */
import { runAsProgram } from './main.ts';

runAsProgram(process.argv.slice(2));
