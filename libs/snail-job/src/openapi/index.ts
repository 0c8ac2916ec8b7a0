export { SnailJobOpenApi, type SnailJobOpenApiConfig } from './snail-job-open-api.js';
export { SnailJobOpenApiError } from './snail-job-open-api.error.js';
export type * from './open-api.types.js';
