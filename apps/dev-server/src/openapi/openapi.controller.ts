import {
  type ArgumentsHost,
  Body,
  Catch,
  Controller,
  Delete,
  type ExceptionFilter,
  Get,
  HttpCode,
  HttpException,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Header } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { GroupRegistry } from '../registry/group.registry.js';
import {
  bizIdStatusRequest,
  bizIdTriggerRequest,
  deleteBizIdRequest,
  idSet,
  jobRequest,
  jobTriggerRequest,
  queryParam,
  statusRequest,
  workflowBizIdTriggerRequest,
  workflowTriggerRequest,
} from './openapi-requests.js';
import {
  failed,
  ok,
  OpenApiError,
  OpenApiParamError,
  type OpenApiResult,
  PARAM_INCORRECT,
  SYSTEM_EXCEPTION,
} from './openapi-result.js';
import { type OpenApiCaller, OpenApiService } from './openapi.service.js';

/** The server's context path (`server.servlet.context-path` in `snail-job-server-starter/.../application.yml`). */
export const OPENAPI_CONTEXT_PATH = 'snail-job';

/**
 * Every failure under the OpenAPI's path as `RestExceptionHandler` answers it: HTTP 200 with `status: 0`. Installed
 * as a global filter so that unreadable bodies (rejected before any controller runs) are answered the same way;
 * other paths get Nest's default handling.
 */
@Catch()
export class OpenApiExceptionFilter extends BaseExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: DevServerLogger) {
    super();
  }

  override catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request | undefined>();
    if (host.getType() !== 'http' || !req?.originalUrl?.startsWith(`/${OPENAPI_CONTEXT_PATH}/api/`)) {
      super.catch(error, host);
      return;
    }
    const res = host.switchToHttp().getResponse<Response>();
    let body: OpenApiResult<never>;
    if (error instanceof OpenApiError) body = failed(error.message);
    else if (error instanceof OpenApiParamError || error instanceof HttpException)
      body = failed(PARAM_INCORRECT);
    else {
      this.logger.warn(
        `OpenAPI: ${error instanceof Error ? error.message : String(error)} → "System exception"`,
      );
      body = failed(SYSTEM_EXCEPTION);
    }
    res.status(200).json(body);
  }
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * SnailJob 2.0.2's OpenAPI (`snail-job-server-interface/snail-job-server-openapi/.../api/JobApi.java`,
 * `JobBatchApi.java`, `WorkflowApi.java`, `WorkflowBatchApi.java`) under the server's context path.
 */
@Controller(`${OPENAPI_CONTEXT_PATH}/api`)
export class OpenApiController {
  constructor(
    private readonly api: OpenApiService,
    private readonly groups: GroupRegistry,
  ) {}

  /**
   * `OpenApiAuthenticationInterceptor`: the `token` header must equal the token of (`group-name`, `namespace`).
   * Runs before the body is read, like the interceptor.
   */
  private caller(req: Request, withBody: boolean): OpenApiCaller {
    const namespaceId = header(req, Header.NAMESPACE);
    const groupName = header(req, Header.GROUP_NAME);
    const token = header(req, Header.TOKEN);
    const refused = () =>
      new OpenApiError(
        `Token authentication failed. [namespace:${namespaceId ?? 'null'} groupName:${groupName ?? 'null'} token:${token ?? 'null'}]`,
      );
    if (token === undefined || token.trim() === '') throw refused();
    // `CacheToken.get(null, …)` dereferences the missing group name: an NPE, "System exception".
    if (groupName === undefined) throw new Error('group-name header missing (NullPointerException)');
    const headers: Record<string, string> = { [Header.TOKEN]: token, [Header.GROUP_NAME]: groupName };
    if (namespaceId !== undefined) headers[Header.NAMESPACE] = namespaceId;
    if (this.groups.authenticate(headers) !== undefined) throw refused();
    if (withBody && !req.is('application/json'))
      throw new OpenApiParamError('Content-Type is not application/json');
    return { namespaceId, groupName };
  }

  // ---- JobApi -------------------------------------------------------------------------------------------

  @Post('job/add')
  @HttpCode(200)
  addJob(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    return ok(this.api.addJob(caller, jobRequest(body, false)));
  }

  @Put('job/update')
  updateJob(@Req() req: Request, @Body() body: unknown) {
    this.caller(req, true);
    return ok(this.api.updateJob(jobRequest(body, false)));
  }

  @Delete('job/delete')
  deleteJobs(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    return ok(this.api.deleteJobs(caller, idSet(body, 'long', 'ids cannot be null')));
  }

  @Post('job/trigger')
  @HttpCode(200)
  triggerJob(@Req() req: Request, @Body() body: unknown) {
    this.caller(req, true);
    const { jobId, tmpArgsStr } = jobTriggerRequest(body);
    return ok(this.api.triggerJob(jobId, tmpArgsStr));
  }

