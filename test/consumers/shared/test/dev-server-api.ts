/** The few dev server calls an e2e test of a consumer app needs (apps/dev-server/README.md, HTTP API). */
const base = (): string => {
  const url = process.env.DEV_SERVER_URL;
  if (!url) throw new Error('DEV_SERVER_URL is not set (the consumer driver sets it)');
  return url;
};

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base()}/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export interface Batch {
  statusName: string;
  tasks: { taskName: string; statusName: string; result: string }[];
}

/**
 * Waits until this process's node is schedulable in its group (SNAIL_GROUP_NAME; one registration sweep after
 * the first beat) and the dev server knows `executorInfo` there.
 */
export async function waitForExecutor(executorInfo: string, timeoutMs = 20_000): Promise<void> {
  const group = process.env.SNAIL_GROUP_NAME ?? '';
  await call('GET', `/nodes/wait?count=1&timeoutMs=${timeoutMs}&groupName=${encodeURIComponent(group)}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const executors = await call<{ groupName: string; executorInfo: string }[]>('GET', '/executors');
    if (executors.some((e) => e.executorInfo === executorInfo && e.groupName === group)) return;
    if (Date.now() > deadline) throw new Error(`executor ${executorInfo} did not register`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Triggers a one-off job in this process's group and waits for its batch to finish. */
export async function runJob(job: Record<string, unknown>): Promise<Batch> {
  const { taskBatchId } = await call<{ taskBatchId: number }>('POST', '/trigger', {
    groupName: process.env.SNAIL_GROUP_NAME,
    ...job,
  });
  return call<Batch>('GET', `/batches/${taskBatchId}/wait?timeoutMs=20000`);
}
