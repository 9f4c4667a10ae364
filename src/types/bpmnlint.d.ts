// bpmnlint is CommonJS without declarations for its entry points; only what we call is declared.
declare module 'bpmnlint' {
  export interface LintReport {
    id?: string;
    message: string;
    path?: (string | number)[];
    category: 'error' | 'warn' | 'info' | 'rule-error';
    meta?: { documentation?: { url?: string } };
  }
  export type LintResults = Record<string, LintReport[]>;
  export interface Resolver {
    resolveRule(pkg: string, ruleName: string): unknown;
    resolveConfig(pkg: string, configName: string): unknown;
  }
  export class Linter {
    constructor(options: { config?: Record<string, unknown>; resolver: Resolver });
    lint(moddleRoot: unknown, config?: Record<string, unknown>): Promise<LintResults>;
  }
}

declare module 'bpmnlint/lib/resolver/node-resolver.js' {
  import type { Resolver } from 'bpmnlint';
  const NodeResolver: new (options?: { require?: NodeJS.Require; requireLocal?: NodeJS.Require }) => Resolver;
  export default NodeResolver;
}
