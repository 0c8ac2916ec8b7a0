import { ConsoleApiController } from './console-api.controller.js';
import { ConsoleJobs } from './console-jobs.service.js';
import { ConsolePageController } from './console-page.controller.js';
import { ConsoleWorkflows } from './console-workflows.service.js';

/** The web console's controllers, registered by `DevServerModule` (the page last: it owns `/`). */
export const consoleControllers = [ConsoleApiController, ConsolePageController];

/** The web console's providers. */
export const consoleProviders = [ConsoleJobs, ConsoleWorkflows];
