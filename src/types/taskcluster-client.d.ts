// taskcluster-client 87 ships no typings; these cover what tc-canary calls. Responses stay loosely typed
// (`any` would hide mistakes, so they are `Record<string, unknown>`-like and narrowed where used).

declare module 'taskcluster-client' {
  export interface Credentials {
    clientId?: string;
    accessToken?: string;
    certificate?: string | Record<string, unknown>;
  }

  export interface ClientOptions {
    rootUrl: string;
    credentials?: Credentials;
    retries?: number;
    timeout?: number;
    delayFactor?: number;
    maxDelay?: number;
  }

  /** An API call answering the parsed JSON response (responses are narrowed where they are used). */
  type Call = (...args: any[]) => Promise<any>;

  /** The calls tc-canary makes, per service; add a method here when a check starts using it. */
  export interface ServiceClient {
    use(options: Partial<ClientOptions>): this;
  }
  export interface AuthClient extends ServiceClient { currentScopes: Call; ping: Call }
  export interface HooksClient extends ServiceClient {
    createHook: Call; hook: Call; listHooks: Call; listHookGroups: Call; removeHook: Call; triggerHook: Call;
    getHookStatus: Call; listLastFires: Call;
  }
  export interface IndexClient extends ServiceClient { findTask: Call; listTasks: Call; listNamespaces: Call; deleteTask: Call }
  export interface NotifyClient extends ServiceClient { pulse: Call; email: Call; matrix: Call; slack: Call }
  export interface PurgeCacheClient extends ServiceClient { purgeCache: Call; purgeRequests: Call; allPurgeRequests: Call }
  export interface QueueClient extends ServiceClient {
    createTask: Call; task: Call; status: Call; cancelTask: Call; listTaskGroup: Call; listDependentTasks: Call;
    taskQueueCounts: Call; pendingTasks: Call; getTaskQueue: Call; listPendingTasks: Call; listClaimedTasks: Call;
    listWorkers: Call; claimWork: Call;
  }
  export interface SecretsClient extends ServiceClient { set: Call; get: Call; remove: Call; list: Call }
  export interface WorkerManagerClient extends ServiceClient {
    listWorkerPools: Call; workerPool: Call; listWorkersForWorkerPool: Call; listWorkerPoolErrors: Call;
    workerPoolErrorStats: Call; workerPoolStats: Call; listWorkerPoolsStats: Call; listProviders: Call;
  }

  export interface ExchangeBinding {
    exchange: string;
    routingKeyPattern: string;
  }

  type ClientClass<C> = new (options: ClientOptions) => C;
  type EventsClass = new (options: { rootUrl: string }) => Record<string, (pattern?: Record<string, string> | string) => ExchangeBinding>;

  interface TaskclusterClientModule {
    Auth: ClientClass<AuthClient>;
    Hooks: ClientClass<HooksClient>;
    Index: ClientClass<IndexClient>;
    Notify: ClientClass<NotifyClient>;
    PurgeCache: ClientClass<PurgeCacheClient>;
    Queue: ClientClass<QueueClient>;
    Secrets: ClientClass<SecretsClient>;
    WorkerManager: ClientClass<WorkerManagerClient>;
    QueueEvents: EventsClass;
    NotifyEvents: EventsClass;
    fromEnvVars(): { rootUrl?: string; credentials?: Credentials };
    /** The agents every client built afterwards sends its calls through (its own close each connection after a call). */
    agents: { http: import('node:http').Agent; https: import('node:https').Agent };
    slugid(): string;
  }

  const tc: TaskclusterClientModule;
  export default tc;
}

declare module 'taskcluster-lib-scopes' {
  export type ScopeExpression = string | { AllOf: ScopeExpression[] } | { AnyOf: ScopeExpression[] };
  export function satisfiesExpression(scopeset: string[], expression: ScopeExpression): boolean;
  export function removeGivenScopes(scopeset: string[], expression: ScopeExpression): ScopeExpression | null;
  export function validScope(scope: string): boolean;
  export function validExpression(expression: ScopeExpression): boolean;
  export function scopeUnion(a: string[], b: string[]): string[];
  export function scopeIntersection(a: string[], b: string[]): string[];
  export function scopeCompare(a: string, b: string): number;
  export function scopeMatch(scopePatterns: string[], scopesets: string[][]): boolean;
}
