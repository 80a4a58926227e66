// WhatsApp Cloud API limits on what one message may carry (Meta's interactive message references).
export const LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  header: 60,
  footer: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  listRows: 10, // in total, across all sections
  listSections: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  ctaDisplayText: 20,
  caption: 1024,
} as const;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Shortens text to at most `max` UTF-16 units, cutting between grapheme clusters so a Telugu
 * conjunct or vowel sign is never split, and marks the cut with an ellipsis.
 */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return out.trimEnd() + '…';
}

/** Splits long text into parts of at most `max`, preferring paragraph, then line, then word breaks. */
export function split(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'));
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = safeCut(window);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function safeCut(window: string): number {
  let at = 0;
  for (const { index, segment } of graphemes.segment(window)) {
    if (index + segment.length > window.length) break;
    at = index + segment.length;
  }
  return at || window.length;
}
