/**
 * Long answers go through a pager, as git's long output does: `DJANGO_DRILL_PAGER`, else
 * `PAGER`, else `less` (with LESS=FRX unless set: quit when the text fits, keep colours, leave
 * the text on screen). An empty value or `cat` means no pager; so does `--no-pager`. The text is
 * paged only when it is taller than the terminal, and a pager that cannot start just prints.
 */
import { spawnSync } from 'node:child_process';

export interface PagerOptions {
  enabled: boolean;
  rows: number;
  env?: NodeJS.ProcessEnv;
}

export function pagerCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.DJANGO_DRILL_PAGER ?? env.PAGER ?? 'less';
  const command = chosen.trim();
  return command === '' || command === 'cat' ? undefined : command;
}

/** Pages `text` when it is taller than `rows` - 2 lines; returns false when it was not paged. */
export function page(text: string, options: PagerOptions): boolean {
  if (!options.enabled || options.rows <= 0) return false;
  if (text.split('\n').length <= options.rows - 2) return false;
  const env = options.env ?? process.env;
  const command = pagerCommand(env);
  if (!command) return false;
  const result = spawnSync(command, {
    shell: true,
    input: `${text}\n`,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...env, LESS: env.LESS ?? 'FRX', LV: env.LV ?? '-c' },
  });
  return !result.error && result.status === 0;
}
