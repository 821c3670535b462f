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

  type ApiCall = (...args: any[]) => Promise<any>;

  export class Client {
    constructor(options: ClientOptions);
    use(options: Partial<ClientOptions>): this;
    [method: string]: ApiCall | unknown;
  }

  export interface ExchangeBinding {
    exchange: string;
    routingKeyPattern: string;
  }

  type ClientClass = new (options: ClientOptions) => Client & Record<string, ApiCall>;
  type EventsClass = new (options: { rootUrl: string }) => Record<string, (pattern?: Record<string, string> | string) => ExchangeBinding>;

  interface TaskclusterClientModule {
    Auth: ClientClass;
    Github: ClientClass;
    Hooks: ClientClass;
    Index: ClientClass;
    Notify: ClientClass;
    Object: ClientClass;
    PurgeCache: ClientClass;
    Queue: ClientClass;
    Secrets: ClientClass;
    WorkerManager: ClientClass;
    QueueEvents: EventsClass;
    NotifyEvents: EventsClass;
    fromEnvVars(): { rootUrl?: string; credentials?: Credentials };
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
  export function simplifyScopeset(scopes: string[]): string[];
  export function scopeIntersection(a: string[], b: string[]): string[];
  export function scopeCompare(a: string, b: string): number;
  export function scopeMatch(scopePatterns: string[], scopesets: string[][]): boolean;
}
