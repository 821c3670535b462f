// A deployment (or a proxy in front of it) that echoes the request's Authorization header in its error body:
// the Hawk signature must not reach any output, whether from `run` or from `serve`.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDeployment } from '../support/fake-deployment.js';
import { projectDir, runCli, startCli } from '../support/cli-process.js';

const TASK_ID = 'fN1SbArXTPSVFNUvaOlinQ';
/** Reads one task: a signed request whose error answer quotes the Authorization header. */
const ECHO_CHECK = `export const echo = {
  id: 'test.echo', description: 'reads a task', retry: { retries: 0 },
  async run(ctx) { await ctx.tc.queue.task('${TASK_ID}'); },
};
`;
const CREDENTIALS = { TASKCLUSTER_CLIENT_ID: 'static/taskcluster/root', TASKCLUSTER_ACCESS_TOKEN: 'an-access-token-never-shown-0123' };

let deployment: FakeDeployment;
/** The signature parts the deployment saw: none may be shown anywhere. */
let signatures: string[];
beforeEach(async () => {
  deployment = await FakeDeployment.start();
  signatures = [];
  deployment.set(`/api/queue/v1/task/${TASK_ID}`, (request) => {
    const header = request.headers.authorization ?? '';
    for (const part of ['mac', 'nonce']) signatures.push(new RegExp(`${part}="([^"]+)"`).exec(header)![1]!);
    return { status: 400, body: { code: 'InputError', message: `rejected request with Authorization: ${header}\n\nheaders: {"authorization": "${header.replaceAll('"', '\\"')}"}` } };
  });
});
afterEach(async () => { await deployment.close(); });

function expectNoSignature(outputs: Record<string, string>): void {
  expect(signatures.length).toBeGreaterThan(0);
  for (const [where, text] of Object.entries(outputs)) {
    for (const signature of signatures) expect(text.includes(signature), `${where} shows ${signature}`).toBe(false);
    expect(text, where).not.toMatch(/Hawk id=/);
  }
}

describe('an echoed Hawk header', () => {
  it('is redacted on the console, in JSON, JUnit and the SQLite history', async () => {
    const dir = projectDir(`services: [queue]\nchecksDir: ./checks\nhistory: sqlite:h.db\n`, { 'echo.js': ECHO_CHECK });
    const { code, stdout, stderr } = await runCli(['run', '--root-url', deployment.rootUrl, '--check', 'test.echo', '--json', 'r.json', '--junit', 'j.xml'], { cwd: dir, env: CREDENTIALS });
    expect(code).toBe(1);
    const json = readFileSync(path.join(dir, 'r.json'), 'utf8');
    expect(JSON.parse(json).checks[0].error.message).toMatch(/rejected request with Authorization: \*\*\*/);
    expectNoSignature({
      stdout, stderr, json,
      junit: readFileSync(path.join(dir, 'j.xml'), 'utf8'),
      history: readdirSync(dir).filter((name) => name.startsWith('h.db')).map((name) => readFileSync(path.join(dir, name)).toString('latin1')).join(''),
    });
  });

  it('is redacted in serve\'s log, /status.json, /checks/<id> and the dashboard', async () => {
    const dir = projectDir([
      'services: [queue]', 'checksDir: ./checks', 'history: sqlite:h.db',
      'checks:', '  include: [test.echo]', '  schedules:', '    test.echo: "*/1 * * * * *"', '',
    ].join('\n'), { 'echo.js': ECHO_CHECK });
    const serve = startCli(['serve', '--listen', '127.0.0.1:0', '--root-url', deployment.rootUrl], { cwd: dir, env: CREDENTIALS });
    try {
      await serve.waitForOutput(/ERROR\s+test\.echo/);
      const base = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout() + serve.stderr())![1]!;
      const get = async (url: string, accept: string) => (await fetch(`${base}${url}`, { headers: { accept } })).text();
      const status = await get('/status.json', 'application/json');
      expect(status).toContain('test.echo');
      expectNoSignature({
        log: serve.stdout() + serve.stderr(),
        status,
        check: await get('/checks/test.echo', 'application/json'),
        checkPage: await get('/checks/test.echo', 'text/html'),
        dashboard: await get('/', 'text/html'),
      });
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
