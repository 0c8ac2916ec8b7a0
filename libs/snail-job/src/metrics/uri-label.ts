import { ClientUri, RETRY_MODULE_URIS, ServerUri } from '../protocol/uris.js';

/** Label of every URI outside the protocol, so a misbehaving peer cannot create new series. */
export const OTHER_URI = 'other';

/** Server → client URIs that get their own `uri` label. */
export const INBOUND_URIS: readonly string[] = [
  ...new Set([...Object.values(ClientUri), ...RETRY_MODULE_URIS]),
];

/** Client → server URIs that get their own `uri` label. */
export const OUTBOUND_URIS: readonly string[] = Object.values(ServerUri);

const inbound = new Set(INBOUND_URIS);
const outbound = new Set(OUTBOUND_URIS);

/** `uri` label of an inbound call: the protocol path, or `other`. */
export function inboundUriLabel(path: string): string {
  return inbound.has(path) ? path : OTHER_URI;
}

/** `uri` label of an outbound call: the protocol path, or `other`. */
export function outboundUriLabel(uri: string): string {
  return outbound.has(uri) ? uri : OTHER_URI;
}
