// The fixed words printed on every certificate, in Telugu and English. A certificate's own words
// (its title, field labels, the department's name) come with its CertificateInput.

export interface Bilingual {
  te: string;
  en: string;
}
export type Lang = 'te' | 'en';

export const WORDS = {
  government: { te: 'ఆంధ్రప్రదేశ్ ప్రభుత్వం', en: 'Government of Andhra Pradesh' },
  number: { te: 'పత్రం సంఖ్య', en: 'Certificate No.' },
  issued: { te: 'జారీ చేసిన తేదీ', en: 'Date of issue' },
  validUntil: { te: 'చెల్లుబాటు గడువు', en: 'Valid until' },
  validity: { te: 'చెల్లుబాటు', en: 'Validity' },
  permanent: { te: 'శాశ్వతం', en: 'Permanent' },
  name: { te: 'పేరు', en: 'Name' },
  signed: { te: 'డిజిటల్‌గా సంతకం చేయబడింది', en: 'Digitally signed' },
  signedOn: { te: 'సంతకం చేసిన సమయం', en: 'Signed on' },
  scan: { te: 'ఈ QR కోడ్‌ను స్కాన్ చేసి ఈ ధ్రువీకరణ పత్రాన్ని సరిచూసుకోండి.', en: 'Scan this QR code to verify this certificate.' },
  noInk: {
    te: 'ఈ పత్రంపై డిజిటల్ సంతకం ఉంది; చేతి సంతకం గానీ ముద్ర గానీ అవసరం లేదు.',
    en: 'This certificate is digitally signed; it needs no handwritten signature or seal.',
  },
} satisfies Record<string, Bilingual>;

/** The two languages, the reader's first. */
export const inOrder = (b: Bilingual, first: Lang): [string, string] => (first === 'te' ? [b.te, b.en] : [b.en, b.te]);

/**
 * Dates as Andhra Pradesh offices print them (10-06-2025), in India time whatever the server's
 * zone: India has one zone, +05:30, and no summer time, so this needs no time-zone database.
 */
const IST_MS = 330 * 60_000;
const two = (n: number) => String(n).padStart(2, '0');
export function printedDate(at: Date): string {
  const d = new Date(at.getTime() + IST_MS);
  return `${two(d.getUTCDate())}-${two(d.getUTCMonth() + 1)}-${d.getUTCFullYear()}`;
}
export function printedTime(at: Date): string {
  const d = new Date(at.getTime() + IST_MS);
  return `${printedDate(at)}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} IST`;
}
