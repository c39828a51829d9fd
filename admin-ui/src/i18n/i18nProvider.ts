import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { en } from './en';
import { ja } from './ja';
import { raJapanese } from './ra-ja';

// English fills any react-admin key the Japanese file does not translate.
const japanese = { ...englishMessages, ra: deepMerge(englishMessages.ra, raJapanese.ra), ...ja };
const english = { ...englishMessages, ...en };

function deepMerge<T extends object>(base: T, over: object): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && current && typeof current === 'object'
        ? deepMerge(current as object, value as object)
        : value;
  }
  return out as T;
}

const LOCALE_KEY = 'thankstar.locale';
const initial = localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'ja';

export const i18nProvider = polyglotI18nProvider(
  (locale) => {
    localStorage.setItem(LOCALE_KEY, locale);
    document.documentElement.lang = locale;
    return locale === 'en' ? english : japanese;
  },
  initial,
  [
    { locale: 'ja', name: '日本語' },
    { locale: 'en', name: 'English' },
  ],
);
