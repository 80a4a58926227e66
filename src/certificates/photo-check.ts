import type { Catalog } from '../catalog/index.ts';
import { readQrCode, type QrRead } from '../documents/index.ts';
import type { Clock, Db, Logger, Queryable } from '../platform/index.ts';
import { checkCertificate, type CheckedCertificate } from './check.ts';

/** A photo a citizen sent, to be read for a certificate's QR code. */
export interface PhotoCheckRequest {
  waId: string;
  language: string;
  mediaId: string;
}

/** Queues the check, in the turn's transaction; the checker reads it after commit. */
export async function requestPhotoCheck(tx: Queryable, r: PhotoCheckRequest, at: Date): Promise<void> {
  await tx.query(`insert into certificate_checks (wa_id, language, media_id, requested_at) values ($1, $2, $3, $4)`, [r.waId, r.language, r.mediaId, at]);
}

/** What the check found: a verdict, or why there was none. */
export type PhotoCheckOutcome = { kind: 'checked'; checked: CheckedCertificate } | { kind: 'unread'; code: Exclude<QrRead, { ok: true }>['code'] | 'download_failed' };

export interface PhotoCheckerOptions {
  db: Db;
  catalog: Catalog;
  clock: Clock;
  log: Logger;
  /** Fetches the photo (the Graph API's media download). */
  download(mediaId: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; retry: boolean; message: string }>;
  /** Queues the answer to the citizen, in the transaction that closes the check. */
  answer(tx: Queryable, to: PhotoCheckRequest, outcome: PhotoCheckOutcome): Promise<void>;
  /** Answers were queued: the sender should look now. */
  onAnswered(): void;
  leaseMs?: number;
  maxAttempts?: number;
}

/**
 * Reads queued photos, one at a time per process: download (outside any transaction), find the QR,
 * verify it, then answer and close the check in one transaction. A crash leaves the check claimed
 * until its lease ends; then it is taken again, so every photo is answered once.
 */
export function createPhotoChecker(o: PhotoCheckerOptions) {
  const leaseMs = o.leaseMs ?? 60_000;
  const maxAttempts = o.maxAttempts ?? 5;
  let running = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  async function claim(): Promise<(PhotoCheckRequest & { id: number; attempts: number }) | undefined> {
    const now = o.clock.now();
    const [row] = await o.db.query<{ id: number; wa_id: string; language: string; media_id: string; attempts: number }>(
      `update certificate_checks set claimed_until = $1::timestamptz + make_interval(secs => $2::float8 / 1000), attempts = attempts + 1
       where id = (select id from certificate_checks where state = 'pending' and (claimed_until is null or claimed_until < $1) order by id limit 1 for update skip locked)
       returning id, wa_id, language, media_id, attempts`,
      [now, leaseMs],
    );
    return row && { id: Number(row.id), waId: row.wa_id, language: row.language, mediaId: row.media_id, attempts: row.attempts };
  }

  async function checkOne(): Promise<boolean> {
    const job = await claim();
    if (!job) return false;
    const photo = await o.download(job.mediaId);
    if (!photo.ok && photo.retry && job.attempts < maxAttempts) {
      o.log.warn({ check: job.id, attempts: job.attempts }, 'certificate photo download failed; will retry');
      return true;
    }
    let outcome: PhotoCheckOutcome;
    if (!photo.ok) outcome = { kind: 'unread', code: 'download_failed' };
    else {
      const read = await readQrCode(photo.bytes);
      outcome = read.ok ? { kind: 'checked', checked: await checkCertificate(o.db, o.catalog, read.text, o.clock.now()) } : { kind: 'unread', code: read.code };
    }
    const verdict = outcome.kind === 'checked' ? (outcome.checked.verdict.valid ? 'valid' : outcome.checked.verdict.code) : outcome.code;
    await o.db.transaction(async (tx) => {
      const [still] = await tx.query(`update certificate_checks set state = $2, verdict = $3, done_at = $4 where id = $1 and state = 'pending' returning id`, [job.id, photo.ok ? 'done' : 'failed', verdict, o.clock.now()]);
      if (still) await o.answer(tx, job, outcome);
    });
    o.log.info({ check: job.id, verdict }, 'certificate photo checked');
    o.onAnswered();
    return true;
  }

  async function run() {
    while (running) {
      let worked = false;
      try {
        worked = await checkOne();
      } catch (err) {
        o.log.error({ err }, 'certificate photo check failed');
      }
      if (!worked && running) await new Promise<void>((r) => { wake = r; setTimeout(r, 1000).unref(); });
    }
  }

  return {
    start() {
      running = true;
      loop = run();
    },
    poke() {
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
