// One exposure's fields, checked the same way for the form and for each line of an imported file.

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string };

const MAX_CHANNEL_LENGTH = 100;

const quoted = (raw: string) => `« ${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw} »`;

/** Today as a calendar date in France, `AAAA-MM-JJ`. */
export const todayInFrance = (now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/** Spaces and dots people type inside a SIRET are dropped. */
export function checkSiret(raw: string): FieldCheck<string> {
  const siret = raw.replace(/[\s.]/g, '');
  if (siret === '') return { ok: false, message: 'SIRET manquant : les 14 chiffres de l’établissement sont attendus' };
  if (!/^\d{14}$/.test(siret)) return { ok: false, message: `SIRET ${quoted(raw.trim())} invalide : 14 chiffres sont attendus` };
  return { ok: true, value: siret };
}

/** `AAAA-MM-JJ` or `JJ/MM/AAAA`, a day that exists, not after `today`. */
export function checkExposureDate(raw: string, today: string): FieldCheck<string> {
  const text = raw.trim();
  if (text === '')
    return { ok: false, message: 'date manquante : le jour où le score a été montré est attendu (AAAA-MM-JJ ou JJ/MM/AAAA)' };
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : french ? [french[3], french[2], french[1]] : [];
  const date = year && month && day ? `${year}-${month}-${day}` : null;
  const parsed = date ? new Date(`${date}T00:00:00Z`) : null;
  if (date === null || parsed === null || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    return {
      ok: false,
      message: `date ${quoted(text)} illisible : AAAA-MM-JJ ou JJ/MM/AAAA attendu, par exemple 2025-03-14 ou 14/03/2025`,
    };
  }
  if (date > today) {
    return { ok: false, message: `date ${text} dans le futur : une remise de score s’enregistre une fois qu’elle a eu lieu` };
  }
  return { ok: true, value: date };
}

export function checkChannel(raw: string): FieldCheck<string> {
  const channel = raw.trim().replace(/\s+/g, ' ');
  if (channel === '') {
    return { ok: false, message: 'canal manquant : dites comment le score a été montré (courrier, rendez-vous, fiche imprimée…)' };
  }
  if (channel.length > MAX_CHANNEL_LENGTH) return { ok: false, message: `canal trop long : ${MAX_CHANNEL_LENGTH} caractères au plus` };
  return { ok: true, value: channel };
}
