'use strict';
// What tsc emits for a CommonJS library with `@Injectable() class LibraryJobs { @SnailJob('…') run() {} }`.
const { Injectable } = require('@nestjs/common');
const { ExecuteResult, SnailJob } = require('nestjs-snail-job');

class LibraryJobs {
  run(args) {
    return ExecuteResult.success(`library saw ${args.jobParams}`);
  }
}
Reflect.decorate(
  [SnailJob('consumerLibraryJob')],
  LibraryJobs.prototype,
  'run',
  Object.getOwnPropertyDescriptor(LibraryJobs.prototype, 'run'),
);
module.exports.LibraryJobs = Reflect.decorate([Injectable()], LibraryJobs);
