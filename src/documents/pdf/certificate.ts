// A certificate as a PDF: one A4 page, Telugu first and English beside it, with the signed QR code
// that verifies it. Pure: the same input gives the same bytes (the PDF's dates come from issuedAt,
// not the clock), and nothing is read but the font files.
import { loadFonts, type FontName, type Fonts } from './fonts.ts';
import type { Bilingual, Lang } from './words.ts';

export type { Bilingual, Lang } from './words.ts';

export interface CertificateField {
  label: Bilingual;
  /** As printed: Telugu, English or both. */
  value: string;
}

export interface CertificateInput {
  /** "ఆదాయ ధ్రువీకరణ పత్రం" / "Income Certificate". */
  title: Bilingual;
  department: { name: Bilingual; code: string };
  /** The issuing office, as printed: "Office of the Tahsildar, Tenali Mandal, Guntur District". */
  office: string;
  /** The officer whose department key signed it. */
  officer: { name: string; designation: Bilingual };
  holderName: string;
  fields: CertificateField[];
  documentNumber: string;
  issuedAt: Date;
  /** None for a certificate that does not expire. */
  validUntil?: Date;
  /** The verify URL the QR code holds (`verifyUrl(signed.payload, host)`): upper case, `HTTPS://HOST/V/MT1:…`. */
  qr: string;
  /** The language printed first and larger; the other follows it. Telugu unless the citizen chose English. */
  language?: Lang;
  /** The government in the header; Andhra Pradesh's unless given. */
  government?: Bilingual;
  /** Files embedded in the PDF, such as the public ledger's inclusion proof (`certificate.tlog-proof`). */
  attachments?: { name: string; data: Uint8Array; description?: string }[];
}

/** Renders the certificate. `fonts` defaults to the repository's assets/fonts. */
export async function renderCertificatePdf(input: CertificateInput, fonts: Fonts = loadFonts()): Promise<Uint8Array> {
  // Loaded here, not at the top, so an app that imports src/documents only to verify QR codes does
  // not load pdfkit, fontkit and qrcode.
  const [{ default: PDFDocument }, { A4, drawCertificate }] = await Promise.all([import('pdfkit'), import('./page.ts')]);
  const lang = input.language ?? 'te';
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margin: 0,
    lang: lang === 'te' ? 'te-IN' : 'en-IN',
    displayTitle: true,
    info: {
      Title: `${input.title.en} ${input.documentNumber}`,
      Subject: `${input.title.te} / ${input.title.en}`,
      Author: `${input.department.name.en} (${input.department.code})`,
      Creator: 'Mitra',
      Producer: 'Mitra (PDFKit)',
      // From the certificate, not the clock, so rendering it again gives the same file.
      CreationDate: input.issuedAt,
      ModDate: input.issuedAt,
    },
  });
  for (const name of Object.keys(fonts) as FontName[]) doc.registerFont(name, fonts[name]);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  drawCertificate(doc, input, lang);
  for (const a of input.attachments ?? []) doc.file(Buffer.from(a.data), { name: a.name, type: 'text/plain', ...(a.description ? { description: a.description } : {}), creationDate: input.issuedAt, modifiedDate: input.issuedAt });
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}
