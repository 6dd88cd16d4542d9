import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listUsers } from '../../../accounts/users.js';
import { listAudit } from '../../../participants/repository.js';
import type { RouteDependencies } from '../../app.js';
import { auditActionLabel, dateTime } from './labels.js';

// The audit log: every view of a named person's data (DOMAIN.md section 5), newest first, by whom.

const JOURNAL_LIMIT = 500;

// An empty form field means "no filter".
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const journalQuery = z.object({
  utilisateur: z
    .preprocess(
      blankToUndefined,
      z.coerce
        .number()
        .int()
        .positive()
        .max(2 ** 31 - 1)
        .optional(),
    )
    .catch(undefined),
  pass: z.preprocess(blankToUndefined, z.string().trim().max(40).optional()).catch(undefined),
});

export async function journalRoutes(app: FastifyInstance, { db }: RouteDependencies): Promise<void> {
  app.get('/admin/journal', async (request, reply) => {
    const filters = journalQuery.parse(request.query);
    const [entries, users] = await Promise.all([
      listAudit(db, { userId: filters.utilisateur, passNumber: filters.pass, limit: JOURNAL_LIMIT }),
      listUsers(db),
    ]);
    const emails = new Map(users.map((user) => [user.id, user.email]));
    return reply.page('pages/admin/journal', {
      title: 'Journal des consultations',
      entries: entries.map((entry) => ({
        ...entry,
        email: emails.get(entry.userId) ?? `compte n° ${entry.userId} (supprimé)`,
        actionLabel: auditActionLabel(entry.action),
      })),
      users: users.map((user) => ({ id: user.id, email: user.email })),
      filters,
      limit: JOURNAL_LIMIT,
      dateTime,
    });
  });
}
