import { createHmac } from 'node:crypto';

// The NIR is never stored: persons are keyed by an HMAC of it under a secret key (DOMAIN.md section 5).

export type PersonKey = Buffer;

export function personKeyFromNir(secret: string, nir: string): PersonKey {
  return createHmac('sha256', secret).update(`NIR:${nir.toUpperCase()}`).digest();
}

/** A person declared with a temporary number (NTT) keeps a key of its own until a NIR is known. */
export function personKeyFromNtt(secret: string, ntt: string): PersonKey {
  return createHmac('sha256', secret).update(`NTT:${ntt.toUpperCase()}`).digest();
}

/** NIR control key: 97 - (number mod 97), Corsica's 2A and 2B read as 19 and 18. */
export function nirControlKey(nir13: string): number {
  const numeric = nir13.toUpperCase().replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(numeric) % 97n);
}

/** A NIR as the DSN declares it: 13 characters, 2A or 2B for Corsica, no key. */
export const DSN_NIR_PATTERN = /^[12378]\d{4}(\d{2}|2A|2B)\d{6}$/;
export const NIR_PATTERN = /^[12378]\d{4}(\d{2}|2A|2B)\d{6}(\d{2})?$/i;

export type NirCheck = { ok: true; nir13: string } | { ok: false; message: string };

/** A NIR of 13 characters, or 15 with its key, which is then checked. */
export function checkNir(value: string): NirCheck {
  const nir = value.replace(/\s/g, '').toUpperCase();
  if (!NIR_PATTERN.test(nir)) {
    return {
      ok: false,
      message: 'NIR invalide : 13 caractères attendus (15 avec la clé), chiffres, 2A ou 2B pour la Corse',
    };
  }
  const nir13 = nir.slice(0, 13);
  if (nir.length === 15 && Number(nir.slice(13)) !== nirControlKey(nir13)) {
    return {
      ok: false,
      message: `clé du NIR incorrecte : ${nir.slice(13)} lu, ${String(nirControlKey(nir13)).padStart(2, '0')} attendu`,
    };
  }
  return { ok: true, nir13 };
}

/** Sex from the NIR's first digit (odd: man, even: woman), as DSN codes `01`/`02`. */
export function sexFromNir(nir13: string): '01' | '02' {
  return Number(nir13[0]) % 2 === 1 ? '01' : '02';
}
