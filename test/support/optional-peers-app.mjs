// Boots SnailJobModule in a directory whose node_modules lacks @nestjs/terminus and prom-client
// (test/optional-peers.e2e-spec.ts), then prints one JSON line: which optional peers resolve, the status of
// GET /health and GET /actuator/prometheus, or the start-up error.
import 'reflect-metadata';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const resolvable = (name) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};

const result = { terminus: resolvable('@nestjs/terminus'), promClient: resolvable('prom-client') };
try {
  const { Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  // MODE=cjs loads the CommonJS build, MODE=esm the ES module entry.
  const { SnailJobModule } =
    process.env.MODE === 'cjs' ? require('nestjs-snail-job') : await import('nestjs-snail-job');
  class AppModule {}
  Module({ imports: [SnailJobModule.forRoot(JSON.parse(process.env.SNAIL_OPTIONS))] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  result.health = (await fetch(`${url}/health`)).status;
  result.metrics = (await fetch(`${url}/actuator/prometheus`)).status;
  await app.close();
} catch (error) {
  result.error = error instanceof Error ? error.message : String(error);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
