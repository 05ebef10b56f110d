// Environment values that look like secrets are masked wherever a diff is printed or stored.
// `secrets[].valueFrom` is a reference (an SSM/Secrets Manager ARN), not a secret, and is shown.

const SECRET_NAME =
  /(secret|passw(or)?d|passwd|pwd|token|api[_-]?key|private[_-]?key|credential|auth|access[_-]?key|signing[_-]?key|session[_-]?key|salt|dsn|connection[_-]?string)/i;

/** A name that suggests its value is a secret (DB_PASSWORD, STRIPE_API_KEY, …). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A value that looks like key material: AWS keys, PEM blocks, URLs with passwords, long random strings. */
export function looksLikeSecretValue(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return true;
  if (/\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(value)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)) return true;
  if (/^(ghp|gho|github_pat|xox[abpr]|sk_live|sk_test|glpat)[-_A-Za-z0-9]{10,}$/.test(value)) return true;
  // High-entropy tokens: long, no spaces, mixing letters and digits, not a path/ARN/URL/hostname.
  if (value.length >= 32 && /^[A-Za-z0-9+/=_-]+$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value)) {
    const distinct = new Set(value).size;
    return distinct >= 16;
  }
  return false;
}

export const MASK = '(sensitive)';
