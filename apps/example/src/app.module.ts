import { Module } from '@nestjs/common';
import { SnailJobModule } from 'nestjs-snail-job';
import { OrderMapJob } from './jobs/order-map.job.js';
import { ReportJobs } from './jobs/report.jobs.js';
import { SalesMapReduceJob } from './jobs/sales-map-reduce.job.js';

/** The example service: everything SnailJob needs comes from SNAIL_* environment variables. */
@Module({
  imports: [SnailJobModule.forRoot()],
  providers: [ReportJobs, OrderMapJob, SalesMapReduceJob],
})
export class AppModule {}
