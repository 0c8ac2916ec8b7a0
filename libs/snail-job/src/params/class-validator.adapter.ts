import type { ParamsDto } from './params-schema.js';
import type { ParamsIssue } from './params.error.js';

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

interface ClassValidation {
  plainToInstance(cls: ParamsDto, plain: unknown): object;
  validate(object: object, options?: Record<string, unknown>): Promise<ValidationErrorLike[]>;
}

let loaded: Promise<ClassValidation> | undefined;

/** Loads the optional peers class-transformer and class-validator, once, on first use. */
function load(): Promise<ClassValidation> {
  loaded ??= (async () => {
    try {
      const [transformer, validator] = await Promise.all([
        import('class-transformer'),
        import('class-validator'),
      ]);
      return {
        plainToInstance: (cls, plain) =>
          transformer.plainToInstance(cls as new () => object, plain) as object,
        validate: (object, options) => validator.validate(object, options),
      };
    } catch (error) {
      loaded = undefined;
      throw new Error(
        `A DTO class as @SnailJob params needs the packages class-validator and class-transformer: npm install class-validator class-transformer (${(error as Error).message})`,
        { cause: error },
      );
    }
  })();
  return loaded;
}

/** Validates `value` against a class-validator DTO: the instance, or the issues naming each field. */
export async function validateDto(
  dto: ParamsDto,
  value: unknown,
): Promise<{ value: object } | { issues: ParamsIssue[] }> {
  const cv = await load();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      issues: [{ path: '', message: `expected a JSON object for ${dto.name}, got ${describe(value)}` }],
    };
  }
  const instance = cv.plainToInstance(dto, value);
  const errors = await cv.validate(instance, { forbidUnknownValues: false });
  if (errors.length === 0) return { value: instance };
  const issues: ParamsIssue[] = [];
  collect(errors, '', issues);
  return { issues };
}

function collect(errors: ValidationErrorLike[], prefix: string, into: ParamsIssue[]): void {
  for (const error of errors) {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) into.push({ path, message });
    if (error.children && error.children.length > 0) collect(error.children, path, into);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'no params';
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}
