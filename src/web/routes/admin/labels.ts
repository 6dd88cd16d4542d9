import type { RunKind, RunStatus } from '../../../ingest/runs.js';

// What an administrator reads about loads and the audit log, in French.

export const RUN_KIND_LABELS: Record<RunKind, string> = {
  dsn: 'Fichiers DSN',
  participants: 'Registre des participants',
  passes: 'Registre des PASS IAE',
  zones: 'Zones d’emploi',
  exposures: 'Remises de score',
};

export type { RunStatus };

/** The status as a DSFR badge: its words and its colour. */
export const RUN_STATUS_BADGES: Record<RunStatus, { label: string; badge: string }> = {
  running: { label: 'En cours', badge: 'fr-badge--info' },
  done: { label: 'Terminé', badge: 'fr-badge--success' },
  failed: { label: 'Échoué', badge: 'fr-badge--error' },
  // Killed before its end; the next ingest resolved what it had loaded.
  interrupted: { label: 'Interrompu', badge: 'fr-badge--warning' },
};

const AUDIT_ACTION_LABELS: Record<string, string> = {
  participant_view: 'Consultation de la fiche d’un participant',
};

export const auditActionLabel = (action: string) => AUDIT_ACTION_LABELS[action] ?? action;

const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

/** A moment as read in France: « 12 mars 2026 à 14:05 ». */
export const dateTime = (value: Date | null | undefined) => (value ? dateTimeFormat.format(value) : '–');

/** How long a load took, in words: « 2 min 05 s », « 12 s ». */
export function duration(start: Date, end: Date | null): string {
  if (!end) return '–';
  const seconds = Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
