import * as net from 'node:net';

/** A `/job/dispatch/v1` argument as the Java server sends it for a first cluster dispatch. */
export function dispatchRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    argsStr: '{"jobParams":"hello"}',
    executorInfo: 'echoJob',
    executorTimeout: 60,
    executorType: 1,
    groupName: 'snail_job_demo_group',
    jobBizId: '1948123456789012345',
    jobId: 7,
    namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
    parallelNum: 1,
    retry: false,
    retryStatus: false,
    taskBatchId: 1201,
    taskId: 3301,
    taskName: 'CLUSTER_TASK',
    taskType: 1,
    ...overrides,
  };
}

/** The envelope body of {@link dispatchRequest}. */
export function dispatchBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify([dispatchRequest(overrides)]);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
