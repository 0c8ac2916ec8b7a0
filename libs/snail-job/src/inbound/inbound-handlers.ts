import { DispatchHandler } from './dispatch.handler.js';
import { StopHandler } from './stop.handler.js';
import { SyncVersionHandler } from './sync-version.handler.js';

/** The controllers whose `@MessagePattern`s {@link SnailJobTransport} serves. */
export const INBOUND_HANDLERS = [DispatchHandler, StopHandler, SyncVersionHandler] as const;
