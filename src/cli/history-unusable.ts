// A history that cannot be opened stops `serve` and `history` (they have nothing to work with) as a usage
// problem: its message (password masked) and exit code 2, rather than a crash with a stack.

import { ConfigError } from '../config/diagnostics.js';
import { HistoryError } from '../history/store.js';

export async function withUsableHistory<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof HistoryError) throw new ConfigError('history', [{ path: '', message: error.message }]);
    throw error;
  }
}
