import { parseJson, stringifyJson } from 'nestjs-snail-job/protocol';
import spel2js from 'spel2js';

/** `ExpressionTypeEnum` (`snail-job-server-common/.../enums/ExpressionTypeEnum.java`). */
export enum ExpressionType {
  SPEL = 1,
  AVIATOR = 2,
  QL = 3,
}

/** `SystemConstants.SINGLE_PARAM`: the key a context that is not a JSON object is bound to. */
const SINGLE_PARAM = 'SINGLE_PARAM';

/**
 * The context map an expression sees (`snail-job-server-job-task/.../expression/ExpressionInvocationHandler.java`):
 * the workflow context parsed as a JSON object; text that is not one is bound to `SINGLE_PARAM`; blank is `{}`.
 */
export function expressionContext(wfContext: string | undefined): Record<string, unknown> {
  if (wfContext === undefined || wfContext.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = parseJson(wfContext);
  } catch {
    return { [SINGLE_PARAM]: wfContext };
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : { [SINGLE_PARAM]: wfContext };
}

/**
 * Evaluates a decision node's expression over the workflow context, as `DecisionWorkflowExecutor` does: SpEL
 * (`SpELExpressionEngine`: context keys are variables, `#key`) through spel2js. A `null` result counts as false;
 * anything else that is not a boolean fails like the server's `(Boolean)` cast. Aviator and QLExpress have no
 * JavaScript implementation here: they fail the node with a message saying so.
 */
export function evaluateDecision(type: number, expression: string, wfContext: string | undefined): boolean {
  const context = expressionContext(wfContext);
  if (type === ExpressionType.SPEL) {
    let value: unknown;
    try {
      // Unknown variables read as null, as in SpEL (spel2js would give undefined).
      const locals = new Proxy(context, {
        get: (target, key) => (typeof key === 'string' && !(key in target) ? null : Reflect.get(target, key)),
      });
      value = spel2js.SpelExpressionEvaluator.eval(
        expression,
        spel2js.StandardContext.create(null, null),
        locals,
      );
    } catch (e) {
      const reason = e instanceof Error && e.message ? e.message : String(e);
      throw new Error(
        `SpEL expression parsing exception. expression:[${expression}] context:[${stringifyJson(context)}] (${reason})`,
        { cause: e },
      );
    }
    if (value === null || value === undefined) return false;
    if (typeof value !== 'boolean') {
      throw new Error(
        `class ${typeof value} cannot be cast to class java.lang.Boolean (expression:[${expression}])`,
      );
    }
    return value;
  }
  if (type === ExpressionType.AVIATOR || type === ExpressionType.QL) {
    throw new Error(
      `${ExpressionType[type]} expressions are not evaluated by the dev server (only SpEL, expressionType 1): [${expression}]`,
    );
  }
  throw new Error('Expression engine does not exist');
}
