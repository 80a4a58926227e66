// The fonts a certificate is printed in, read from the repository's own files (assets/fonts, SIL
// OFL 1.1, see assets/fonts/OFL.txt) so a PDF looks the same on every server. They are the full
// Noto TTFs, not the npm woff subsets: fontkit (under pdfkit) crashed on those but shapes the full
// Noto Sans Telugu exactly as HarfBuzz does (pdf/shaping.test.ts). pdfkit embeds only the glyphs a
// certificate uses, so the PDF carries tens of kilobytes of font, not the 1.4 MB of files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FONTS_DIR = fileURLToPath(new URL('../../../assets/fonts/', import.meta.url));

export const FONT_FILES = {
  telugu: 'NotoSansTelugu-Regular.ttf',
  teluguBold: 'NotoSansTelugu-Bold.ttf',
  latin: 'NotoSans-Regular.ttf',
  latinBold: 'NotoSans-Bold.ttf',
} as const;

export type FontName = keyof typeof FONT_FILES;
export type Fonts = Record<FontName, Buffer>;

let cached: Fonts | undefined;

/** The four font files, read once per process (about 1.4 MB). */
export function loadFonts(dir = FONTS_DIR): Fonts {
  if (dir === FONTS_DIR && cached) return cached;
  const read = (name: FontName) => readFileSync(dir + FONT_FILES[name]);
  const fonts: Fonts = { telugu: read('telugu'), teluguBold: read('teluguBold'), latin: read('latin'), latinBold: read('latinBold') };
  if (dir === FONTS_DIR) cached = fonts;
  return fonts;
}
