export { SnailJobTester, type SnailJobTesterOptions } from './snail-job.tester.js';
export type {
  RunningTest,
  TestLogLine,
  TestMapRequest,
  TestRun,
  TestRunInput,
  TestRunStatus,
  TestTask,
  TestTaskType,
} from './job-run.js';
