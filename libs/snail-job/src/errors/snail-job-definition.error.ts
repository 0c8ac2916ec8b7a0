/** Thrown at start-up when executors are declared wrongly (duplicate names, misplaced stage decorators). */
export class SnailJobDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnailJobDefinitionError';
  }
}
