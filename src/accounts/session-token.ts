import { createHash, randomBytes } from 'node:crypto';

// Apart from sessions.ts so that users.ts can end sessions without importing it back (sessions.ts imports users.ts).

/** Only this digest of a session token is stored. */
export const sessionTokenHash = (token: string) => createHash('sha256').update(token).digest();
export const randomToken = () => randomBytes(32).toString('base64url');
