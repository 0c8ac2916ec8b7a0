import { stringifyJson } from 'nestjs-snail-job/protocol';

/**
 * Serialises a Java-bean-like object the way the SnailJob server's Jackson 3 mapper does: properties sorted
 * alphabetically, `null`/`undefined` properties omitted. Nested values (user data) are written verbatim.
 */
export function beanJson(bean: object): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(bean).sort()) {
    const value = (bean as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) sorted[key] = value;
  }
  return stringifyJson(sorted);
}

/** The envelope body of a one-argument call whose argument is a bean: `[{…}]`. */
export function beanBody(bean: object): string {
  return `[${beanJson(bean)}]`;
}
