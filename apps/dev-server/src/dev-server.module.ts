import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ClusterApi } from './api/cluster-api.service.js';
import { JobsApi } from './api/jobs-api.service.js';
import { Waiters } from './api/waiters.service.js';
import { WorkflowsApi } from './api/workflows-api.service.js';
import { DevServerLogger } from './common/dev-server.logger.js';
import { IdGenerator } from './common/id.generator.js';
import { ServerIdentity } from './common/server-identity.js';
import { TimerService } from './common/timer.service.js';
import { consoleControllers, consoleProviders } from './console/index.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from './dev-server.options.js';
import { ClientCaller } from './grpc/client-caller.service.js';
import { ClientChannels } from './grpc/client-channels.service.js';
import { GrpcServerService } from './grpc/grpc-server.service.js';
import { RequestRouter } from './grpc/request-router.service.js';
import { URI_HANDLERS, type UriHandler } from './grpc/uri-handler.js';
import { BeatHandler } from './handlers/beat.handler.js';
import { MapTaskHandler } from './handlers/map-task.handler.js';
import { RegisterExecutorsHandler } from './handlers/register-executors.handler.js';
import { ReportLogHandler } from './handlers/report-log.handler.js';
import { ReportResultHandler } from './handlers/report-result.handler.js';
import { SyncVersionHandler } from './handlers/sync-version.handler.js';
import { BatchesController } from './http/batches.controller.js';
import { ClusterController } from './http/cluster.controller.js';
import { DiagnosticsController } from './http/diagnostics.controller.js';
import { JobsController } from './http/jobs.controller.js';
import { WorkflowsController } from './http/workflows.controller.js';
import { BatchCompletion } from './jobs/batch-completion.service.js';
import { BatchStopper } from './jobs/batch-stopper.service.js';
import { BatchTimeout } from './jobs/batch-timeout.service.js';
import { BatchTrigger } from './jobs/batch-trigger.service.js';
import { JobEvents } from './jobs/job-events.js';
import { JobStore } from './jobs/job.store.js';
import { MapReducePhases } from './jobs/map-reduce-phases.service.js';
import { MapTaskService } from './jobs/map-task.service.js';
import { ResultService } from './jobs/result.service.js';
import { RetryService } from './jobs/retry.service.js';
import { StopSender } from './jobs/stop-sender.service.js';
import { TaskDispatcher } from './jobs/task-dispatcher.service.js';
import { TaskGenerator } from './jobs/task-generator.service.js';
import { TaskFactory } from './jobs/task.factory.js';
import { FaultInjector } from './journal/fault-injector.service.js';
import { RequestJournal } from './journal/request-journal.service.js';
import { TaskLogStore } from './logs/task-log.store.js';
import { ConfigPush } from './registry/config-push.service.js';
import { ExecutorRegistry } from './registry/executor.registry.js';
import { GroupRegistry } from './registry/group.registry.js';
import { NodeRegistry } from './registry/node.registry.js';
import { NodeSelector } from './registry/node-selector.service.js';
import { OpenApiController, OpenApiExceptionFilter } from './openapi/openapi.controller.js';
import { OpenApiService } from './openapi/openapi.service.js';
import { PersistAfterRequestInterceptor } from './persistence/persist-after-request.interceptor.js';
import { PersistenceService } from './persistence/persistence.service.js';
import { JobScheduler } from './scheduling/job-scheduler.service.js';
import { WorkflowNodes } from './workflows/workflow-nodes.service.js';
import { WorkflowRunner } from './workflows/workflow-runner.service.js';
import { WorkflowStore } from './workflows/workflow.store.js';

const uriHandlers = [
  BeatHandler,
  RegisterExecutorsHandler,
  SyncVersionHandler,
  ReportResultHandler,
  MapTaskHandler,
  ReportLogHandler,
];

/** The SnailJob server emulator: gRPC endpoint, job state machine, workflows and the HTTP API. */
@Module({})
export class DevServerModule {
  static forRoot(options: ResolvedDevServerOptions): DynamicModule {
    return {
      module: DevServerModule,
      controllers: [
        JobsController,
        BatchesController,
        WorkflowsController,
        ClusterController,
        DiagnosticsController,
        ...consoleControllers,
        OpenApiController,
      ],
      providers: [
        { provide: DEV_SERVER_OPTIONS, useValue: options },
        ...uriHandlers,
        {
          provide: URI_HANDLERS,
          useFactory: (...handlers: UriHandler[]) => handlers,
          inject: uriHandlers,
        },
        // common
        DevServerLogger,
        IdGenerator,
        ServerIdentity,
        TimerService,
        // transport
        ClientChannels,
        ClientCaller,
        RequestRouter,
        GrpcServerService,
        // registry
        GroupRegistry,
        NodeRegistry,
        NodeSelector,
        ExecutorRegistry,
        ConfigPush,
        // journal and logs
        RequestJournal,
        FaultInjector,
        TaskLogStore,
        // jobs
        JobEvents,
        JobStore,
        TaskFactory,
        TaskGenerator,
        TaskDispatcher,
        StopSender,
        MapReducePhases,
        BatchCompletion,
        BatchStopper,
        BatchTimeout,
        RetryService,
        ResultService,
        BatchTrigger,
        MapTaskService,
        // workflows
        WorkflowStore,
        WorkflowNodes,
        WorkflowRunner,
        // API
        Waiters,
        JobsApi,
        WorkflowsApi,
        ClusterApi,
        ...consoleProviders,
        // schedules
        JobScheduler,
        // data directory
        PersistenceService,
        { provide: APP_INTERCEPTOR, useClass: PersistAfterRequestInterceptor },
        // SnailJob's OpenAPI
        OpenApiService,
        { provide: APP_FILTER, useClass: OpenApiExceptionFilter },
      ],
    };
  }
}
