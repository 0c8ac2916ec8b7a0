import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { ExecuteResult, JobArgs, MapArgs, MapTask, SnailJob, type InferParams } from '../index.js';
import { SnailJobTester } from '../testing/index.js';
import { paramsValue, validateParams } from './params-validation.js';

const DailyParams = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  limit: z.number().int().default(10),
});
const Region = v.object({ region: v.picklist(['east', 'west']) });

class Address {
  @IsString()
  city!: string;
}

class ShipParams {
  @IsInt()
  @Min(1)
  count!: number;

  @ValidateNested()
  @Type(() => Address)
  to!: Address;

  label(): string {
    return `${this.count} to ${this.to.city}`;
  }
}

const calls: string[] = [];

@Injectable()
class TypedJobs {
  @SnailJob('daily', { params: DailyParams })
  daily(args: JobArgs<InferParams<typeof DailyParams>>) {
    calls.push('daily');
    return { day: args.params.day, limit: args.params.limit };
  }

  @SnailJob('ship', { params: ShipParams })
  ship(args: JobArgs<ShipParams>) {
    calls.push('ship');
    return args.params.label();
  }
}

@SnailJob('regions', { params: Region })
@Injectable()
class Regions {
  @MapTask()
  root(args: MapArgs<InferParams<typeof Region>>) {
    return args.doMap([args.params.region], 'ONE');
  }

  @MapTask('ONE')
  one(args: MapArgs<InferParams<typeof Region>>) {
    return ExecuteResult.success(`${args.params.region}:${String(args.mapResult)}`);
  }
}

describe('typed params', () => {
  let tester: SnailJobTester;
  beforeAll(async () => {
    tester = await SnailJobTester.create({ providers: [TypedJobs, Regions] });
  });
  afterAll(() => tester.close());

  it('types args.params from the schema', () => {
    expectTypeOf<InferParams<typeof DailyParams>>().toEqualTypeOf<{ day: string; limit: number }>();
    expectTypeOf<InferParams<typeof ShipParams>>().toEqualTypeOf<ShipParams>();
    expectTypeOf<InferParams<typeof Region>>().toEqualTypeOf<{ region: 'east' | 'west' }>();
  });

  it('hands a zod schema output (defaults applied) to the handler', async () => {
    const run = await tester.execute('daily', { params: { day: '2024-05-01' } });
    expect(run.status).toBe('success');
    expect(run.result).toEqual({ day: '2024-05-01', limit: 10 });
  });

  it('fails the task before the handler runs, naming the field, with zod', async () => {
    calls.length = 0;
    const run = await tester.execute('daily', { params: { day: 'May 1st', limit: 2.5 } });
    expect(run.status).toBe('failure');
    expect(run.message).toMatch(/^Invalid job params for executor "daily": day: .+; limit: .+/);
    // the reason is the task's result too: the real server stores only the result (JobExecutorResultActor.java)
    expect(run.tasks[0]!.result).toBe(run.message);
    expect(calls).toEqual([]);
    expect(run.logs.some((l) => l.level === 'ERROR' && l.throwable?.includes('SnailJobParamsError'))).toBe(
      true,
    );
  });

  it('fails on params that are not JSON when the schema wants an object', async () => {
    const run = await tester.execute('daily', { params: 'not json' });
    expect(run.status).toBe('failure');
    expect(run.message).toMatch(/^Invalid job params for executor "daily": /);
  });

  it('hands a class-validator DTO instance (methods included) to the handler', async () => {
    const run = await tester.execute('ship', { params: { count: 3, to: { city: 'Oslo' } } });
    expect(run.status).toBe('success');
    expect(run.result).toBe('3 to Oslo');
  });

  it('names nested DTO fields', async () => {
    calls.length = 0;
    const run = await tester.execute('ship', { params: { count: 0, to: { city: 7 } } });
    expect(run.status).toBe('failure');
    expect(run.message).toContain('count: count must not be less than 1');
    expect(run.message).toContain('to.city: city must be a string');
    expect(calls).toEqual([]);
  });

  it('validates every stage of a map executor declared with a valibot schema', async () => {
    const ok = await tester.execute('regions', { params: { region: 'east' } });
    expect(ok.status).toBe('success');
    expect(ok.result).toEqual(['east:east']);
    const bad = await tester.execute('regions', { params: { region: 'north' } });
    expect(bad.status).toBe('failure');
    expect(bad.message).toMatch(/executor "regions": region: /);
  });
});

describe('params values', () => {
  it('parses JSON params, keeps other text, and reads blank as no params', () => {
    expect(paramsValue('{"a":1}')).toEqual({ a: 1 });
    expect(paramsValue('42')).toBe(42);
    expect(paramsValue('plain text')).toBe('plain text');
    expect(paramsValue('  ')).toBeUndefined();
    expect(paramsValue(undefined)).toBeUndefined();
  });

  it('refuses params nested deeper than the JSON limit instead of handing them over as text', () => {
    const deep = '['.repeat(1001) + ']'.repeat(1001);
    expect(() => paramsValue(deep)).toThrow(
      'jobParams: nesting too deep (more than 1000 levels of arrays/objects)',
    );
  });

  it('lets a string schema take raw text', async () => {
    await expect(validateParams('x', z.string().min(2), 'ab')).resolves.toBe('ab');
  });

  it('says when a DTO gets no object', async () => {
    await expect(validateParams('ship', ShipParams, undefined)).rejects.toThrow(
      'Invalid job params for executor "ship": expected a JSON object for ShipParams, got no params',
    );
  });
});
