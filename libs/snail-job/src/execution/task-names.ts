/** Task name of the root map task. */
export const ROOT_MAP = 'ROOT_MAP';
