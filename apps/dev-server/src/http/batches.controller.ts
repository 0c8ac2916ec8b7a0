import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { JobsApi } from '../api/jobs-api.service.js';
import { flagQuery, timeoutQuery } from './query.js';

/** `/api/batches`. */
@Controller('api/batches')
export class BatchesController {
  constructor(private readonly jobs: JobsApi) {}

  @Get()
  list(@Query('jobId') jobId?: string) {
    return this.jobs.listBatches(jobId === undefined || jobId === '' ? undefined : jobId);
  }

  @Get(':id')
  get(@Param('id') id: string, @Query('tree') tree?: string) {
    return this.jobs.getBatch(id, flagQuery(tree));
  }

  /** Long-poll until the batch is finished; 408 with the current state at the timeout. */
  @Get(':id/wait')
  wait(@Param('id') id: string, @Query('timeoutMs') timeoutMs?: string, @Query('tree') tree?: string) {
    return this.jobs.waitForBatch(id, timeoutQuery(timeoutMs), flagQuery(tree));
  }

  @Post(':id/stop')
  @HttpCode(200)
  stop(@Param('id') id: string) {
    return this.jobs.stopBatch(id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  retry(@Param('id') id: string) {
    return this.jobs.retryBatch(id);
  }

  @Get(':id/logs')
  logs(@Param('id') id: string) {
    return this.jobs.batchLogs(id);
  }
}
