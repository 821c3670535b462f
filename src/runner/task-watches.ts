// A check attempt's watches on its tasks' queue events (ctx.taskEvents): one per task, made by the first
// call (createProbeTask's, before the task exists) and shared by the later ones (the wait's), released by the
// runner when the attempt ends, whatever the check did.

import type { TaskEvents } from '../check/context.js';
import type { PulseAccess, TaskWatch } from '../pulse/access.js';

export interface AttemptTaskEvents extends TaskEvents {
  releaseAll(): void;
}

export function attemptTaskEvents(pulse: PulseAccess | undefined, log: (message: string) => void): AttemptTaskEvents {
  const watches = new Map<string, Promise<TaskWatch | undefined>>();
  let unavailableLogged = false;
  return {
    watch(taskId) {
      if (!pulse) return Promise.resolve(undefined);
      let watch = watches.get(taskId);
      if (!watch) {
        watch = pulse.watchTask(taskId).then((made) => {
          if (!made && !unavailableLogged) {
            unavailableLogged = true;
            log(`no task events from Pulse (${pulse.taskEventsProblem ?? 'unknown reason'}): waits poll the queue every second`);
          }
          return made;
        });
        watches.set(taskId, watch);
      }
      return watch;
    },
    releaseAll() {
      for (const watch of watches.values()) void watch.then((made) => made?.release());
      watches.clear();
    },
  };
}
