import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { describe, expect, it } from 'vitest';
import { declareGetRoute } from './route-declaration.js';

function freshController() {
  return class Probe {
    check(): string {
      return 'ok';
    }
  };
}

describe('declareGetRoute', () => {
  it('decorates the method as @Get(path) would', () => {
    const Probe = freshController();
    declareGetRoute(Probe, 'check', '/ops/ready');
    const method = Probe.prototype.check;
    expect(Reflect.getMetadata(PATH_METADATA, method)).toBe('/ops/ready');
    expect(Reflect.getMetadata(METHOD_METADATA, method)).toBe(RequestMethod.GET);
  });

  it('leaves the method without route metadata for false, so Nest maps nothing', () => {
    const Probe = freshController();
    declareGetRoute(Probe, 'check', false);
    expect(Reflect.getMetadata(PATH_METADATA, Probe.prototype.check)).toBeUndefined();
  });

  it('touches only its own class', () => {
    const [A, B] = [freshController(), freshController()];
    declareGetRoute(A, 'check', '/a');
    declareGetRoute(B, 'check', '/b');
    expect(Reflect.getMetadata(PATH_METADATA, A.prototype.check)).toBe('/a');
    expect(Reflect.getMetadata(PATH_METADATA, B.prototype.check)).toBe('/b');
  });

  it('refuses a name that is not a method of the class', () => {
    expect(() => declareGetRoute(freshController(), 'nope', '/x')).toThrow('Probe.nope is not a method');
  });
});
