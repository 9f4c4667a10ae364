// bpmn-moddle ships element types under 'bpmn-moddle/types' but no declaration for its main export.
declare module 'bpmn-moddle' {
  export interface FromXmlResult {
    rootElement: unknown;
    warnings: { message: string }[];
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
    toXML(element: unknown, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}
