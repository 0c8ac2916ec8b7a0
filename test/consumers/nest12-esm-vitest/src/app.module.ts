import { Module } from '@nestjs/common';
import { LibraryJobs } from 'consumer-jobs-lib';
import { SnailJobModule } from 'nestjs-snail-job';
import { PlainJobs, SumMapReduce } from './jobs.js';

// This app imports nestjs-snail-job (the "import" build) while consumer-jobs-lib, a CommonJS library of its
// own, requires it (the "require" build): its @SnailJob executor must still be found and run.
@Module({
  imports: [SnailJobModule.forRoot()],
  providers: [PlainJobs, SumMapReduce, LibraryJobs],
})
export class AppModule {}
