// What a check reads of the broker through its management HTTP API (ctx.pulseManagement): the queues of the
// Pulse vhost, the nodes and the overview. Read-only GETs through the check's HttpProbe, so its timeout, abort
// and transient errors (5xx, refused, reset) apply. A 401 or 403 for a missing permission skips the check,
// naming the permission; a refused login is an error, as a wrong Pulse password is.

import { AssertionFailure, CheckSkipped } from '../check/errors.js';
import { patternToRegExp } from '../catalogue/pattern.js';
import type { HttpProbe, HttpResponse } from '../http/probe.js';
import type { ManagementSettings } from './management-settings.js';

export interface QueueStats {
  name: string;
  /** Absent until the broker has published the queue's first statistics (every few seconds). */
  messages?: number;
  messagesReady?: number;
  consumers?: number;
  /** Messages/s over the broker's last sampling interval; 0 when nothing was published (or delivered) lately. */
  publishRate: number;
  /** Deliveries to consumers and basic.get, messages/s. */
  deliverRate: number;
  /** When the oldest message was published (epoch ms); only when its publisher set a timestamp. */
  headMessageAtMs?: number;
}

export interface NodeStats {
  name: string;
  running: boolean;
  memUsed?: number;
  /** The high watermark: above it the node blocks publishers (the memory alarm). */
  memLimit?: number;
  memAlarm: boolean;
  diskFree?: number;
  /** Below this much free disk the node blocks publishers (the disk alarm). */
  diskFreeLimit?: number;
  diskFreeAlarm: boolean;
  fdUsed?: number;
  fdTotal?: number;
  socketsUsed?: number;
  socketsTotal?: number;
  /** The nodes this one cannot reach. */
  partitions: string[];
}

export interface BrokerOverview {
  rabbitmqVersion?: string;
  erlangVersion?: string;
  clusterName?: string;
  connections?: number;
  channels?: number;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export interface QueueListOptions extends RequestOptions {
  /** Default: the settings' vhost (the Pulse URL's, else "/"). */
  vhost?: string;
}

export interface PulseManagementApi {
  /** The vhost whose queues `queues` lists unless told another. */
  readonly vhost: string;
  /** The queues of the vhost whose names match a glob (`*`: any characters), every page of them. */
  queues(pattern: string, options?: QueueListOptions): Promise<QueueStats[]>;
  nodes(options?: RequestOptions): Promise<NodeStats[]>;
  overview(options?: RequestOptions): Promise<BrokerOverview>;
}

/** The management API refused what the check needs: the check is skipped, naming the permission. */
export class ManagementPermissionMissing extends CheckSkipped {
  override readonly name: string = 'ManagementPermissionMissing';
}

/** The management API refused the login itself: wrong user or password. */
export class ManagementLoginRefused extends Error {
  override readonly name: string = 'ManagementLoginRefused';
  constructor(message: string, readonly details: { url: string; statusCode: number }) {
    super(message);
  }
}

/** The largest page the API serves. */
const PAGE_SIZE = 500;
const QUEUE_COLUMNS = [
  'name', 'messages', 'messages_ready', 'consumers', 'head_message_timestamp',
  'message_stats.publish_details.rate', 'message_stats.deliver_get_details.rate',
].join(',');
const NODE_COLUMNS = [
  'name', 'running', 'mem_used', 'mem_limit', 'mem_alarm', 'disk_free', 'disk_free_limit', 'disk_free_alarm',
  'fd_used', 'fd_total', 'sockets_used', 'sockets_total', 'partitions',
].join(',');
const OVERVIEW_COLUMNS = 'rabbitmq_version,erlang_version,cluster_name,object_totals';

type Json = Record<string, unknown>;

const numberAt = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const stringAt = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const objectAt = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Json : {});

function queueStats(item: Json): QueueStats {
  const stats = objectAt(item.message_stats);
  const head = numberAt(item.head_message_timestamp);
  return {
    name: String(item.name),
    messages: numberAt(item.messages),
    messagesReady: numberAt(item.messages_ready),
    consumers: numberAt(item.consumers),
    publishRate: numberAt(objectAt(stats.publish_details).rate) ?? 0,
    deliverRate: numberAt(objectAt(stats.deliver_get_details).rate) ?? 0,
    // AMQP timestamps are seconds.
    headMessageAtMs: head === undefined ? undefined : head * 1000,
  };
}

