/** Where and why a DSN file or declaration was refused, in words a payroll officer can act on. */
export type DsnRejection = { file: string; line: number; rubric: string; message: string };

export class DsnLineError extends Error {
  constructor(
    readonly line: number,
    readonly rubric: string,
    message: string,
  ) {
    super(message);
  }
}
