// Lines of mixed Telugu and English on a certificate page. A value may be either script, or both
// ("D.No. 4-12-7, గాంధీ నగర్"), and no one font has both: Noto Sans Telugu has no Latin letters,
// Noto Sans no Telugu. So a line is cut into runs, each drawn in the font of its script, on one
// baseline. Lines are wrapped here (at spaces) because pdfkit wraps only text in a single font.
import type { FontName } from './fonts.ts';

export interface Style {
  size: number;
  bold?: boolean;
  color?: string;
  /** Extra space between letters, in points (spaced capitals in headings). */
  spacing?: number;
}

export interface Run {
  text: string;
  font: FontName;
}

/** Telugu letters and signs, the dandas, and the joiners that choose a conjunct's form. */
const TELUGU = /[\u0C00-\u0C7F\u0964\u0965\u200C\u200D]/u;
/**
 * Characters both fonts draw (checked in shaping.test.ts). They stay in the run they sit in, so
 * "గాంధీ నగర్ (522201)" is one Telugu run, shaped in one go, and a font changes only where the
 * script does.
 */
export const SHARED = ' 0123456789!"#%\'()*+,-./:;<=>?[\\]^_{|}~\u00A0\u2013\u2014\u2018\u2019\u201C\u201D\u2026\u20B9';

/** Cuts text into runs of one script each; shared characters join the run they sit in. */
export function runsOf(text: string, bold = false): Run[] {
  const telugu: FontName = bold ? 'teluguBold' : 'telugu';
  const latin: FontName = bold ? 'latinBold' : 'latin';
  const runs: Run[] = [];
  let pending = ''; // shared characters before the first run
  for (const ch of text) {
    const font = TELUGU.test(ch) ? telugu : SHARED.includes(ch) ? undefined : latin;
    const last = runs.at(-1);
    if (!font) {
      if (last) last.text += ch;
      else pending += ch;
    } else if (last?.font === font) last.text += ch;
    else {
      runs.push({ text: pending + ch, font });
      pending = '';
    }
  }
  if (pending) runs.push({ text: pending, font: latin });
  return runs;
}

function use(doc: PDFKit.PDFDocument, font: FontName, style: Style) {
  doc.font(font).fontSize(style.size);
}

/** Width of a line in points, as it will be drawn. */
export function widthOf(doc: PDFKit.PDFDocument, text: string, style: Style): number {
  let width = 0;
  for (const run of runsOf(text, style.bold)) {
    use(doc, run.font, style);
    width += doc.widthOfString(run.text, { characterSpacing: style.spacing ?? 0 });
  }
  return width;
}

const graphemes = new Intl.Segmenter('te', { granularity: 'grapheme' });

/**
 * Breaks text into lines no wider than `width`, at spaces. A word wider than the line (a long
 * number or link) is broken between letters, never inside one: a Telugu letter with its vowel sign
 * and conjunct is one grapheme, and splitting it would print a broken letter.
 */
export function wrap(doc: PDFKit.PDFDocument, text: string, style: Style, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    const tried = line ? `${line} ${word}` : word;
    if (widthOf(doc, tried, style) <= width) {
      line = tried;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    for (const { segment } of graphemes.segment(word)) {
      if (line && widthOf(doc, line + segment, style) > width) {
        lines.push(line);
        line = '';
      }
      line += segment;
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

export type Align = 'left' | 'center' | 'right';

/**
 * Draws one line with its baseline at `baseline`. `x` is the left edge, the centre or the right
 * edge, as `align` says.
 */
export function drawLine(doc: PDFKit.PDFDocument, text: string, x: number, baseline: number, style: Style, align: Align = 'left') {
  const width = widthOf(doc, text, style);
  let left = align === 'left' ? x : align === 'center' ? x - width / 2 : x - width;
  doc.fillColor(style.color ?? '#000000');
  for (const run of runsOf(text, style.bold)) {
    use(doc, run.font, style);
    const options = { lineBreak: false, baseline: 'alphabetic' as const, characterSpacing: style.spacing ?? 0 };
    doc.text(run.text, left, baseline, options);
    left += doc.widthOfString(run.text, options);
  }
}

/**
 * Line pitch for a size: Telugu stacks conjunct consonants below the letter and vowel signs above
 * it; Noto Sans Telugu reaches 0.87 em above the baseline and 0.48 em below, 1.35 em in all.
 */
export const lineHeight = (style: Style) => style.size * 1.45;
