// The public API for check files: `import { defineCheck, param } from 'tc-canary/check'`.
export { defineCheck, defineCheckFamily } from './define.js';
export type { CheckDefinition, CheckFamily, RetryPolicy } from './define.js';
export type { CheckContext, MetricOptions } from './context.js';
export { param } from './params.js';
export { AssertionFailure, SlaExceeded, TransientError } from './errors.js';
