import { ValidationError, type FieldProblem } from '../../shared/errors.ts';
import { parseIsoDate } from './format.ts';

/**
 * Input checks shared by the builders. Problems are collected and thrown together as one
 * ValidationError, so a worker sees every missing field at once (reasons in Chinese).
 */
export class Checks {
  private readonly problems: FieldProblem[] = [];

  text(field: string, value: string | undefined | null): this {
    if (typeof value !== 'string' || value.trim() === '') this.problems.push({ field, reason: '不能为空' });
    return this;
  }

  date(field: string, value: string | undefined | null): this {
    if (typeof value !== 'string') {
      this.problems.push({ field, reason: '不能为空' });
      return this;
    }
    try {
      parseIsoDate(value, field);
    } catch (error) {
      if (error instanceof ValidationError) this.problems.push(...error.problems);
      else throw error;
    }
    return this;
  }

  nonEmpty(field: string, value: readonly unknown[] | undefined | null): this {
    if (!Array.isArray(value) || value.length === 0) this.problems.push({ field, reason: '至少需要一项' });
    return this;
  }

  rule(ok: boolean, field: string, reason: string): this {
    if (!ok) this.problems.push({ field, reason });
    return this;
  }

  done(): void {
    if (this.problems.length > 0) throw new ValidationError(this.problems);
  }
}
