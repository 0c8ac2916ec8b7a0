import { TaskName } from '../protocol/enums.js';

/** Task name of the root map task (the one the server creates; `@MapTask()` handles it). */
export const ROOT_MAP: typeof TaskName.ROOT_MAP = TaskName.ROOT_MAP;
