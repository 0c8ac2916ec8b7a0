/** Logical header keys (inside `metadata.headers`, not gRPC metadata). Case matters. */
export const Header = {
  HOST_ID: 'host-id',
  HOST_IP: 'host-ip',
  HOST_PORT: 'host-port',
  GROUP_NAME: 'group-name',
  NAMESPACE: 'namespace',
  TOKEN: 'token',
  VERSION: 'version',
  SYSTEM_VERSION: 'system-version',
  EXECUTOR_TYPE: 'executor-type',
  HOST: 'Host',
  LABEL: 'label',
  SJ_TOKEN: 'SJ-TOKEN',
} as const;

/** Group name the server uses on its own server → client calls. */
export const SERVER_GROUP_NAME = 'DEFAULT_SERVER';

/** The namespace constant the server always sends on server → client calls. */
export const DEFAULT_NAMESPACE = '764d604ec6fc45f68cd92514c40e9e1a';

/** The well-known demo group token shipped by SnailJob (never use it in production). */
export const DEMO_TOKEN = 'SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj';

/** The well-known default server token (sent as `token` on server → client calls). */
export const DEFAULT_SERVER_TOKEN = 'SJ_H9HGGmrX3QBVTfsAAG2mcKH3SR7bCLsK';

/** The well-known demo group. */
export const DEMO_GROUP = 'snail_job_demo_group';
