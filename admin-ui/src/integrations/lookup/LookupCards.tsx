import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { Box, Link, Stack, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

/** A card as a lookup source sent it (the popup's `cards`, or 「番号で試す」's answer). */
export interface CardView {
  sourceId: string;
  sourceName: string;
  recordId: string;
  title: string;
  fields: { label: string; value: string }[];
  links: { label: string; url: string }[];
}

/**
 * The records the tenant's own databases found by the caller's number (docs/product-rules.md §9,
 * the Integration plan): each card's title, its fields as label: value, and its links, opened in a
 * new tab without giving the opened page a handle on ours (rel noopener noreferrer). The server
 * already keeps only http(s) links (services/customers/src/lookup/card.ts).
 */
export function LookupCards({ cards }: { cards: CardView[] }) {
  const translate = useTranslate();
  if (cards.length === 0) return null;
  return (
    <Box component="section" sx={{ my: 1 }} data-testid="lookup-cards">
      <Typography variant="h6" component="h3">
        {translate('resources.lookupSources.cards')}
      </Typography>
      <Stack spacing={1}>
        {cards.map((card) => (
          <Box
            key={`${card.sourceId}:${card.recordId}`}
            component="article"
            data-testid="lookup-card"
            sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1 }}
          >
            <Typography variant="subtitle1" component="h4" sx={{ fontWeight: 'bold' }}>
              {card.title || card.recordId}
              <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1 }}>
                {card.sourceName}
              </Typography>
            </Typography>
            {card.fields.length > 0 && (
              <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, m: 0 }}>
                {card.fields.map((f, i) => (
                  // A source may repeat a label: the position keeps the keys apart.
                  // biome-ignore lint/suspicious/noArrayIndexKey: fields have no id of their own
                  <Box key={i} sx={{ display: 'contents' }}>
                    <Typography component="dt" variant="body2" color="text.secondary">
                      {f.label}
                    </Typography>
                    <Typography component="dd" variant="body2" sx={{ m: 0, whiteSpace: 'pre-wrap' }}>
                      {f.value}
                    </Typography>
                  </Box>
                ))}
              </Box>
            )}
            {card.links.length > 0 && (
              <Stack direction="row" spacing={2} sx={{ mt: 0.5, flexWrap: 'wrap' }}>
                {card.links.map((l) => (
                  <Link
                    key={l.url}
                    href={l.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    variant="body2"
                    sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
                  >
                    {l.label || l.url}
                    <OpenInNewIcon fontSize="inherit" aria-label={translate('resources.lookupSources.newTab')} />
                  </Link>
                ))}
              </Stack>
            )}
          </Box>
        ))}
      </Stack>
    </Box>
  );
}
