import { type Kysely, sql } from 'kysely';

// Personal API tokens (issue 5): only a SHA-256 of each token is stored; its first 8 characters let its owner recognise it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table api_tokens (
      id serial primary key,
      user_id integer not null references users on delete cascade,
      name text not null check (length(name) between 1 and 100),
      token_hash bytea not null unique,
      prefix text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    create index api_tokens_user on api_tokens (user_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table api_tokens`.execute(db);
}
