// The certificate's QR code, drawn as vector squares: sharp at any print resolution, and a few
// kilobytes of path instead of an image. It holds the verify URL as one alphanumeric segment at
// ECC M (docs/documents.md: an income certificate is version 16, 81×81 modules).
import QRCode from 'qrcode';
import { BASE45_ALPHABET } from '../base45.ts';

export const MM = 72 / 25.4;
/** Module pitch: 0.5 mm is about six dots of a 300 dpi office printer, and easy for a phone camera. */
const MODULE_MM = 0.5;
/** Smallest and largest printed side of the code itself (without the quiet zone). */
const MIN_SIDE_MM = 38;
const MAX_SIDE_MM = 60;
/** Light modules required on every side so a reader can find the code (ISO/IEC 18004). */
export const QUIET_MODULES = 4;

export interface QrLayout {
  modules: number;
  version: number;
  /** Side of one module and of the whole code, without the quiet zone, in points. */
  module: number;
  side: number;
  /** Side including the quiet zone on both sides. */
  outer: number;
  dark: (row: number, col: number) => boolean;
}

export function qrLayout(url: string): QrLayout {
  for (const ch of url)
    if (!BASE45_ALPHABET.includes(ch)) throw new Error(`the QR text must be the upper-case verify URL (QR alphanumeric characters only); ${JSON.stringify(ch)} is not one`);
  const code = QRCode.create([{ data: url, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' });
  const modules = code.modules.size;
  const side = Math.min(Math.max(modules * MODULE_MM, MIN_SIDE_MM), MAX_SIDE_MM) * MM;
  const module = side / modules;
  return { modules, version: code.version, module, side, outer: side + 2 * QUIET_MODULES * module, dark: (r, c) => Boolean(code.modules.get(r, c)) };
}

/**
 * Draws the code with its quiet zone's top-left corner at (x, y). Each row's dark modules are merged
 * into bars and filled as one path, so renderers leave no hairline seams between squares; the path
 * is written in module units (integers), which keeps it short.
 */
export function drawQr(doc: PDFKit.PDFDocument, qr: QrLayout, x: number, y: number) {
  doc.save();
  doc.rect(x, y, qr.outer, qr.outer).fill('#ffffff');
  doc.translate(x + QUIET_MODULES * qr.module, y + QUIET_MODULES * qr.module).scale(qr.module);
  for (let r = 0; r < qr.modules; r++) {
    for (let c = 0; c < qr.modules; ) {
      if (!qr.dark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < qr.modules && qr.dark(r, c)) c++;
      doc.rect(start, r, c - start, 1);
    }
  }
  doc.fill('#000000');
  doc.restore();
}
