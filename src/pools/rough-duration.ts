// Ages and waits of minutes and hours, said the way a person reads them: "3h 5m", "42s".

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function roughDuration(ms: number): string {
  if (ms < MINUTE) return `${Math.round(ms / 1000)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m ${Math.round((ms % MINUTE) / 1000)}s`;
  return `${Math.floor(ms / HOUR)}h ${Math.round((ms % HOUR) / MINUTE)}m`;
}
