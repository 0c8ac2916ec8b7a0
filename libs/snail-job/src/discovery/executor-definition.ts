/** A bound handler method of a provider. */
export interface BoundHandler {
  /** `ClassName#method`, for messages. */
  readonly where: string;
  readonly className: string;
  readonly methodName: string;
  readonly invoke: (args: unknown) => unknown;
}

/** A plain executor: one method (cluster, broadcast, sharding, workflow node). */
export interface PlainExecutor {
  readonly kind: 'plain';
  readonly name: string;
  readonly handler: BoundHandler;
}

/** A map / map-reduce executor: a class whose methods handle the stages. */
export interface MapExecutor {
  readonly kind: 'map';
  readonly name: string;
  readonly className: string;
  /** Map handlers by task name (`ROOT_MAP` for `@MapTask()`). */
  readonly mapTasks: ReadonlyMap<string, BoundHandler>;
  readonly reduce?: BoundHandler;
  readonly merge?: BoundHandler;
}

/** Any executor. */
export type ExecutorDefinition = PlainExecutor | MapExecutor;
