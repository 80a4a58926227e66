/** The simulator's WhatsApp-like chat page (placeholder until the full page lands). */
export function chatPage(): string {
  return '<!doctype html><meta charset="utf-8"><title>Mitra simulator</title><p>chat</p>';
}
