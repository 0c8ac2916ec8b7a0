/** spel2js 0.2.x ships no types; the part the dev server uses. */
declare module 'spel2js' {
  interface SpelContext {
    readonly authentication: unknown;
    readonly principal: unknown;
  }
  const spel2js: {
    StandardContext: { create(authentication: unknown, principal: unknown): SpelContext };
    SpelExpressionEvaluator: {
      eval(expression: string, context?: SpelContext, locals?: Record<string, unknown>): unknown;
    };
  };
  export default spel2js;
}
