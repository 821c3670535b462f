// The console report: on a terminal a live list of running checks, elsewhere (CI, pipes, files) one
// plain line per event without ANSI codes. Both end with the same summary.

import type { RunReporter } from './reporter.js';
import type { Clock } from '../clock.js';
import { noPaint, outcomeLine, runStartLines, summaryLines } from './console-text.js';
import { createLiveReporter } from './console-live.js';

/** What the reporter writes to: process.stdout or process.stderr, or a fake in tests. */
export interface ConsoleStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width; live lines are cut to it so the redraw can count them. */
  columns?: number;
}

export type ConsoleMode = 'live' | 'plain';

export interface ConsoleReporterOptions {
  stream: ConsoleStream;
  mode: ConsoleMode;
  /** Colours in live mode (default true; pass false for NO_COLOR). Plain output never has ANSI codes. */
  color?: boolean;
  /** For the elapsed time of running checks in live mode. */
  clock?: Clock;
}

/** Live only on a terminal outside CI: a redrawn list is noise in a CI log or a file. */
export function consoleMode(stream: ConsoleStream, env: Record<string, string | undefined> = process.env): ConsoleMode {
  if (!stream.isTTY) return 'plain';
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') return 'plain';
  if (env.TERM === 'dumb') return 'plain';
  return 'live';
}

export function createConsoleReporter(options: ConsoleReporterOptions): RunReporter {
  return options.mode === 'live' ? createLiveReporter(options) : createPlainReporter(options.stream);
}

function createPlainReporter(stream: ConsoleStream): RunReporter {
  const print = (lines: string[]): void => {
    stream.write(lines.map((line) => `${line}\n`).join(''));
  };
  return {
    onRunStart: (plan) => print(runStartLines(plan)),
    onCheckStart: (id) => print([`START ${id}`]),
    onCheckEnd: (check) => print([outcomeLine(check, noPaint)]),
    onRunEnd: (run) => print(summaryLines(run, noPaint)),
  };
}
