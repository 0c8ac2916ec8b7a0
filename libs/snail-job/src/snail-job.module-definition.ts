import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SnailJobModuleOptions } from './config/snail-job-options.interface.js';

/** `forRoot` / `forRootAsync` come from Nest's ConfigurableModuleBuilder. */
export const {
  ConfigurableModuleClass: ConfigurableSnailJobModule,
  MODULE_OPTIONS_TOKEN: SNAIL_JOB_MODULE_OPTIONS,
  OPTIONS_TYPE: SNAIL_JOB_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SNAIL_JOB_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SnailJobModuleOptions>({ moduleName: 'SnailJob' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
