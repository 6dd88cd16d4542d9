import { SECRET_MINIMUM } from '../../../employers/criteria-columns.js';

/** What replaces any figure hidden under the statistical secret: never a number, never an empty cell. */
export const SECRET_TEXT = `secret statistique (moins de ${SECRET_MINIMUM} personnes)`;
