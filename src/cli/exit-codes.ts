// Exit codes, as Telescope's CLI and CI jobs read them.
export const EXIT_PASSED = 0;
/** A selected check failed or errored. */
export const EXIT_FAILED = 1;
/** The run could not be made: usage, configuration, or a crash of tc-canary itself. */
export const EXIT_UNUSABLE = 2;
