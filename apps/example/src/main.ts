import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // SIGTERM/SIGINT: the SnailJob client drains running tasks (shutdownGraceMs), flushes its reports, then the
  // process exits with code 0 (Nest's default would re-raise the signal, exit status 143).
  app.enableShutdownHooks([], { useProcessExit: true });
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HTTP_HOST ?? '0.0.0.0');
}

void bootstrap();
