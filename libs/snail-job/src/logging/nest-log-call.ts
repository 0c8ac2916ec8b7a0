import { inspect } from 'node:util';
import { errorTitle, formatThrowable, throwableFromStack } from './log-format.js';

/** A Nest `Logger` call as a remote entry: the text, the stack (as `throwable`) and the logger context. */
export interface NestLogCall {
  readonly text: string;
  readonly throwable: string | undefined;
  readonly context: string | undefined;
}

/** The Nest `Logger` methods. */
export type NestLogMethod = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

interface Split {
  messages: unknown[];
  context: string | undefined;
  stack?: unknown;
}

/**
 * Reads a `Logger` call the way Nest's `ConsoleLogger` prints it: a trailing string is the context (an
 * instance's own context is appended first, as `Logger` does), for `error`/`fatal` a stack-shaped string is
 * the stack, functions are lazy messages, and an `Error` message brings its own stack.
 */
export function parseNestLogCall(
  method: NestLogMethod,
  instanceContext: string | undefined,
  message: unknown,
  params: readonly unknown[],
): NestLogCall {
  let args: unknown[] = [message, ...params];
  if (instanceContext) {
    args =
      method === 'error' && params.length === 0
        ? [message, undefined, instanceContext]
        : [...args, instanceContext];
  }
  const split = method === 'error' || method === 'fatal' ? splitWithStack(args) : splitContext(args);
  const messages = split.messages.map((m) => resolveLazy(m, 0));
  let throwable =
    typeof split.stack === 'string' && split.stack !== '' ? throwableFromStack(split.stack) : undefined;
  const error = messages.find((m): m is Error => m instanceof Error);
  if (throwable === undefined && error) throwable = formatThrowable(error);
  return { text: messages.map(render).join(' '), throwable, context: split.context };
}

function splitContext(args: unknown[]): Split {
  if (args.length <= 1) return { messages: args, context: undefined };
  const last = args[args.length - 1];
  return typeof last === 'string'
    ? { messages: args.slice(0, -1), context: last }
    : { messages: args, context: undefined };
}

function splitWithStack(args: unknown[]): Split {
  if (args.length === 1) return splitContext(args);
  if (args.length === 2) {
    if (isStackFormat(args[1]) || args[1] === undefined) {
      return { messages: [args[0]], context: undefined, stack: args[1] };
    }
    return splitContext(args);
  }
  const trailing = args[args.length - 1];
  if (isStackFormat(trailing)) return { ...splitContext(args.slice(0, -1)), stack: trailing };
  const { messages, context } = splitContext(args);
  if (messages.length <= 1) return { messages, context };
  const last = messages[messages.length - 1];
  if (typeof last !== 'string' && last !== undefined) return { messages, context };
  return { messages: messages.slice(0, -1), context, stack: last };
}

function isStackFormat(value: unknown): boolean {
  return typeof value === 'string' && /\n[ \t]+at .+:\d+:\d+/.test(value);
}

/** Nest's lazy messages: a class stands for its name, another function is called for the message. */
function resolveLazy(value: unknown, depth: number): unknown {
  if (typeof value !== 'function' || depth > 3) return value;
  if (Function.prototype.toString.call(value).startsWith('class ')) return (value as { name: string }).name;
  return resolveLazy((value as () => unknown)(), depth + 1);
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return errorTitle(value);
  return inspect(value, { depth: 2, colors: false, compact: 3, breakLength: Infinity });
}
