import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { announceReady } from '../support/ipc.js';

/** Footprint baseline: an empty Nest app on the same HTTP stack (express) as the example app, started the same way. */
@Module({})
class BareModule {}

const app = await NestFactory.create(BareModule);
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT ?? 0), process.env.HTTP_HOST ?? '127.0.0.1');
announceReady();
