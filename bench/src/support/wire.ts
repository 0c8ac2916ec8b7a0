import {
  DEFAULT_NAMESPACE,
  DEFAULT_SERVER_TOKEN,
  DEMO_GROUP,
  DEMO_TOKEN,
  SERVER_GROUP_NAME,
} from 'nestjs-snail-job/protocol';

/** Envelopes of the same shape and size as real SnailJob 2.0.x traffic (docs/protocol.md §2.1, §2.4, §4.1, §6.1). */

/** Server → client headers, as the Java server sends them. */
export function serverHeaders(): Record<string, string> {
  return {
    'SJ-TOKEN': DEMO_TOKEN,
    token: DEFAULT_SERVER_TOKEN,
    'group-name': SERVER_GROUP_NAME,
    namespace: DEFAULT_NAMESPACE,
    'host-id': '1948000000000000001',
    'host-ip': '127.0.0.1',
    'host-port': '17888',
  };
}

/** Client → server headers, as the module sends them on every call (ServerChannel.headers). */
export function clientHeaders(hostPort: number): Record<string, string> {
  return {
    'host-id': `node-${process.pid}-0123456789ab`,
    'host-ip': '127.0.0.1',
    'host-port': String(hostPort),
    'group-name': DEMO_GROUP,
    namespace: DEFAULT_NAMESPACE,
    token: DEMO_TOKEN,
    version: '0',
    'system-version': '0.1.0',
    'executor-type': '1',
    Host: '127.0.0.1',
  };
}

/** What varies between the dispatches the bench sends. */
export interface DispatchSpec {
  executor: string;
  taskId: number;
  taskBatchId?: number;
  jobParams?: string;
  /** 1 CLUSTER (default) or 4 MAP. */
  taskType?: 1 | 4;
  taskName?: string;
}

/** The body of one `/job/dispatch/v1` call, keys in Jackson's alphabetical order. */
export function dispatchBody(spec: DispatchSpec): string {
  const map = spec.taskType === 4;
  return JSON.stringify([
    {
      argsStr: JSON.stringify(spec.jobParams === undefined ? {} : { jobParams: spec.jobParams }),
      executorInfo: spec.executor,
      executorTimeout: 60,
      executorType: 1,
      groupName: DEMO_GROUP,
      jobBizId: '1948123456789012345',
      jobId: 7,
      ...(map ? { mrStage: 1 } : {}),
      namespaceId: DEFAULT_NAMESPACE,
      parallelNum: 1,
      retry: false,
      retryStatus: false,
      taskBatchId: spec.taskBatchId ?? spec.taskId,
      taskId: spec.taskId,
      taskName: spec.taskName ?? (map ? 'ROOT_MAP' : 'CLUSTER_TASK'),
      taskType: spec.taskType ?? 1,
    },
  ]);
}

/** The body of a successful `/report/dispatch/result` for a no-op cluster task, as the module writes it. */
export function reportBody(jobId: number, taskBatchId: number, taskId: number): string {
  return JSON.stringify([
    {
      jobId,
      taskBatchId,
      taskId,
      taskType: 1,
      groupName: DEMO_GROUP,
      taskStatus: 3,
      executeResult: { status: 1, message: 'Task executed successfully' },
      retryStatus: false,
      retry: false,
    },
  ]);
}
