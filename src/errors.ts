/**
 * Typed errors. Commands throw these; only cli.ts turns them into output and exit codes.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class DrillError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  constructor(message: string, options: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DrillError';
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.hint = options.hint;
  }
}

/** Bad command line: unknown topic, flag value, missing terminal. Exit 2. */
export class UsageError extends DrillError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}

/** The user pressed Ctrl-C. Exit 130. */
export class InterruptedError extends DrillError {
  constructor() {
    super('Interrupted.', { exitCode: EXIT.interrupted });
    this.name = 'InterruptedError';
  }
}
