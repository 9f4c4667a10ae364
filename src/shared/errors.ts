/**
 * Error classes shared by services, workers and HTTP. Each carries what its handler needs:
 * HTTP maps them to status codes with a Chinese message; the worker runtime maps them to
 * job.error / job.fail outcomes.
 */
export class AppError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One invalid input field; `reason` is shown to users, so it is Chinese. */
export interface FieldProblem {
  field: string;
  reason: string;
}

export class ValidationError extends AppError {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
    this.problems = problems;
  }
}

export class NotFoundError extends AppError {}
export class ForbiddenError extends AppError {}
export class UnauthenticatedError extends AppError {}
export class ConflictError extends AppError {}

/** A rule of the policy refuses the action; in a worker it becomes a BPMN error with this code. */
export class BusinessRuleError extends AppError {
  readonly code: string;
  /** Handed to the process with the error (e.g. what to correct, shown in the form that follows). */
  readonly variables: Record<string, unknown>;
  constructor(code: string, message: string, variables: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.variables = variables;
  }
}

/** Worth retrying (database down, SMTP timeout): the job is failed with retries left and a back-off. */
export class TransientError extends AppError {}

/** Retrying cannot help (bad data in the process): the job fails with no retries and raises an incident. */
export class PermanentError extends AppError {}
