/** Thrown inside `doMap` when the request is invalid or the server refuses it. */
export class MapTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapTaskError';
  }
}
