/**
 * Running the real SnailJob 2.0.2 server in tests: `startRealServer()` (PostgreSQL + server on free loopback
 * ports, stopped by PID on `stop()`, on failure and at exit), `obtainServer()` (SNAIL_SERVER_JAR → Maven
 * Central), and `SnailConsole` (the server's console API). See docs/real-server.md.
 */
export { SnailConsole } from './console.js';
export type { RealBatch, RealJobInput, RealPod, RealTask, RealWorkflowBatch } from './console.js';
export { schemaFile, startPostgres, type Postgres } from './postgres.js';
export {
  RealServerUnavailableError,
  startRealServer,
  type RealServer,
  type RealServerOptions,
} from './real-server.js';
export {
  SERVER_VERSION,
  findJava,
  obtainServer,
  type ServerLaunch,
  type ServerUnavailable,
} from './server-jar.js';
