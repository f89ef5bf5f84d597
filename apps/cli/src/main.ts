#!/usr/bin/env node
import { createAdmin, createAdminHelp } from './create-admin.js';
import { readFirstLine, UsageError } from './io.js';

const help = `Usage: taskwire <command> [options]

Commands:
  create-admin   create the first admin or promote an existing account

Run "taskwire <command> --help" for the options of a command.

${createAdminHelp}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const io = { env: process.env, out: (line: string) => console.log(line), readPassword: () => readFirstLine(process.stdin) };
  switch (command) {
    case 'create-admin':
      await createAdmin(args, io);
      return 0;
    case undefined:
    case '--help':
    case 'help':
      console.log(help);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}; run "taskwire --help" for the list.`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`taskwire: ${error.message}`);
      process.exit(2);
    }
    console.error('taskwire: the command failed:', error);
    process.exit(1);
  },
);
