// Reads a PDF the way a printer would: a page to pixels, with pdf.js (Apache-2.0, Mozilla) drawing on
// @napi-rs/canvas (MIT, Skia). `mitra verify certificate.pdf` reads the QR code off those pixels, and
// the tests print certificates with it. Both are imported only when a PDF is opened: pdf.js is a few
// megabytes of JavaScript that verifying a bare payload or a picture should not load.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { findQrText } from './qr-image.ts';

export type PdfQrRead =
  | { ok: true; text: string; page: number }
  | { ok: false; code: 'no_qr' | 'unreadable_pdf' | 'encrypted_pdf'; message: string };

export class PdfError extends Error {
  constructor(
    readonly code: 'unreadable_pdf' | 'encrypted_pdf',
    message: string,
  ) {
    super(message);
  }
}

/** A page as pixels: RGBA, white where nothing is printed. */
export interface PageImage {
  width: number;
  height: number;
  /** The resolution it was drawn at: the one asked for, or less for a page too large to draw at it. */
  dpi: number;
  rgba: Uint8ClampedArray;
  png(): Buffer;
}

export interface OpenPdf {
  pageCount: number;
  /** Page `n` (from 1) in points, as it is shown (rotation applied). */
  pageSize(n: number): Promise<{ width: number; height: number }>;
  image(n: number, dpi: number): Promise<PageImage>;
  /** The page's text, a line at a time (as the PDF's own text, not OCR). */
  text(n: number): Promise<string[]>;
  /** Files embedded in the PDF, by name (a certificate carries its ledger proof this way). */
  attachments(): Promise<Map<string, Uint8Array>>;
  close(): Promise<void>;
}

/** A phone photo is 12 MP and an A4 page at 300 dpi 8.7 MP; a page asking for far more (a poster-sized page) is drawn smaller. */
const MAX_PIXELS = 40_000_000;
/** Where a QR code is looked for: a certificate has it on page 1; a scan may put a cover page first. */
const QR_PAGES = 3;
/**
 * 150 dpi reads our certificates' QR code (≥ 35 mm, ~0.5 mm modules) with room to spare and is quick;
 * 300 dpi is the second try, for a smaller code or a scanned certificate saved as a PDF.
 */
const QR_DPIS = [150, 300];

export async function openPdf(bytes: Uint8Array): Promise<OpenPdf> {
  const [pdfjs, { createCanvas }] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), loadCanvas()]);
  const assets = dirname(fileURLToPath(import.meta.resolve('pdfjs-dist/package.json')));
  const dir = (name: string) => join(assets, name) + '/'; // pdf.js wants a trailing slash
  let doc: PDFDocumentProxy;
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes), // a copy: pdf.js hands its buffer to the worker, which detaches it
      isEvalSupported: false, // no code compiled from the file's own functions, whoever made it
      maxImageSize: MAX_PIXELS,
      verbosity: pdfjs.VerbosityLevel.ERRORS, // its warnings about odd files are not the user's business
      // Fonts a PDF names but does not embed, character maps, colour profiles and image codecs, from the package.
      standardFontDataUrl: dir('standard_fonts'),
      cMapUrl: dir('cmaps'),
      iccUrl: dir('iccs'),
      wasmUrl: dir('wasm'),
    }).promise;
  } catch (err) {
    const e = err as Error;
    if (e.name === 'PasswordException') throw new PdfError('encrypted_pdf', 'the PDF is protected by a password');
    throw new PdfError('unreadable_pdf', `the PDF could not be read: ${e.message}`);
  }

  const page = async (n: number) => {
    if (!Number.isInteger(n) || n < 1 || n > doc.numPages) throw new RangeError(`no page ${n} in a PDF of ${doc.numPages}`);
    return doc.getPage(n);
  };
  return {
    pageCount: doc.numPages,
    async pageSize(n) {
      const { width, height } = (await page(n)).getViewport({ scale: 1 });
      return { width, height };
    },
    async image(n, dpi) {
      const p = await page(n);
      const points = p.getViewport({ scale: 1 });
      const scale = Math.min(dpi / 72, Math.sqrt(MAX_PIXELS / (points.width * points.height)));
      const viewport = p.getViewport({ scale });
      const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
      // @napi-rs/canvas is the canvas pdf.js itself makes in Node, but its types are not the DOM's.
      type DomCanvas = Parameters<PDFPageProxy['render']>[0]['canvas'];
      // White paper: where nothing is printed a canvas would stay transparent, which jsQR reads as black.
      await p.render({ canvas: canvas as unknown as DomCanvas, viewport, intent: 'print', background: '#ffffff' }).promise;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      p.cleanup();
      return { width: canvas.width, height: canvas.height, dpi: scale * 72, rgba: data, png: () => canvas.toBuffer('image/png') };
    },
    async text(n) {
      const content = await (await page(n)).getTextContent();
      // pdf.js marks some line ends itself; a run starting on another baseline starts a line too
      // (it joins a label to the next line's first word otherwise).
      const lines: string[] = [''];
      let baseline: number | undefined;
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const y = item.transform[5] as number;
        if (item.str && baseline !== undefined && Math.abs(y - baseline) > item.height / 2 && lines.at(-1)) lines.push('');
        if (item.str) baseline = y;
        lines[lines.length - 1] += item.str;
        if (item.hasEOL) lines.push('');
      }
      return lines.filter((l) => l.trim());
    },
    async attachments() {
      const found = ((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
      return new Map(Object.values(found).map((a) => [a.filename, a.content]));
    },
    close: () => doc.destroy(),
  };
}

/** The text of the first QR code on the first pages of a PDF: what `mitra verify certificate.pdf` checks. */
export async function readQrCodeFromPdf(bytes: Uint8Array): Promise<PdfQrRead> {
  let pdf: OpenPdf;
  try {
    pdf = await openPdf(bytes);
  } catch (err) {
    if (err instanceof PdfError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
  try {
    const pages = Math.min(pdf.pageCount, QR_PAGES);
    for (let n = 1; n <= pages; n++)
      for (const dpi of QR_DPIS) {
        const image = await pdf.image(n, dpi);
        const text = await findQrText(image.rgba, image.width, image.height);
        if (text) return { ok: true, text, page: n };
        if (image.dpi < dpi) break; // a page too large for this resolution: a finer one would be drawn the same
      }
    const where = pdf.pageCount > QR_PAGES ? `its first ${QR_PAGES} pages (of ${pdf.pageCount})` : pages === 1 ? 'the PDF' : `its ${pages} pages`;
    return { ok: false, code: 'no_qr', message: `no QR code was found on ${where}` };
  } catch (err) {
    // A page pdf.js cannot draw: the file is damaged past what it recovers from.
    return { ok: false, code: 'unreadable_pdf', message: `the PDF could not be drawn: ${(err as Error).message}` };
  } finally {
    await pdf.close();
  }
}

/** @napi-rs/canvas, or why this machine cannot draw a PDF: its native part is built for common platforms only. */
async function loadCanvas() {
  try {
    return await import('@napi-rs/canvas');
  } catch (err) {
    throw new PdfError('unreadable_pdf', `PDFs cannot be drawn on this machine (@napi-rs/canvas did not load: ${(err as Error).message})`);
  }
}
