/** `host:port` as grpc-js wants it: an IPv6 literal goes in brackets. */
export function grpcAddress(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${h}:${port}`;
}
