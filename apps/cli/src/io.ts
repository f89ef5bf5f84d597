/** A mistake in how the command was called; reported without a stack trace, with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  /** The first line of standard input, without its line ending. */
  readPassword(): Promise<string>;
}

export async function readFirstLine(stream: NodeJS.ReadStream): Promise<string> {
  if (stream.isTTY) {
    throw new UsageError('No password given: pipe it on standard input (for example from a secrets manager) or set TASKWIRE_ADMIN_PASSWORD.');
  }
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/, 1)[0] ?? '';
}
