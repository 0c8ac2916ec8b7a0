import { BadRequestException } from '@nestjs/common';

/** Bad input to the API (HTTP 400); the message names the field, the bad value and what is expected. */
export class InvalidInputError extends BadRequestException {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
