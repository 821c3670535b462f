// The console's live mode for a terminal. Finished checks are printed once and scroll like a log; only
// the block of running checks at the bottom is redrawn, so the redraw never has to reach above the
// screen however many checks there are, and a check's final line is never rewritten.

import type { RunReporter } from './reporter.js';
import type { ConsoleReporterOptions } from './console.js';
import { systemClock } from '../clock.js';
import { ansiPaint, noPaint, outcomeLine, runStartLines, summaryLines } from './console-text.js';
import { errorLine } from './format.js';
import { formatElapsed } from '../check/duration.js';

/** Often enough for elapsed times to look alive, rarely enough to cost nothing. */
const REDRAW_EVERY_MS = 500;
const RUNNING_LABEL = 'RUN  ';

interface RunningCheck {
  startedAt: number;
  /** Why the last attempt did not pass, while another may be running. */
  note?: string;
}

export function createLiveReporter({ stream, color = true, clock = systemClock }: ConsoleReporterOptions): RunReporter {
  const paint = color ? ansiPaint : noPaint;
  const running = new Map<string, RunningCheck>();
  let planned: number | undefined;
  let finished = 0;
  let drawnLines = 0;
  let ticker: NodeJS.Timeout | undefined;

  /** Lines of the redrawn block, cut to the terminal's width: a wrapped line would break the count. */
  function runningBlock(): string[] {
    // A pseudo-terminal without a size reports 0 columns.
    const width = Math.max((stream.columns || 80) - 1, 20) - RUNNING_LABEL.length - 1;
    const lines = [...running].map(([id, check]) => {
      const note = check.note ? ` (${check.note})` : '';
      return `${paint('cyan', RUNNING_LABEL)} ${fit(`${id} ${formatElapsed(clock.now() - check.startedAt)}${note}`, width)}`;
    });
    const progress = planned === undefined ? `${finished} done` : `${finished}/${planned} done`;
    lines.push(paint('dim', fit(`${progress}, ${running.size} running`, width)));
    return lines;
  }

  /** Erases the block, prints `lines` for good, then draws the block again below them (unless the run is over). */
  function draw(lines: string[], block: string[] = runningBlock()): void {
    const erase = drawnLines ? `\x1b[${drawnLines}A\r\x1b[J` : '';
    stream.write(erase + [...lines, ...block].map((line) => `${line}\n`).join(''));
    drawnLines = block.length;
  }

  return {
    onRunStart(plan) {
      planned = plan.checks.length;
      draw(runStartLines(plan));
      ticker = setInterval(() => draw([]), REDRAW_EVERY_MS);
      ticker.unref();
    },
    onCheckStart(id) {
      running.set(id, { startedAt: clock.now() });
      draw([]);
    },
    onAttemptEnd(id, attempt) {
      const check = running.get(id);
      if (!check || attempt.outcome === 'passed') return;
      check.note = `attempt ${attempt.attempt} ${attempt.outcome}${attempt.error ? `: ${errorLine(attempt.error)}` : ''}`;
      draw([]);
    },
    onCheckEnd(check) {
      running.delete(check.id);
      finished += 1;
      draw([outcomeLine(check, paint)]);
    },
    onRunEnd(run) {
      clearInterval(ticker);
      running.clear();
      draw(summaryLines(run, paint), []);
    },
  };
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0))}…`;
}
