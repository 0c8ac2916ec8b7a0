export { SnailJobModule, type SnailJobModuleAsyncOptions } from './snail-job.module.js';
export type { SnailJobModuleOptions } from './config/snail-job-options.interface.js';
export { SnailJob, type SnailJobExecutorOptions } from './decorators/snail-job.decorator.js';
export type { InferParams, ParamsDto, ParamsSchema } from './params/params-schema.js';
export { SnailJobParamsError, type ParamsIssue } from './params/params.error.js';
export { MapTask, MergeTask, ReduceTask } from './decorators/stage.decorators.js';
export { ExecuteResult } from './job/execute-result.js';
export { JobArgs, MapArgs, MergeReduceArgs, ReduceArgs, ShardingJobArgs } from './job/job-args.js';
export type { AbortReason } from './job/abort-reasons.js';
export { ROOT_MAP } from './job/task-names.js';
export type { SnailId } from './protocol/payloads.js';
export { SnailJobConfigError } from './errors/snail-job-config.error.js';
export { SnailJobDefinitionError } from './errors/snail-job-definition.error.js';
export { MapTaskError } from './errors/map-task.error.js';
export { SnailJobLog, type SnailJobLogger } from './logging/snail-job-log.js';
export { SnailJobTransport } from './transport/snail-job.transport.js';
export { SnailJobHealthIndicator } from './health/snail-job.health-indicator.js';
export type { SnailJobHealthDetails, SnailJobHealthResult } from './health/snail-job.health-indicator.js';
export {
  SnailJobOpenApi,
  SnailJobOpenApiError,
  type SnailJobOpenApiConfig,
  type AddJobRequest,
  type AddJobByBizIdRequest,
  type UpdateJobRequest,
  type UpdateJobByBizIdRequest,
  type JobFields,
  type JobResponse,
  type JobExistsResponse,
  type JobBatchResponse,
  type WorkflowBatchResponse,
  type WorkflowExistsResponse,
  type WorkflowNodeConfig,
  type WorkflowNodeInfo,
  type DecisionConfig,
  type OpenApiEnvelope,
  type OpenApiStatus,
  type OpenApiTaskType,
  type OpenApiTriggerType,
} from './openapi/index.js';
