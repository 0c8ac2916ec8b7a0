import 'reflect-metadata';
import { Module, type INestApplication, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SnailJobModule, type SnailJobModuleOptions } from 'nestjs-snail-job';

/** Options for a test client pointed at a server on 127.0.0.1:`serverPort`, own gRPC port ephemeral. */
export function clientOptions(serverPort: number, extra: SnailJobModuleOptions = {}): SnailJobModuleOptions {
  return {
    server: { host: '127.0.0.1', port: serverPort },
    client: { host: '127.0.0.1', port: 0, bindHost: '127.0.0.1' },
    health: false,
    metrics: false,
    ...extra,
  };
}

/**
 * Boots a Nest app importing SnailJobModule with `options` and the given executor providers (silent unless a
 * `logger` is given, e.g. a LogCapture).
 */
export async function startClientApp(
  options: SnailJobModuleOptions,
  providers: Type<unknown>[],
  logger: LoggerService | false = false,
): Promise<INestApplication> {
  const app = await createClientApp(options, providers, logger);
  await app.init();
  return app;
}

/** Like {@link startClientApp} without `init()`, for tests that expect the start to fail. */
export async function createClientApp(
  options: SnailJobModuleOptions,
  providers: Type<unknown>[],
  logger: LoggerService | false = false,
): Promise<INestApplication> {
  @Module({ imports: [SnailJobModule.forRoot(options)], providers })
  class TestClientModule {}
  return NestFactory.create(TestClientModule, { logger, abortOnError: false });
}
