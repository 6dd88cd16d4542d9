import { type Kysely, sql } from 'kysely';

// Local accounts, their scopes and their server-side sessions (issue 4: sign in and roles).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table users (
      id serial primary key,
      email text not null unique check (email = lower(email)),
      password_hash text not null,
      role text not null check (role in ('admin', 'conseiller', 'structure', 'financeur')),
      -- Demo accounts get a fresh password printed at each start.
      demo boolean not null default false,
      created_at timestamptz not null default now(),
      disabled_at timestamptz
    );
    -- What a structure or funder account may see: SIRETs, départements, régions, or the whole country.
    create table user_scopes (
      user_id integer not null references users on delete cascade,
      kind text not null check (kind in ('siret', 'departement', 'region', 'france')),
      code text not null default '',
      primary key (user_id, kind, code)
    );
    -- Only a hash of the session token is stored: a stolen table opens no session.
    create table sessions (
      token_hash bytea primary key,
      user_id integer not null references users on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_user on sessions (user_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table sessions, user_scopes, users`.execute(db);
}
