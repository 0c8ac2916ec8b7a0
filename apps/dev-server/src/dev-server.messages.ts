/** Every text the emulated SnailJob server puts on the wire, verbatim from the Java server (docs/protocol.md §2–§7). */
export const Messages = {
  tokenFailed: (namespace: string | undefined, group: string | undefined, token: string | undefined) =>
    `Token authentication failed. [namespace:${namespace ?? 'null'} groupName:${group ?? 'null'} token:${token ?? 'null'}]`,
  /** Java 21's helpful NPE when `group-name` is missing but a token is present (opaque to clients). */
  groupNameNull: 'Cannot invoke "String.equals(Object)" because "groupName" is null',
  noHandler: (path: string) => `No matching handler found. Path:[${path}] method:[{}]`,
  /** `Integer.valueOf` on a bad `host-port` header. */
  numberFormat: (value: string | undefined) =>
    value === undefined ? 'Cannot parse null string: null' : `For input string: "${value}"`,
  executorsRegistered: 'Batch Register Job Executors Processed Successfully',
  executorsArgNull: 'Beat register job executors arg is null',
  resultReported: 'Report Dispatch Result Processed Successfully',
  mapTaskReported: 'Report Map Task Processed Successfully',
  mapTaskEmpty: 'Job task is empty',
  jobNotExisted: 'Job config not existed',
  logsReported: 'Batch Log Retry Data Upload Processed Successfully',
  taskStopped: 'Task stopped successfully',
  clientMissing: 'Client does not exist',
  injectedFault: 'injected fault',
} as const;
