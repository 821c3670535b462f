// The one part of hawk (the Hawk signing library taskcluster-client signs with) that tc-canary uses.
declare module 'hawk' {
  export const utils: {
    /** Replaces the clock every Hawk header and bewit of the process is stamped with. */
    setTimeFunction(now: () => number): void;
  };
}
