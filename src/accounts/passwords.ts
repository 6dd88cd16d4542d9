import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes): slow enough for an offline attack, fast enough to sign in. */
export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Compared against when the email is unknown, so that a wrong email takes as long as a wrong password.
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => {
  decoy ??= hashPassword('mot-de-passe-leurre');
  return decoy;
};

export const MIN_PASSWORD_LENGTH = 12;
