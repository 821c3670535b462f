// A deployment holding what crashed runs left behind, next to things that are not tc-canary's, recording
// every removal request. Bodies follow the v74 response schemas (list-pending-tasks-response, secret-list,
// list-hooks-response, list-tasks-response of the index) with the recorded task definition and index entry.

import nock from 'nock';
import { HOOK_CREATED_TAG } from '../../src/taskcluster/hook.js';
import { apiErrorBody, JSON_HEADERS } from '../checks/task-support.js';
import { ROOT_URL, fixture } from '../support/deployment.js';

export const NOW = Date.now();
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const HOUR = 3_600_000;

function pendingTask(taskId: string, createdMsAgo: number, owner: { schedulerId: string; createdBy?: string }) {
  const task = { ...fixture('task-succeed-definition.json'), schedulerId: owner.schedulerId, created: ago(createdMsAgo), tags: owner.createdBy ? { createdBy: owner.createdBy } : {} };
  return { taskId, runId: 0, task, inserted: ago(createdMsAgo) };
}

function hook(hookId: string, tags: Record<string, string>) {
  return {
    hookGroupId: 'project-tc-canary', hookId, bindings: [], schedule: [], triggerSchema: {},
    metadata: { name: hookId, description: 'd', owner: 'o@example.com', emailOnError: false },
    task: { ...fixture('task-succeed-definition.json'), tags },
  };
}

function indexEntry(namespace: string, data: Record<string, unknown>) {
  return { ...fixture('index-findTask.json'), namespace, data };
}

export interface Removals {
  canceled: string[];
  removedSecrets: string[];
  removedHooks: string[];
  removedIndexEntries: string[];
}

export function leftoversDeployment(options: { failRemovals?: boolean } = {}): Removals {
  const removals: Removals = { canceled: [], removedSecrets: [], removedHooks: [], removedIndexEntries: [] };
  const answer = (record: () => void) => () => {
    if (options.failRemovals) return [500, apiErrorBody('InternalServerError', 500, 'remove', 'Internal Server Error'), JSON_HEADERS] as const;
    record();
    return [200, {}, JSON_HEADERS] as const;
  };
  const secretNameOf = (uri: string) => decodeURIComponent(uri.split('?')[0]!.slice('/api/secrets/v1/secret/'.length));
  const secretValues: Record<string, [number, unknown]> = {
    'project/tc-canary/old': [200, { secret: { createdBy: 'tc-canary', createdAt: ago(2 * HOUR) }, expires: ago(-HOUR) }],
    'project/tc-canary/expired': [410, apiErrorBody('ResourceExpired', 410, 'get', 'Secret expired')],
    'project/tc-canary/someone-elses': [200, { secret: { password: 'x' }, expires: ago(-HOUR) }],
  };

  nock(ROOT_URL).persist()
    .get('/api/queue/v1/task-queues/built-in%2Fsucceed/pending').reply(200, {
      tasks: [
        pendingTask('OldProbeTaskAAAAAAAAAA', 2 * HOUR, { schedulerId: 'tc-canary', createdBy: 'tc-canary' }),
        pendingTask('YoungProbeTaskAAAAAAAA', 10 * 60_000, { schedulerId: 'tc-canary', createdBy: 'tc-canary' }),
        pendingTask('ForeignTaskAAAAAAAAAAA', 5 * HOUR, { schedulerId: 'someone-else', createdBy: 'tc-canary' }),
      ],
    }, JSON_HEADERS)
    .get('/api/queue/v1/task-queues/built-in%2Fsucceed/claimed').reply(200, { tasks: [] }, JSON_HEADERS)
    // The loop probes' own queues, with nothing left on them.
    .get(/^\/api\/queue\/v1\/task-queues\/tc-canary%2F(claim|deadline)-probe\/(pending|claimed)$/).times(4).reply(200, { tasks: [] }, JSON_HEADERS)
    // A deployment without the experimental listings for this queue.
    .get(/^\/api\/queue\/v1\/task-queues\/built-in%2Ffail\/(pending|claimed)$/).reply(404, apiErrorBody('ResourceNotFound', 404, 'listPendingTasks', 'Not found'), JSON_HEADERS)
    .post(/^\/api\/queue\/v1\/task\/[^/]+\/cancel$/).reply((uri) => answer(() => removals.canceled.push(uri.split('/')[5]!))())
    // Two pages, as the secrets service may answer.
    .get('/api/secrets/v1/secrets').query({}).reply(200, { secrets: ['other/thing', 'project/tc-canary/old'], continuationToken: 'page2' }, JSON_HEADERS)
    .get('/api/secrets/v1/secrets').query({ continuationToken: 'page2' }).reply(200, { secrets: ['project/tc-canary/expired', 'project/tc-canary/someone-elses', 'project/tc-canaryish/x'] }, JSON_HEADERS)
    .get(/^\/api\/secrets\/v1\/secret\//).reply((uri) => {
      const [status, body] = secretValues[secretNameOf(uri)] ?? [404, {}];
      return [status, body as nock.Body, JSON_HEADERS];
    })
    .delete(/^\/api\/secrets\/v1\/secret\//).reply((uri) => answer(() => removals.removedSecrets.push(secretNameOf(uri)))())
    .get('/api/hooks/v1/hooks/project-tc-canary').reply(200, {
      hooks: [
        hook('old-hook', { createdBy: 'tc-canary', [HOOK_CREATED_TAG]: ago(3 * HOUR) }),
        hook('hand-made', {}),
      ],
    }, JSON_HEADERS)
    .delete(/^\/api\/hooks\/v1\/hooks\/project-tc-canary\/[^/]+$/).reply((uri) => answer(() => removals.removedHooks.push(decodeURIComponent(uri.split('/').slice(5).join('/'))))())
    .get('/api/index/v1/tasks/project.tc-canary').reply(200, {
      namespace: 'project.tc-canary',
      tasks: [
        indexEntry('project.tc-canary.old', { createdBy: 'tc-canary', createdAt: ago(2 * HOUR), check: 'index.roundtrip', runId: 'r', nonce: 'old' }),
        indexEntry('project.tc-canary.someone-elses', {}),
      ],
    }, JSON_HEADERS)
    .delete(/^\/api\/index\/v1\/task\/[^/]+$/).reply((uri) => answer(() => removals.removedIndexEntries.push(decodeURIComponent(uri.split('/').pop()!)))());
  return removals;
}
