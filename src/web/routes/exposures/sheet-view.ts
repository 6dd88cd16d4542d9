import type { EmployerDetail } from '../../../employers/detail.js';
import { formatters } from '../../format.js';
import { detailView } from '../employers/detail-view.js';

// The printed sheet handed to an employer: its score and each criterion's rank, said to the employer.

function rankSentence(rank: number | null): string {
  if (rank === null) return 'Non classé : pas de valeur mesurable, ou pas de score.';
  return `Vous faites mieux que ${formatters.pct(rank)} des établissements comparables.`;
}

export function sheetView(detail: EmployerDetail) {
  const view = detailView(detail);
  return {
    siret: view.siret,
    place: [view.nafLabel, view.communeName].filter(Boolean).join(' · '),
    window: view.window,
    hires: view.hires,
    scored: detail.score !== null,
    score: view.score,
    engaged: view.engaged,
    engagedScore: view.engagedScore,
    peers: view.peers?.text ?? null,
    criteria: detail.criteria.map((criterion, i) => ({
      label: view.criteria.rows[i]?.label ?? criterion.label,
      value: view.criteria.rows[i]?.value ?? { text: '–', secret: false },
      rank: criterion.rank === null ? 'non classé' : formatters.pct(criterion.rank),
      sentence: rankSentence(criterion.rank),
    })),
    secretMinimum: view.secretMinimum,
  };
}
