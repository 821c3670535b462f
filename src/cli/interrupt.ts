// SIGINT/SIGTERM end a run (or `serve`) gracefully: running checks stop and clean up, the rest are skipped,
// reports and history are still written. A second signal exits at once.

export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

const EXIT_ON_SECOND_SIGNAL = 130;

/** `say` tells the person what is happening: standard error for `run`, the service log for `serve`. */
export function interruptSignal(say: (line: string) => void = (line) => process.stderr.write(line)): Interrupt {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT_ON_SECOND_SIGNAL);
    say(`${name}: stopping; running checks clean up (send it again to exit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
