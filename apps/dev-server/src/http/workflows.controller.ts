import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { WorkflowsApi } from '../api/workflows-api.service.js';
import { timeoutQuery } from './query.js';

/** `/api/workflows` and `/api/workflow-batches`. */
@Controller('api')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsApi) {}

  @Post('workflows')
  create(@Body() body: unknown) {
    return this.workflows.createWorkflow(body);
  }

  @Post('workflows/:id/trigger')
  @HttpCode(200)
  trigger(@Param('id') id: string, @Body() body: unknown) {
    return this.workflows.triggerWorkflow(id, body);
  }

  @Get('workflow-batches/:id')
  get(@Param('id') id: string) {
    return this.workflows.getWorkflowBatch(id);
  }

  /** Long-poll until the workflow batch is finished; 408 with the current state at the timeout. */
  @Get('workflow-batches/:id/wait')
  wait(@Param('id') id: string, @Query('timeoutMs') timeoutMs?: string) {
    return this.workflows.waitForWorkflowBatch(id, timeoutQuery(timeoutMs));
  }

  @Post('workflow-batches/:id/stop')
  @HttpCode(200)
  stop(@Param('id') id: string) {
    return this.workflows.stopWorkflowBatch(id);
  }
}
