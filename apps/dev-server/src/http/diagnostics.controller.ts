import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ClusterApi } from '../api/cluster-api.service.js';
import { JobsApi } from '../api/jobs-api.service.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { limitQuery } from './query.js';

/** The request journal, task logs and fault injection. */
@Controller('api')
export class DiagnosticsController {
  constructor(
    private readonly cluster: ClusterApi,
    private readonly jobs: JobsApi,
  ) {}

  /** `?uri=` exact URI or path, `?limit=` most recent n, `?direction=in|out|all` (default in). */
  @Get('requests')
  requests(
    @Query('uri') uri?: string,
    @Query('limit') limit?: string,
    @Query('direction') direction?: string,
  ) {
    if (direction !== undefined && direction !== 'in' && direction !== 'out' && direction !== 'all') {
      throw new InvalidInputError(`Query "direction" must be in, out or all; got "${direction}".`);
    }
    return this.cluster.requests({ uri: uri || undefined, limit: limitQuery(limit), direction });
  }

  @Get('tasks/:id/logs')
  taskLogs(@Param('id') id: string) {
    return this.jobs.taskLogs(id);
  }

  @Get('faults')
  faults() {
    return this.cluster.faults();
  }

  @Post('faults')
  @HttpCode(200)
  inject(@Body() body: unknown) {
    return this.cluster.injectFault(body);
  }

  @Delete('faults')
  @HttpCode(204)
  clear() {
    this.cluster.clearFaults();
  }
}
