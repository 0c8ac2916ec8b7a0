import { Module } from '@nestjs/common';
import { SnailJobModule } from 'nestjs-snail-job';
import { PlainJobs, SumMapReduce } from './jobs.js';

// Everything from SNAIL_* environment variables (the consumer driver sets server, group, token and ports).
@Module({
  imports: [SnailJobModule.forRoot()],
  providers: [PlainJobs, SumMapReduce],
})
export class AppModule {}
