// Telugu on a certificate must be shaped right: conjuncts (ధ్ర, క్ష, స్త్ర) and vowel signs (ీ, ు)
// drawn as the font means them, or a name is misprinted. pdfkit shapes with fontkit; HarfBuzz is the
// shaper browsers and operating systems use. For the very font files the PDF embeds, both must lay
// out the same glyphs at the same places.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as hb from 'harfbuzzjs';
import PDFDocument from 'pdfkit';
import { FONT_FILES, FONTS_DIR, loadFonts, type FontName } from './fonts.ts';
import { runsOf, SHARED } from './text.ts';
import { WORDS } from './words.ts';
import { incomeCertificatePdf, incomeCertificate } from '../testkit.ts';

const PHRASES = [
  'ధ్రువీకరణ పత్రం',
  'తహసీల్దార్',
  'శ్రీకాకుళం',
  'క్ష',
  'స్త్రీ',
  'ఆంధ్రప్రదేశ్ ప్రభుత్వం',
  'కొండపల్లి వెంకట లక్ష్మీ నరసింహారావు',
  'జ్ఞానం',
  'ద్వారా',
  'కార్యాలయం',
  'ఉత్తర్వు',
  'సర్టిఫికెట్',
  'పోస్ట్-మెట్రిక్ ఉపకార వేతనం',
  'డిజిటల్‌గా', // ZWNJ: ల్ stays a half form before గా
  'ఆదాయం (₹) 96,000',
  // Every Telugu string the page itself prints, and the test certificate's.
  ...Object.values(WORDS).map((w) => w.te),
  ...(() => {
    const c = incomeCertificatePdf(incomeCertificate(), 'HTTPS://X/V/MT1:0');
    return [c.title.te, c.department.name.te, c.officer.designation.te, c.holderName, ...c.fields.flatMap((f) => [f.label.te, f.value])];
  })(),
];
/** The Telugu runs of those phrases: what the page draws in the Telugu font (English parts are drawn in Noto Sans). */
const STRINGS = [...new Set(PHRASES.flatMap((p) => runsOf(p).filter((r) => r.font === 'telugu').map((r) => r.text.trim())))];

interface Shaped {
  glyphs: number[];
  /** x advance, x offset, y offset of each glyph, in font units. */
  positions: [number, number, number][];
}

function harfbuzz(font: hb.Font, text: string): Shaped {
  const buffer = new hb.Buffer();
  buffer.addText(text);
  buffer.guessSegmentProperties();
  hb.shape(font, buffer);
  return {
    glyphs: buffer.getGlyphInfos().map((g) => g.codepoint),
    positions: buffer.getGlyphPositions().map((p) => [p.xAdvance, p.xOffset, p.yOffset]),
  };
}

// pdfkit's own layout of a string (its EmbeddedFont, not public API): fontkit's shaping, word by
// word, exactly as pdfkit writes the glyphs into the PDF. Positions come back scaled to 1000 units.
interface PdfkitFont {
  scale: number;
  layout(text: string): { glyphs: { id: number }[]; positions: { xAdvance: number; xOffset: number; yOffset: number }[] };
}
function pdfkit(doc: PDFKit.PDFDocument, name: FontName, text: string): Shaped {
  doc.font(name);
  const font = (doc as unknown as { _font: PdfkitFont })._font;
  const run = font.layout(text);
  const units = (n: number) => Math.round(n / font.scale);
  return { glyphs: run.glyphs.map((g) => g.id), positions: run.positions.map((p) => [units(p.xAdvance), units(p.xOffset), units(p.yOffset)]) };
}

function harfbuzzFont(name: FontName) {
  const bytes = readFileSync(FONTS_DIR + FONT_FILES[name]);
  const face = new hb.Face(new hb.Blob(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer));
  return { face, font: new hb.Font(face) };
}

test('shaping: pdfkit (fontkit) lays out Telugu conjuncts and vowel signs with the same glyphs and positions as HarfBuzz, regular and bold', () => {
  const doc = new PDFDocument();
  const fonts = loadFonts();
  for (const name of ['telugu', 'teluguBold'] as const) {
    doc.registerFont(name, fonts[name]);
    const { font } = harfbuzzFont(name);
    let ligatures = 0;
    for (const text of STRINGS) {
      const expected = harfbuzz(font, text);
      const got = pdfkit(doc, name, text);
      assert.deepEqual(got.glyphs, expected.glyphs, `${name}: glyphs of ${text}`);
      assert.deepEqual(got.positions, expected.positions, `${name}: positions of ${text}`);
      assert.ok(!got.glyphs.includes(0), `${name}: no missing glyph in ${text}`);
      if (got.glyphs.length < [...text].length) ligatures++;
    }
    // Shaping really happened: a conjunct is fewer glyphs than letters (క్ష is one glyph).
    assert.equal(pdfkit(doc, name, 'క్ష').glyphs.length, 1, `${name}: క్ష is one glyph`);
    assert.ok(ligatures >= STRINGS.length / 2, `${name}: most strings have conjuncts or vowel-sign ligatures (${ligatures}/${STRINGS.length})`);
  }
  console.log(`  ${STRINGS.length} Telugu strings, regular and bold: fontkit and HarfBuzz agree on every glyph and position`);
});

test('shaping: the characters a Telugu run shares with English are in both fonts', () => {
  const covered = (name: FontName) => new Set(harfbuzzFont(name).face.collectUnicodes());
  for (const name of ['telugu', 'teluguBold', 'latin', 'latinBold'] as const) {
    const set = covered(name);
    for (const ch of SHARED) assert.ok(set.has(ch.codePointAt(0)!), `${name} has ${JSON.stringify(ch)}`);
  }
});

test('runs: a mixed line is cut where the script changes; spaces, digits and punctuation stay in the run they sit in', () => {
  assert.deepEqual(runsOf('D.No. 4-12-7, గాంధీ నగర్ (522201)'), [
    { text: 'D.No. 4-12-7, ', font: 'latin' },
    { text: 'గాంధీ నగర్ (522201)', font: 'telugu' },
  ]);
  assert.deepEqual(runsOf('(₹) ఆదాయం', true), [{ text: '(₹) ఆదాయం', font: 'teluguBold' }]);
  assert.deepEqual(runsOf('ఈ QR కోడ్‌ను'), [
    { text: 'ఈ ', font: 'telugu' },
    { text: 'QR ', font: 'latin' },
    { text: 'కోడ్‌ను', font: 'telugu' },
  ]);
  assert.deepEqual(runsOf('2024-25'), [{ text: '2024-25', font: 'latin' }]);
});
