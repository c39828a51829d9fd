export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * Length is what matters (NIST SP 800-63B); no composition rules. Null when acceptable, else why:
 * in Japanese (what the person setting it reads) and English (messageEn).
 */
export function passwordProblem(password: string): { ja: string; en: string } | null {
  const length = [...password.normalize('NFKC')].length;
  if (length < MIN_PASSWORD_LENGTH)
    return {
      ja: `パスワードは${MIN_PASSWORD_LENGTH}文字以上にしてください。`,
      en: `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
    };
  if (length > MAX_PASSWORD_LENGTH)
    return {
      ja: `パスワードは${MAX_PASSWORD_LENGTH}文字以内にしてください。`,
      en: `The password can have at most ${MAX_PASSWORD_LENGTH} characters.`,
    };
  return null;
}
