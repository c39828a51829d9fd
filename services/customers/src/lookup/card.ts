/**
 * What a lookup source shows in the popup (docs/product-rules.md §9, the Integration plan): cards
 * found by the caller's number in the tenant's own database. Every card is cut to these bounds at
 * the connector's edge, so a source cannot blow the popup's byte budget or the broker's limit.
 */
export interface LookupCardField {
  label: string;
  value: string;
}
export interface LookupCardLink {
  label: string;
  url: string;
}
export interface LookupCard {
  sourceId: string;
  sourceName: string;
  /** The record's id in the source (kintone record id, FileMaker recordId, the source's own id). */
  recordId: string;
  title: string;
  fields: LookupCardField[];
  links: LookupCardLink[];
}

export const cardLimits = {
  cardsPerSource: 5,
  fieldsPerCard: 20,
  linksPerCard: 5,
  titleChars: 200,
  labelChars: 100,
  valueChars: 1000,
  urlChars: 2000,
} as const;

/** Cuts a string to `max` characters (code points), ending in … when cut. */
export function clip(value: unknown, max: number): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Only http(s) links reach an operator's screen (no javascript:, data: or file: links). */
export function safeLinkUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:'
      ? clip(parsed.toString(), cardLimits.urlChars)
      : null;
  } catch {
    return null;
  }
}

export interface RawCard {
  recordId: unknown;
  title: unknown;
  fields?: { label: unknown; value: unknown }[];
  links?: { label: unknown; url: unknown }[];
}

/** A source's answer turned into bounded cards of that source. */
export function boundCards(source: { id: string; name: string }, raw: RawCard[]): LookupCard[] {
  return raw.slice(0, cardLimits.cardsPerSource).map((card) => ({
    sourceId: source.id,
    sourceName: source.name,
    recordId: clip(card.recordId, cardLimits.labelChars),
    title: clip(card.title, cardLimits.titleChars),
    fields: (card.fields ?? [])
      .slice(0, cardLimits.fieldsPerCard)
      .map((f) => ({ label: clip(f.label, cardLimits.labelChars), value: clip(f.value, cardLimits.valueChars) })),
    links: (card.links ?? []).slice(0, cardLimits.linksPerCard).flatMap((l) => {
      const url = safeLinkUrl(l.url);
      return url ? [{ label: clip(l.label, cardLimits.labelChars), url }] : [];
    }),
  }));
}

/** At most `maxBytes` of cards (their JSON), the first sources' cards kept: a popup keeps to its byte budget. */
export function cardsWithin(cards: LookupCard[], maxBytes: number): LookupCard[] {
  const kept: LookupCard[] = [];
  let bytes = 2;
  for (const card of cards) {
    bytes += Buffer.byteLength(JSON.stringify(card)) + 1;
    if (bytes > maxBytes) break;
    kept.push(card);
  }
  return kept;
}
