// The certificate's page, top to bottom: border, header (government, department, office), title,
// the number-and-dates strip, the table of fields, then the QR code beside the signature block, and
// the footnote. Sizes are in points (A4 is 595 × 842); `top` is a distance from the top edge.
// Each part is a stack of lines, measured and drawn from the same list, so they cannot disagree.
import { drawLine, lineHeight, wrap, type Align, type Style } from './text.ts';
import { drawQr, qrLayout, type QrLayout } from './qr.ts';
import { inOrder, printedDate, printedTime, WORDS, type Bilingual, type Lang } from './words.ts';
import type { CertificateInput } from './certificate.ts';

export const A4 = { width: 595.28, height: 841.89 };
const EDGE = 22; // outer border, from the paper's edge
const LEFT = 50;
const RIGHT = A4.width - LEFT;
const WIDTH = RIGHT - LEFT;
const CENTRE = A4.width / 2;

const INK = '#1b1b1b';
const NAVY = '#1d3557';
const MUTED = '#56606d';
const RULE = '#c5cdd8';
const TINT = '#eef2f7';
const GREEN = '#1e6b3a';

/** A line of a stack (wrapped if it is too long), with space above it; or a thin rule. */
type Line = { text: string; style: Style; gap?: number } | { rule: true; gap?: number };
const RULE_SPACE = 7;

function stackHeight(doc: PDFKit.PDFDocument, lines: Line[], width: number): number {
  return lines.reduce((sum, l) => sum + (l.gap ?? 0) + ('rule' in l ? RULE_SPACE : wrap(doc, l.text, l.style, width).length * lineHeight(l.style)), 0);
}

/** Draws a stack from `top`; `x` is its left edge, or its centre when centred. Returns its bottom. */
function drawStack(doc: PDFKit.PDFDocument, lines: Line[], x: number, top: number, width: number, align: Align = 'left'): number {
  for (const l of lines) {
    top += l.gap ?? 0;
    if ('rule' in l) {
      const left = align === 'center' ? x - width / 2 : x;
      doc.lineWidth(0.5).moveTo(left, top + RULE_SPACE / 2).lineTo(left + width, top + RULE_SPACE / 2).stroke(RULE);
      top += RULE_SPACE;
      continue;
    }
    for (const text of wrap(doc, l.text, l.style, width)) {
      drawLine(doc, text, x, top + l.style.size * 1.02, l.style, align);
      top += lineHeight(l.style);
    }
  }
  return top;
}

/**
 * The second language's size. Telugu letters sit lower in the em than Latin capitals and look
 * smaller at the same size, so Telugu in second place is set a little larger than English would be.
 */
const secondSize = (size: number, lang: Lang) => (lang === 'en' ? size * 1.1 : size);
/** English in second place, in capitals for headings (Telugu has no capitals). */
const heading = (text: string, lang: Lang) => (lang === 'te' ? text.toUpperCase() : text);

/** A label in both languages, the first above the second, smaller and grey. */
function label(words: Bilingual, lang: Lang, size: number): Line[] {
  const [first, second] = inOrder(words, lang);
  return [
    { text: first, style: { size, color: INK } },
    { text: second, style: { size: secondSize(size - 1, lang), color: MUTED } },
  ];
}

function border(doc: PDFKit.PDFDocument) {
  doc.lineWidth(1.6).rect(EDGE, EDGE, A4.width - 2 * EDGE, A4.height - 2 * EDGE).stroke(NAVY);
  doc.lineWidth(0.6).rect(EDGE + 4, EDGE + 4, A4.width - 2 * EDGE - 8, A4.height - 2 * EDGE - 8).stroke(NAVY);
}

function header(doc: PDFKit.PDFDocument, input: CertificateInput, lang: Lang, top: number): number {
  const [gov1, gov2] = inOrder(input.government ?? WORDS.government, lang);
  const [dep1, dep2] = inOrder(input.department.name, lang);
  top = drawStack(
    doc,
    [
      { text: gov1, style: { size: 15, bold: true, color: NAVY } },
      { text: heading(gov2, lang), style: { size: secondSize(10.5, lang), bold: true, color: NAVY, spacing: lang === 'te' ? 0.8 : 0 } },
      { text: dep1, style: { size: 12, color: INK }, gap: 4 },
      { text: `${dep2} (${input.department.code})`, style: { size: secondSize(10, lang), color: INK } },
      { text: input.office, style: { size: 10, color: MUTED }, gap: 2 },
    ],
    CENTRE,
    top,
    WIDTH,
    'center',
  );
  top += 8;
  doc.lineWidth(1.2).moveTo(LEFT, top).lineTo(RIGHT, top).stroke(NAVY);
  doc.lineWidth(0.5).moveTo(LEFT, top + 2.5).lineTo(RIGHT, top + 2.5).stroke(NAVY);
  return top + 2.5;
}

