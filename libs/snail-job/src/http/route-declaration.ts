import { Get, type Type } from '@nestjs/common';

/**
 * Makes `controller.prototype[method]` a `GET path` route, as `@Get(path)` on it would: applied when the options
 * resolve (a `forRootAsync` factory may choose the path), which is before Nest maps the controllers' routes
 * (`app.init()`). `false` leaves the method undecorated, so Nest maps no route for it. Each module definition
 * has controller classes of its own, so two SnailJob modules never share a path.
 */
export function declareGetRoute(controller: Type<unknown>, method: string, path: string | false): void {
  if (path === false) return;
  const prototype = controller.prototype as Record<string, unknown>;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, method);
  if (!descriptor) throw new Error(`${controller.name}.${method} is not a method`);
  Get(path)(prototype, method, descriptor);
}
