// A Nest app that forgets `app.enableShutdownHooks()`, in its own process, on the built package (the ESM
// entry, as an app installed from npm loads it). Its one executor, `slowJob`, works for SLOW_JOB_MS and then
// answers `{ slept }`. SNAIL_* variables configure the module; SHUTDOWN_HOOKS=1 turns Nest's hooks on.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SnailJob, SnailJobModule } from 'nestjs-snail-job';

const slept = Number(process.env.SLOW_JOB_MS ?? 1000);

class SlowJobs {
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, slept));
    return { slept };
  }
}
Reflect.decorate(
  [SnailJob('slowJob')],
  SlowJobs.prototype,
  'slow',
  Object.getOwnPropertyDescriptor(SlowJobs.prototype, 'slow'),
);
Reflect.decorate([Injectable()], SlowJobs);

class AppModule {}
Reflect.decorate([Module({ imports: [SnailJobModule.forRoot()], providers: [SlowJobs] })], AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn', 'log'] });
if (process.env.SHUTDOWN_HOOKS === '1') app.enableShutdownHooks();
await app.init();
console.log('APP_READY');
