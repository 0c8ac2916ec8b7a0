import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { JobsApi } from '../api/jobs-api.service.js';

/** `/api/jobs` and `/api/trigger`. */
@Controller('api')
export class JobsController {
  constructor(private readonly jobs: JobsApi) {}

  @Post('jobs')
  create(@Body() body: unknown) {
    return this.jobs.createJob(body);
  }

  @Get('jobs')
  list() {
    return this.jobs.listJobs();
  }

  @Get('jobs/:id')
  get(@Param('id') id: string) {
    return this.jobs.getJob(id);
  }

  @Post('jobs/:id/trigger')
  @HttpCode(200)
  trigger(@Param('id') id: string, @Body() body: unknown) {
    return this.jobs.triggerJob(id, body);
  }

  @Post('trigger')
  createAndTrigger(@Body() body: unknown) {
    return this.jobs.createAndTrigger(body);
  }
}
