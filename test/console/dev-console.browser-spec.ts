import { mkdirSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import type { Page } from 'playwright-core';
import type { JobView } from '../../apps/dev-server/src/api/views.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, startClientApp } from '../support/client-app.js';
import { type DevServer, startTestDevServer } from '../support/dev-server.js';
import { type HeadlessChromium, startChromium } from './support/chromium.js';
import { aborts, ConsoleExecutors } from './support/console-executors.js';

const SCREENSHOT = 'docs/images/dev-console.png';

/** Fills and submits the page's job form. */
async function createJobInPage(page: Page, name: string, executor: string, args: string) {
  await page.getByRole('button', { name: 'New job' }).click();
  const form = page.getByRole('form', { name: 'New job' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Executor').fill(executor);
  await form.getByLabel('Arguments').fill(args);
  await form.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => form.count()).toBe(0);
}

describe('web console, in headless Chromium against a real client', () => {
  let server: DevServer;
  let client: INestApplication;
  let chromium: HeadlessChromium;
  let page: Page;

  beforeAll(async () => {
    server = await startTestDevServer();
    client = await startClientApp(
      // Ship remote log lines every 200 ms, so the page shows a running task's lines while it runs.
      clientOptions(server.grpcPort, { logFlushIntervalMs: 200 }),
      [ConsoleExecutors],
    );
    await server.waitForNodes(1, 10_000);
    chromium = await startChromium();
    const context = chromium.browser.contexts()[0];
    page = await context.newPage();
    await page.setViewportSize({ width: 1440, height: 960 });
    page.setDefaultTimeout(10_000);
    await page.goto(server.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await client?.close();
    await server?.close();
  });

  it('shows the node with its labels, executors and last beat', async () => {
    const nodes = page.getByRole('region', { name: 'Nodes' });
    await nodes.getByText('consoleHello').waitFor();
    await nodes.getByText('consoleSlow').waitFor();
    const [node] = await server.nodes();
    await nodes.getByText(node.hostId).waitFor();
    await nodes.getByText(`127.0.0.1:${node.hostPort}`).waitFor();
    await expect.poll(() => nodes.getByText(/\d+ s ago/).count()).toBe(1);
  });

  it('creates a job in the page, triggers it, shows SUCCESS, the result and the remote log lines', async () => {
    await createJobInPage(page, 'greet', 'consoleHello', 'console');
    const row = page.getByRole('row', { name: 'Job greet' });
    await row.getByRole('button', { name: 'Trigger' }).click();

    const detail = page.getByRole('region', { name: /^Batch \d+$/ });
    await detail
      .getByRole('row', { name: /^Task / })
      .getByText('SUCCESS', { exact: true })
      .waitFor();
    await detail.locator('.panel-head').getByText('SUCCESS').waitFor();
    await detail.getByText('{"greeting":"hello console","taskId":', { exact: false }).waitFor();
    const logs = detail.getByRole('log', { name: 'Task logs' });
    await logs.getByText('hello console').waitFor();
    await logs.getByText('second line after await').waitFor();
    await expect(logs.getByText('WARN').count()).resolves.toBe(1);

    // What the page showed is what the server holds.
    const [batch] = await server.listBatches();
    expect(batch.statusName).toBe('SUCCESS');
    expect(await detail.getByRole('heading', { level: 2 }).textContent()).toBe(`Batch ${batch.id}`);
    const job = await server.getJob(batch.jobId);
    expect(job).toMatchObject({ jobName: 'greet', executorInfo: 'consoleHello', argsStr: 'console' });
  });

  it('stops a slow job from the page: the batch turns STOP and the handler is aborted', async () => {
    await createJobInPage(page, 'slow', 'consoleSlow', '');
    await page.getByRole('row', { name: 'Job slow' }).getByRole('button', { name: 'Trigger' }).click();
    const detail = page.getByRole('region', { name: /^Batch \d+$/ });
    await detail.locator('.panel-head').getByText('RUNNING').waitFor();
    await detail.getByRole('log').getByText('slow job started').waitFor();
    await detail.locator('.panel-head').getByRole('button', { name: 'Stop' }).click();
    await detail.locator('.panel-head').getByText('STOP', { exact: true }).waitFor();
    await detail.locator('.panel-head').getByText('MANNER_STOP').waitFor();
    await expect.poll(() => aborts).toEqual(['stop']);
    const batches = await server.listBatches();
    expect(batches.map((b) => b.statusName)).toEqual(['SUCCESS', 'STOP']);

    // Retry is offered on the stopped batch and opens its tasks again.
    await detail.locator('.panel-head').getByRole('button', { name: 'Retry' }).click();
    await detail.locator('.panel-head').getByText('RUNNING').waitFor();
    await detail.locator('.panel-head').getByRole('button', { name: 'Stop' }).click();
    await detail.locator('.panel-head').getByText('STOP', { exact: true }).waitFor();
  });

  it('edits, disables and deletes a job; refusals show in the banner', async () => {
    await createJobInPage(page, 'temp', 'consoleHello', 'one');
    const row = page.getByRole('row', { name: 'Job temp' });
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: /^Edit job \d+$/ });
    await form.getByLabel('Arguments').fill('two');
    await form.getByLabel('Max retries').fill('-1');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').getByText('field "maxRetryTimes" must be an integer ≥ 0').waitFor();
    await form.getByLabel('Max retries').fill('2');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    const jobs = (await fetch(`${server.baseUrl}/api/jobs`).then((r) => r.json())) as JobView[];
    const temp = jobs.find((j) => j.jobName === 'temp')!;
    expect(temp).toMatchObject({ argsStr: 'two', maxRetryTimes: 2, jobStatus: 1 });

    // A schedule set in the form makes the server fire the job by itself.
    await row.getByRole('button', { name: 'Edit' }).click();
    await form.getByLabel('Schedule').selectOption({ label: 'FIXED (seconds)' });
    await form.getByLabel('Interval', { exact: true }).fill('1');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => form.count()).toBe(0);
    await expect
      .poll(async () => (await server.listBatches(temp.id)).length, { timeout: 5000 })
      .toBeGreaterThan(0);
    expect(await server.getJob(temp.id)).toMatchObject({ triggerType: 2, triggerInterval: '1' });

    await expect(row.getByRole('button', { name: 'Delete' }).isDisabled()).resolves.toBe(true);
    await row.getByRole('checkbox', { name: 'Enable temp' }).uncheck();
    await expect.poll(async () => (await server.getJob(temp.id)).jobStatus).toBe(0);
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row.count()).toBe(0);
    await expect(server.getJob(temp.id)).rejects.toThrow(`Job ${temp.id} does not exist.`);
  });

  it('triggers a workflow, shows its nodes and context, and saves the screenshot', async () => {
    const jobs = (await fetch(`${server.baseUrl}/api/jobs`).then((r) => r.json())) as JobView[];
    const greet = jobs.find((j) => j.jobName === 'greet')!;
    await server.createWorkflow({
      name: 'greet-twice',
      nodes: [
        { id: 'first', jobId: greet.id },
        { id: 'second', jobId: greet.id },
      ],
      edges: [['first', 'second']],
      wfContext: { source: 'console test' },
    });
    const workflows = page.getByRole('region', { name: 'Workflows' });
    await workflows
      .getByRole('row', { name: 'Workflow greet-twice' })
      .getByRole('button', { name: 'Trigger' })
      .click();
    const run = workflows.getByLabel(/^Workflow run \d+$/);
    await run.locator('.wf-run-head').getByText('SUCCESS').waitFor({ timeout: 15_000 });
    await expect(run.getByRole('button', { name: /SUCCESS/ }).count()).resolves.toBe(2);
    const context = JSON.parse((await run.getByLabel(/^Context of run/).textContent())!);
    expect(context).toEqual({ source: 'console test', greeted: 'console' });

    // A workflow node opens its batch.
    await run.getByRole('button', { name: /^second/ }).click();
    const detail = page.getByRole('region', { name: /^Batch \d+$/ });
    await detail.getByRole('log').getByText('hello console').waitFor();

    // Selecting a job lists its batches only (the workflow's node batches belong to greet too).
    await page
      .getByRole('row', { name: 'Job greet' })
      .getByRole('cell', { name: 'greet', exact: true })
      .click();
    const ofGreet = page.getByRole('region', { name: `Batches of job ${greet.id}` });
    const greetBatches = await server.listBatches(greet.id);
    expect(greetBatches).toHaveLength(3);
    await expect.poll(() => ofGreet.getByRole('row', { name: /^Batch \d+$/ }).count()).toBe(3);

    // The picture for the README: a second click shows every batch again; the first one opens.
    await page
      .getByRole('row', { name: 'Job greet' })
      .getByRole('cell', { name: 'greet', exact: true })
      .click();
    const [first] = await server.listBatches();
    const all = page.getByRole('region', { name: 'Batches' });
    await all.getByRole('row', { name: `Batch ${first.id}` }).click();
    await detail.getByRole('log').getByText('second line after await').waitFor();
    await page.setViewportSize({ width: 1360, height: 640 });
    mkdirSync('docs/images', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
