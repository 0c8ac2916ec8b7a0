import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ConsoleJobs } from './console-jobs.service.js';
import { ConsoleWorkflows } from './console-workflows.service.js';

/** The JSON routes the console needs that the rest of the HTTP API lacks. */
@Controller('api')
export class ConsoleApiController {
  constructor(
    private readonly jobs: ConsoleJobs,
    private readonly workflows: ConsoleWorkflows,
  ) {}

  /** Edits a job: the body's fields replace the job's. */
  @Put('jobs/:id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.jobs.update(id, body);
  }

  /** `{jobStatus: 1}` enables, `{jobStatus: 0}` disables. */
  @Put('jobs/:id/status')
  setStatus(@Param('id') id: string, @Body() body: unknown) {
    return this.jobs.setStatus(id, body);
  }

  /** Deletes a disabled job no workflow uses. */
  @Delete('jobs/:id')
  @HttpCode(204)
  remove(@Param('id') id: string) {
    this.jobs.remove(id);
  }

  @Get('workflows')
  listWorkflows() {
    return this.workflows.list();
  }

  /** Workflow runs, newest first (`?workflowId=`). */
  @Get('workflow-batches')
  runs(@Query('workflowId') workflowId?: string) {
    return this.workflows.runs(workflowId === '' ? undefined : workflowId);
  }
}
