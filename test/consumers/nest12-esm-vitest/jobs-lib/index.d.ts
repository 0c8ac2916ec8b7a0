import type { ExecuteResult, JobArgs } from 'nestjs-snail-job';

export declare class LibraryJobs {
  run(args: JobArgs): ExecuteResult;
}
