// The declarations a run resolves are in the temp table run_declarations (see facts.ts).
export const IN_RUN = 'in (select id from run_declarations)';

// A person's or establishment's attributes come from their latest declaration; a run loading older months
// leaves the newer ones in place. A person known only from a register has no declared month yet.
export const newer = (table: string, column: string) =>
  `${column} = case when excluded.last_declared_month >= coalesce(${table}.last_declared_month, excluded.last_declared_month) then excluded.${column} else ${table}.${column} end`;
export const monthBounds = (table: string) => `first_declared_month = least(${table}.first_declared_month, excluded.first_declared_month),
    last_declared_month = greatest(${table}.last_declared_month, excluded.last_declared_month)`;
