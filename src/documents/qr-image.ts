// Reads the text of a QR code in a PNG or JPEG picture: a screenshot, a scan, or a phone photo of a
// printed certificate (what a citizen or a shopkeeper sends on WhatsApp).

export type QrRead = { ok: true; text: string } | { ok: false; code: 'no_qr' | 'unreadable_image' | 'unsupported_image'; message: string };

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const starts = (b: Uint8Array, magic: number[]) => magic.every((m, i) => b[i] === m);
/** A phone camera's 12 MP is 48 MB decoded; refuse what is far larger before decoding it. */
const MAX_MEGAPIXELS = 40;

export async function readQrCode(bytes: Uint8Array): Promise<QrRead> {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    if (starts(bytes, PNG_MAGIC)) {
      const { PNG } = await import('pngjs');
      image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    } else if (starts(bytes, JPEG_MAGIC)) {
      const jpeg = await import('jpeg-js');
      image = jpeg.default.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 512 });
    } else {
      return { ok: false, code: 'unsupported_image', message: 'only PNG and JPEG pictures are read' };
    }
  } catch (err) {
    return { ok: false, code: 'unreadable_image', message: `the picture could not be decoded: ${(err as Error).message}` };
  }
  const text = await findQrText(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return text ? { ok: true, text } : { ok: false, code: 'no_qr', message: 'no QR code was found in the picture' };
}

/** The text of the QR code in RGBA pixels, if jsQR finds one (light on dark too: some phones invert screenshots). */
export async function findQrText(rgba: Uint8ClampedArray, width: number, height: number): Promise<string | undefined> {
  const jsQR = (await import('jsqr')).default.default; // a CommonJS module: its exports object, whose default is the function
  return jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' })?.data || undefined;
}