function title(doc: PDFKit.PDFDocument, input: CertificateInput, lang: Lang, top: number): number {
  const [first, second] = inOrder(input.title, lang);
  const lines: Line[] = [
    { text: first, style: { size: 21, bold: true, color: NAVY } },
    { text: heading(second, lang), style: { size: secondSize(13.5, lang), bold: true, color: NAVY, spacing: lang === 'te' ? 1.2 : 0 } },
  ];
  return drawStack(doc, lines, CENTRE, top, WIDTH, 'center');
}

/** Certificate number, date of issue and validity, in three boxed cells. */
function strip(doc: PDFKit.PDFDocument, input: CertificateInput, lang: Lang, top: number): number {
  const value = (text: string): Line => ({ text, style: { size: 10.5, bold: true, color: INK }, gap: 2 });
  const cells: Line[][] = [
    [...label(WORDS.number, lang, 8.5), value(input.documentNumber)],
    [...label(WORDS.issued, lang, 8.5), value(printedDate(input.issuedAt))],
    input.validUntil
      ? [...label(WORDS.validUntil, lang, 8.5), value(printedDate(input.validUntil))]
      : [...label(WORDS.validity, lang, 8.5), value(inOrder(WORDS.permanent, lang).join(' / '))],
  ];
  const pad = 7;
  const cell = WIDTH / cells.length;
  const height = Math.max(...cells.map((c) => stackHeight(doc, c, cell - 2 * pad))) + 2 * pad;
  doc.rect(LEFT, top, WIDTH, height).fill(TINT);
  cells.forEach((c, i) => {
    drawStack(doc, c, LEFT + i * cell + pad, top + pad, cell - 2 * pad);
    if (i) doc.lineWidth(0.5).moveTo(LEFT + i * cell, top).lineTo(LEFT + i * cell, top + height).stroke(RULE);
  });
  doc.lineWidth(0.8).rect(LEFT, top, WIDTH, height).stroke(NAVY);
  return top + height;
}

interface Row {
  label: Bilingual;
  value: string;
  bold?: boolean;
}

/**
 * How the table is set: at full size each label's two languages are stacked; a certificate with
 * many fields gets smaller type and then labels on one line ("తండ్రి పేరు / Father's name").
 */
interface TableStyle {
  scale: number;
  stacked: boolean;
}
const steps = (from: number, to: number) => Array.from({ length: Math.round((from - to) / 0.02) + 1 }, (_, i) => from - i * 0.02);
/** Tallest first; the smallest sets values in 8-point type, about the size of a newspaper's. */
const TABLE_STYLES: TableStyle[] = [...steps(1, 0.9).map((scale) => ({ scale, stacked: true })), ...steps(1, 0.72).map((scale) => ({ scale, stacked: false }))];

const LABEL_COLUMN = WIDTH * 0.36;

function cells(row: Row, lang: Lang, t: TableStyle): { label: Line[]; value: Line[]; pad: number } {
  return {
    label: t.stacked ? label(row.label, lang, 10 * t.scale) : [{ text: inOrder(row.label, lang).join(' / '), style: { size: 9.5 * t.scale, color: INK } }],
    value: [{ text: row.value, style: { size: 11 * t.scale, bold: row.bold, color: INK } }],
    pad: 6 * t.scale,
  };
}

function rowHeight(doc: PDFKit.PDFDocument, row: Row, lang: Lang, t: TableStyle): number {
  const c = cells(row, lang, t);
  return Math.max(stackHeight(doc, c.label, LABEL_COLUMN - 2 * c.pad), stackHeight(doc, c.value, WIDTH - LABEL_COLUMN - 2 * c.pad)) + 2 * c.pad;
}

const tableHeight = (doc: PDFKit.PDFDocument, rows: Row[], lang: Lang, t: TableStyle) => rows.reduce((sum, row) => sum + rowHeight(doc, row, lang, t), 0);

/** The holder's name and the certificate's fields, labels in a tinted column on the left. */
function table(doc: PDFKit.PDFDocument, rows: Row[], lang: Lang, top: number, t: TableStyle): number {
  const start = top;
  const total = tableHeight(doc, rows, lang, t);
  doc.rect(LEFT, top, LABEL_COLUMN, total).fill(TINT);
  rows.forEach((row, i) => {
    const c = cells(row, lang, t);
    drawStack(doc, c.label, LEFT + c.pad, top + c.pad, LABEL_COLUMN - 2 * c.pad);
    drawStack(doc, c.value, LEFT + LABEL_COLUMN + c.pad, top + c.pad, WIDTH - LABEL_COLUMN - 2 * c.pad);
    top += rowHeight(doc, row, lang, t);
    if (i < rows.length - 1) doc.lineWidth(0.5).moveTo(LEFT, top).lineTo(RIGHT, top).stroke(RULE);
  });
  doc.lineWidth(0.5).moveTo(LEFT + LABEL_COLUMN, start).lineTo(LEFT + LABEL_COLUMN, top).stroke(RULE);
  doc.lineWidth(0.8).rect(LEFT, start, WIDTH, total).stroke(NAVY);
  return top;
}

