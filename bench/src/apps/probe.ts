import { commonHandlers, serveIpc } from '../support/ipc.js';

/**
 * Preloaded (`node --expose-gc --import probe.js app.js`) into the apps whose footprint is measured, so the
 * orchestrator can force a GC and read `process.memoryUsage()` inside them without changing their code.
 */
serveIpc(commonHandlers);
