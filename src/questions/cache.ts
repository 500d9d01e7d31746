/** Bank loading entry point for commands. */
import { loadBank, type LoadResult } from './load.js';

export async function loadBankCached(roots: readonly string[], _home: string): Promise<LoadResult> {
  return loadBank(roots);
}