  @Put('job/update/status')
  updateJobStatus(@Req() req: Request, @Body() body: unknown) {
    this.caller(req, true);
    const { id, status } = statusRequest(body);
    return ok(this.api.updateJobStatus(id, status));
  }

  @Get('job/detail/id')
  jobDetail(@Req() req: Request, @Query('id') id: unknown) {
    this.caller(req, false);
    return ok(this.api.jobDetail(Number(queryParam(id, 'long'))));
  }

  @Get('job/exists')
  jobExists(@Req() req: Request, @Query('id') id: unknown) {
    this.caller(req, false);
    return ok(this.api.jobExists(Number(queryParam(id, 'long'))));
  }

  @Post('job/bizId/add')
  @HttpCode(200)
  addJobByBizId(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    return ok(this.api.addJobByBizId(caller, jobRequest(body, true)));
  }

  @Put('job/bizId/update')
  updateJobByBizId(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    return ok(this.api.updateJobByBizId(caller, jobRequest(body, true)));
  }

  @Get('job/bizId/detail')
  jobDetailByBizId(@Req() req: Request, @Query('bizId') bizId: unknown) {
    const caller = this.caller(req, false);
    return ok(this.api.jobDetailByBizId(caller, queryParam(bizId, 'string')));
  }

  @Post('job/bizId/trigger')
  @HttpCode(200)
  triggerJobByBizId(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    const { bizId, tmpArgsStr } = bizIdTriggerRequest(body);
    return ok(this.api.triggerJobByBizId(caller, bizId, tmpArgsStr));
  }

  @Delete('job/bizId/delete')
  deleteJobsByBizId(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    return ok(this.api.deleteJobsByBizId(caller, deleteBizIdRequest(body)));
  }

  @Put('job/bizId/updateStatus')
  updateJobStatusByBizId(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    const { bizId, status } = bizIdStatusRequest(body);
    return ok(this.api.updateJobStatusByBizId(caller, bizId, status));
  }

  @Get('job/bizId/exists')
  jobExistsByBizId(@Req() req: Request, @Query('bizId') bizId: unknown) {
    const caller = this.caller(req, false);
    return ok(this.api.jobExistsByBizId(caller, queryParam(bizId, 'string')));
  }

  // ---- JobBatchApi: `/api/job-batch/detail/{id}` reads the id from the query ---------------------------

  @Get('job-batch/detail/:any')
  jobBatchDetail(@Req() req: Request, @Query('id') id: unknown) {
    this.caller(req, false);
    return ok(this.api.jobBatchDetail(Number(queryParam(id, 'long'))));
  }

  // ---- WorkflowBatchApi ---------------------------------------------------------------------------------

  @Get('workflow-batch/detail/id')
  workflowBatchDetail(@Req() req: Request, @Query('id') id: unknown) {
    this.caller(req, false);
    return ok(this.api.workflowBatchDetail(Number(queryParam(id, 'long'))));
  }

  // ---- WorkflowApi --------------------------------------------------------------------------------------

  @Delete('workflow/delete')
  deleteWorkflows(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    return ok(this.api.deleteWorkflows(caller, idSet(body, 'long', 'ids cannot be null')));
  }

  @Post('workflow/trigger')
  @HttpCode(200)
  triggerWorkflow(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    const { workflowId, tmpWfContext } = workflowTriggerRequest(body);
    return ok(this.api.triggerWorkflow(caller, workflowId, tmpWfContext));
  }

  @Put('workflow/update/status')
  updateWorkflowStatus(@Req() req: Request, @Body() body: unknown) {
    this.caller(req, true);
    const { id, status } = statusRequest(body);
    return ok(this.api.updateWorkflowStatus(id, status));
  }

  @Get('workflow/exists')
  workflowExists(@Req() req: Request, @Query('id') id: unknown) {
    const caller = this.caller(req, false);
    return ok(this.api.workflowExists(caller, Number(queryParam(id, 'long'))));
  }

  @Post('workflow/bizId/trigger')
  @HttpCode(200)
  triggerWorkflowByBizId(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    const { bizId, tmpWfContext } = workflowBizIdTriggerRequest(body);
    return ok(this.api.triggerWorkflowByBizId(caller, bizId, tmpWfContext));
  }

  @Delete('workflow/bizId/delete')
  deleteWorkflowsByBizId(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    return ok(this.api.deleteWorkflowsByBizId(caller, idSet(body, 'string', 'bizIds cannot be null')));
  }

  @Put('workflow/bizId/updateStatus')
  updateWorkflowStatusByBizId(@Req() req: Request, @Body() body: unknown) {
    const caller = this.caller(req, true);
    const { bizId, status } = bizIdStatusRequest(body);
    return ok(this.api.updateWorkflowStatusByBizId(caller, bizId, status));
  }

  @Get('workflow/bizId/exists')
  workflowExistsByBizId(@Req() req: Request, @Query('bizId') bizId: unknown) {
    const caller = this.caller(req, false);
    return ok(this.api.workflowExistsByBizId(caller, queryParam(bizId, 'string')));
  }
}