function nodeStats(item: Json): NodeStats {
  return {
    name: String(item.name),
    running: item.running !== false,
    memUsed: numberAt(item.mem_used),
    memLimit: numberAt(item.mem_limit),
    memAlarm: item.mem_alarm === true,
    diskFree: numberAt(item.disk_free),
    diskFreeLimit: numberAt(item.disk_free_limit),
    diskFreeAlarm: item.disk_free_alarm === true,
    fdUsed: numberAt(item.fd_used),
    fdTotal: numberAt(item.fd_total),
    socketsUsed: numberAt(item.sockets_used),
    socketsTotal: numberAt(item.sockets_total),
    partitions: Array.isArray(item.partitions) ? item.partitions.map(String) : [],
  };
}

/** The broker's reason in an error body (`{"error": "not_authorised", "reason": "Not monitor user"}`). */
function reasonOf(response: HttpResponse): string | undefined {
  return stringAt(objectAt(response.body).reason);
}

export class ManagementApi implements PulseManagementApi {
  readonly vhost: string;
  private readonly authorization: string;

  constructor(private readonly settings: ManagementSettings, private readonly http: HttpProbe) {
    this.vhost = settings.vhost;
    this.authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`;
  }

  async queues(pattern: string, { vhost = this.vhost, ...options }: QueueListOptions = {}): Promise<QueueStats[]> {
    const matches = patternToRegExp(pattern);
    const path = `api/queues/${encodeURIComponent(vhost)}`;
    const need = `the management tag "monitoring" (or "management") and a permission on vhost "${vhost}"`;
    const found: QueueStats[] = [];
    for (let page = 1; ; page += 1) {
      const query = { page: String(page), page_size: String(PAGE_SIZE), sort: 'name', name: matches.source, use_regex: 'true', columns: QUEUE_COLUMNS };
      const body = objectAt(await this.get(path, query, need, options));
      if (!Array.isArray(body.items)) throw new AssertionFailure(`GET /${path} answered without a list of queues: is ${this.settings.redactedUrl} a RabbitMQ management API?`);
      found.push(...body.items.map((item) => queueStats(objectAt(item))));
      if (page >= (numberAt(body.page_count) ?? 0)) break;
    }
    // The broker filtered with the same expression; a broker that reads `name` as a substring filters less.
    return found.filter((queue) => matches.test(queue.name));
  }

  async nodes(options: RequestOptions = {}): Promise<NodeStats[]> {
    const body = await this.get('api/nodes', { columns: NODE_COLUMNS }, 'the management tag "monitoring"', options);
    if (!Array.isArray(body)) throw new AssertionFailure(`GET /api/nodes answered without a list of nodes: is ${this.settings.redactedUrl} a RabbitMQ management API?`);
    return body.map((item) => nodeStats(objectAt(item)));
  }

  async overview(options: RequestOptions = {}): Promise<BrokerOverview> {
    const body = objectAt(await this.get('api/overview', { columns: OVERVIEW_COLUMNS }, 'the management tag "monitoring" (or "management")', options));
    const totals = objectAt(body.object_totals);
    return {
      rabbitmqVersion: stringAt(body.rabbitmq_version),
      erlangVersion: stringAt(body.erlang_version),
      clusterName: stringAt(body.cluster_name),
      connections: numberAt(totals.connections),
      channels: numberAt(totals.channels),
    };
  }

  /** The JSON body of a GET under the base URL; `need` names the permission the path takes. */
  private async get(path: string, query: Record<string, string>, need: string, options: RequestOptions): Promise<unknown> {
    const url = new URL(path, this.settings.baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const response = await this.http.get(url.href, { ...options, headers: { authorization: this.authorization, accept: 'application/json' } });
    const { username, redactedUrl } = this.settings;
    const reason = reasonOf(response);
    if (response.status === 401 && reason === 'Login failed') {
      throw new ManagementLoginRefused(`the management API at ${redactedUrl} refused the login of user "${username}": wrong user or password (401 Login failed)`, { url: redactedUrl, statusCode: 401 });
    }
    if (response.status === 401 || response.status === 403) {
      throw new ManagementPermissionMissing(`missing management permission: ${need} (GET /${path} answered ${response.status}${reason ? ` "${reason}"` : ''} for user "${username}")`);
    }
    if (response.status !== 200 || !response.contentType.includes('application/json')) {
      throw new AssertionFailure(`GET /${path} on ${redactedUrl} answered ${response.status} ${response.contentType || 'without a Content-Type'}${reason ? `: ${reason}` : ''}`, { url: redactedUrl, statusCode: response.status });
    }
    return response.body;
  }
}
