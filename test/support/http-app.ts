import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';

/** A Nest app listening on 127.0.0.1 (ephemeral port), and its base URL. */
export interface HttpApp {
  app: INestApplication;
  url: string;
}

/** Creates `rootModule` as an Express app and listens on an ephemeral port of 127.0.0.1. */
export async function listenApp(rootModule: Type<unknown>): Promise<HttpApp> {
  const app = await NestFactory.create(rootModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/** GET `url` and return status and JSON body. */
export async function getJson<T = Record<string, unknown>>(
  url: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls `check` every 20 ms until it returns true. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
