import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { employerDetail } from '../../employers/repository.js';
import { checkChannel, checkExposureDate, checkSiret, todayInFrance } from '../../exposures/fields.js';
import { listExposures, readStudy, recordExposure } from '../../exposures/repository.js';
import { requireJourney } from '../access.js';
import type { RouteDependencies } from '../app.js';
import { sheetView } from './exposures/sheet-view.js';
import { exposuresView, studyView } from './exposures/study-view.js';

// The score exposure study (issue 5): does showing an employer its score change its hiring? Exposures are recorded
// by an administrator's form, by import, or by printing the employer's score sheet; the study compares score changes.

const PRINTED_CHANNEL = 'fiche imprimée';

class ExposureError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const exposureForm = z.object({ siret: z.string().default(''), date: z.string().default(''), canal: z.string().default('') });
type ExposureForm = z.infer<typeof exposureForm>;
const doneQuery = z.object({
  enregistree: z
    .string()
    .regex(/^\d{14}$/)
    .optional(),
  deja: z.literal('1').optional(),
});
const sheetQuery = z.object({ remise: z.enum(['enregistree', 'deja']).optional() });

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export async function exposureRoutes(app: FastifyInstance, { db }: RouteDependencies): Promise<void> {
  const preHandler = requireJourney('exposures');

  type StudyData = { errors?: string[]; form?: Partial<ExposureForm>; success?: string };
  const showStudy = async (reply: FastifyReply, data: StudyData = {}) => {
    const [study, exposures] = await Promise.all([readStudy(db), listExposures(db)]);
    return reply.page('pages/exposures/study', {
      title: 'Étude : montrer son score à un employeur change-t-il ses embauches ?',
      charts: true,
      study: studyView(study),
      exposures: exposuresView(exposures),
      mayRecord: reply.request.user?.role === 'admin',
      today: todayInFrance(),
      form: {},
      errors: [],
      ...data,
    });
  };

  app.get('/exposition', { preHandler }, async (request, reply) => {
    const query = doneQuery.safeParse(request.query);
    const siret = query.success ? query.data.enregistree : undefined;
    const success =
      siret &&
      (query.success && query.data.deja
        ? `Cette remise de score à l’établissement ${siret} était déjà enregistrée : elle n’est comptée qu’une fois.`
        : `Remise de score à l’établissement ${siret} enregistrée.`);
    return showStudy(reply, { success: success || undefined });
  });

  app.post('/exposition', { preHandler }, async (request, reply) => {
    if (request.user?.role !== 'admin') {
      throw new ExposureError(403, 'Accès refusé : seul un administrateur enregistre une remise de score par ce formulaire.');
    }
    const form = exposureForm.parse(request.body ?? {});
    const checks = [checkSiret(form.siret), checkExposureDate(form.date, todayInFrance()), checkChannel(form.canal)] as const;
    const errors = checks.flatMap((check) => (check.ok ? [] : [capitalise(check.message)]));
    const [siret, date, channel] = checks;
    if (errors.length > 0 || !siret.ok || !date.ok || !channel.ok) return showStudy(reply.status(400), { errors, form });
    const outcome = await recordExposure(db, {
      siret: siret.value,
      exposedOn: date.value,
      channel: channel.value,
      source: 'formulaire',
      recordedBy: request.user.id,
    });
    if (outcome === 'unknown') {
      return showStudy(reply.status(400), {
        errors: [`SIRET ${siret.value} inconnu : aucune DSN reçue ne déclare cet établissement ; vérifiez le numéro.`],
        form,
      });
    }
    return reply.redirect(`/exposition?enregistree=${siret.value}${outcome === 'already' ? '&deja=1' : ''}`, 303);
  });

  const loadSheet = async (raw: string) => {
    const siret = checkSiret(raw);
    if (!siret.ok) throw new ExposureError(404, `${capitalise(siret.message)}.`);
    const detail = await employerDetail(db, siret.value);
    if (detail === null) {
      throw new ExposureError(404, `Aucune DSN reçue ne déclare l’établissement de SIRET ${siret.value} : pas de fiche à imprimer.`);
    }
    return detail;
  };

  app.get<{ Params: { siret: string } }>('/exposition/fiche/:siret', { preHandler }, async (request, reply) => {
    const detail = await loadSheet(request.params.siret);
    const query = sheetQuery.safeParse(request.query);
    const handed = query.success ? query.data.remise : undefined;
    return reply.page('pages/exposures/sheet', {
      title: `Fiche de score – établissement ${detail.siret}`,
      styles: ['/static/print.css'],
      scripts: handed ? ['/static/print.js'] : [],
      sheet: sheetView(detail),
      handed,
      today: todayInFrance(),
    });
  });

  app.post<{ Params: { siret: string } }>('/exposition/fiche/:siret', { preHandler }, async (request, reply) => {
    const detail = await loadSheet(request.params.siret);
    if (detail.score === null) {
      throw new ExposureError(400, `L’établissement ${detail.siret} n’a pas de score : il n’y a rien à lui remettre.`);
    }
    const outcome = await recordExposure(db, {
      siret: detail.siret,
      exposedOn: todayInFrance(),
      channel: PRINTED_CHANNEL,
      source: 'impression',
      recordedBy: request.user?.id ?? null,
    });
    return reply.redirect(`/exposition/fiche/${detail.siret}?remise=${outcome === 'already' ? 'deja' : 'enregistree'}`, 303);
  });
}
