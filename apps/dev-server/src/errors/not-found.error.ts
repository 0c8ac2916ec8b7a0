import { NotFoundException } from '@nestjs/common';

/** An unknown id (HTTP 404). */
export class NotFoundError extends NotFoundException {
  constructor(kind: string, id: unknown) {
    super(`${kind} ${String(id)} does not exist.`);
    this.name = 'NotFoundError';
  }
}
