/** Progress on stderr for slow steps (ora goes quiet by itself when stderr is not a terminal). */
import ora from 'ora';

export function startSpinner(text: string, color: boolean): () => void {
  const spinner = ora({ text, stream: process.stderr, color: color ? 'cyan' : false, discardStdin: false }).start();
  return () => spinner.stop();
}
