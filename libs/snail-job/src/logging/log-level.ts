/** Level of a remote log entry, as the SnailJob console shows it. */
export type RemoteLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