const SIGNATURE_WIDTH = 235;
const SIGNATURE_PAD = 12;

/** "Digitally signed", the officer (their office is in the header) and the signing time. */
function signatureLines(input: CertificateInput, lang: Lang): Line[] {
  const [sig1, sig2] = inOrder(WORDS.signed, lang);
  const [des1, des2] = inOrder(input.officer.designation, lang);
  return [
    { text: sig1, style: { size: 10.5, bold: true, color: GREEN } },
    { text: sig2, style: { size: secondSize(9.5, lang), bold: true, color: GREEN } },
    { rule: true, gap: 1 },
    { text: input.officer.name, style: { size: 12, bold: true, color: INK }, gap: 1 },
    { text: des1, style: { size: 10, color: INK } },
    { text: des2, style: { size: secondSize(9.5, lang), color: INK } },
    { text: inOrder(WORDS.signedOn, lang).join(' / '), style: { size: 8.5, color: MUTED }, gap: 6 },
    { text: printedTime(input.issuedAt), style: { size: 9.5, bold: true, color: INK } },
  ];
}

/** The line under the QR code: scanning it verifies the certificate. */
function captionLines(lang: Lang): Line[] {
  const [first, second] = inOrder(WORDS.scan, lang);
  return [
    { text: first, style: { size: 9, bold: true, color: INK } },
    { text: second, style: { size: secondSize(8.5, lang), color: MUTED } },
  ];
}
const CAPTION_WIDTH = 200;

function footnoteLines(lang: Lang): Line[] {
  const [first, second] = inOrder(WORDS.noInk, lang);
  return [
    { text: first, style: { size: 8.5, color: MUTED } },
    { text: second, style: { size: secondSize(8, lang), color: MUTED } },
  ];
}

/** The QR code, its symbol's left edge on the margin (the quiet zone lies outside it), and the line under it. */
function qrBlock(doc: PDFKit.PDFDocument, qr: QrLayout, lang: Lang, top: number) {
  const quiet = (qr.outer - qr.side) / 2;
  drawQr(doc, qr, LEFT - quiet, top - quiet);
  drawStack(doc, captionLines(lang), LEFT, top + qr.side + quiet + 2, CAPTION_WIDTH);
}

/** Draws the whole certificate on the document's (only) page. */
export function drawCertificate(doc: PDFKit.PDFDocument, input: CertificateInput, lang: Lang) {
  const qr = qrLayout(input.qr);
  const rows: Row[] = [{ label: WORDS.name, value: input.holderName, bold: true }, ...input.fields];

  // The bottom part (QR code, signature, footnote) sits at the foot of the page; the table takes
  // what is left, set smaller when a certificate has many fields, so it always fits one page.
  const footnote = footnoteLines(lang);
  const footTop = A4.height - EDGE - 18 - stackHeight(doc, footnote, WIDTH);
  const signature = signatureLines(input, lang);
  const signatureHeight = stackHeight(doc, signature, SIGNATURE_WIDTH - 2 * SIGNATURE_PAD) + 2 * SIGNATURE_PAD;
  const qrHeight = qr.side + (qr.outer - qr.side) / 2 + 2 + stackHeight(doc, captionLines(lang), CAPTION_WIDTH);
  const bottomTop = footTop - 22 - Math.max(qrHeight, signatureHeight);

  border(doc);
  let top = header(doc, input, lang, 46);
  top = title(doc, input, lang, top + 14);
  top = strip(doc, input, lang, top + 12);
  top += 16;
  const room = bottomTop - 20 - top;
  const style = TABLE_STYLES.find((t) => tableHeight(doc, rows, lang, t) <= room);
  if (!style) throw new Error(`the certificate's ${input.fields.length} fields do not fit on one page`);
  table(doc, rows, lang, top, style);

  qrBlock(doc, qr, lang, bottomTop);
  const x = RIGHT - SIGNATURE_WIDTH;
  doc.lineWidth(0.8).roundedRect(x, bottomTop, SIGNATURE_WIDTH, signatureHeight, 4).stroke(NAVY);
  drawStack(doc, signature, x + SIGNATURE_PAD, bottomTop + SIGNATURE_PAD, SIGNATURE_WIDTH - 2 * SIGNATURE_PAD);
  doc.lineWidth(0.5).moveTo(LEFT, footTop - 6).lineTo(RIGHT, footTop - 6).stroke(RULE);
  drawStack(doc, footnote, CENTRE, footTop, WIDTH, 'center');
}
