import { csvText } from '../../../exports/csv.js';
import type { ParticipantRow } from '../../../participants/repository.js';
import type { RunSummary } from '../admin/imports-repository.js';

// The API's own CSV (the pages export none for these lists), in the habits of the pages' exports
// (src/exports/csv.ts).

const table = (header: string[], rows: (string | number | null)[][]) => csvText([header, ...rows]);

export const participantsCsv = (rows: readonly ParticipantRow[]) =>
  table(
    [
      'N° de PASS',
      'Nom',
      'Prénoms',
      'SIRET de la structure',
      'Début du PASS',
      'Heures du PASS',
      'Heures travaillées',
      'Heures restantes',
      'Mois travaillés',
      'Mois sans heures',
      'Mois sans heures expliqués',
      'Fin prévue',
      'Dernier mois déclaré',
      'Alerte',
    ],
    rows.map((r) => [
      r.passNumber,
      r.lastName,
      r.firstNames,
      r.structureSiret,
      r.startDate,
      r.budgetHours,
      r.hoursWorked,
      r.hoursRemaining,
      r.monthsWorked,
      r.monthsWithoutHours,
      r.monthsExplained,
      r.projectedEndDate,
      r.lastDeclaredMonth,
      r.alertLabel,
    ]),
  );

export const importRunsCsv = (runs: readonly RunSummary[]) =>
  table(
    ['N°', 'Type', 'Statut', 'Début', 'Fin', 'Fichiers', 'Déclarations', 'Remplacées', 'Annulées', 'Lignes', 'Rejets'],
    runs.map((r) => [
      r.id,
      r.kind,
      r.status,
      r.startedAt.toISOString(),
      r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
      r.files,
      r.declarations,
      r.replaced,
      r.cancelled,
      r.rows,
      r.rejected,
    ]),
  );
