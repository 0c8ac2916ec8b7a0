/**
 * The SnailJob wire protocol as plain TypeScript (no Nest): envelope codec, URIs, headers, enums and
 * payload shapes. Shared by the client module and the dev server; published as `nestjs-snail-job/protocol`.
 */
export * from './args-holder.js';
export * from './enums.js';
export * from './envelope.js';
export * from './headers.js';
export * from './json.js';
export * from './payloads.js';
export * from './proto-descriptor.js';
export * from './uris.js';
