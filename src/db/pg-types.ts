import pg from 'pg';

// Counts (int8) and numerics arrive as strings by default; dates stay `AAAA-MM-JJ` strings, no time zone drift.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
