import { parseArgs } from 'node:util';
import type { Command } from './index.ts';

export const outboundCommand: Command = {
  summary: 'list outbound messages by state (e.g. the failed ones, with their WhatsApp error)',
  usage: [
    'usage: mitra outbound [--state failed] [--number 9198…] [--limit 50] [--url http://127.0.0.1:3000] [--json]',
    '',
    'Asks the running server (loopback only), so it works while embedded PGlite is held by `npm start`.',
  ].join('\n'),
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({ args, options: { state: { type: 'string' }, number: { type: 'string' }, limit: { type: 'string', default: '50' }, url: { type: 'string', default: 'http://127.0.0.1:3000' }, json: { type: 'boolean', default: false } } }));
    } catch (err) {
      console.error(`mitra outbound: ${(err as Error).message}`);
      return 2;
    }
    const q = new URLSearchParams({ limit: values.limit });
    if (values.state) q.set('state', values.state);
    if (values.number) q.set('wa_id', values.number);
    let res: Response;
    try {
      res = await fetch(`${values.url}/api/v1/outbound?${q}`);
    } catch {
      console.error(`mitra outbound: no Mitra server answers at ${values.url}; start it with \`npm start\``);
      return 1;
    }
    const body = (await res.json()) as { messages?: any[]; error?: { code: string; message: string } };
    if (!res.ok || !body.messages) {
      console.error(`mitra outbound: ${body.error?.message ?? `HTTP ${res.status}`}`);
      return 1;
    }
    if (values.json) {
      console.log(JSON.stringify(body.messages, null, 2));
      return 0;
    }
    if (body.messages.length === 0) console.log('no messages');
    for (const m of body.messages) {
      const err = m.error ? `  ${m.error.code ?? ''} ${m.error.title ?? ''}${m.error.detail ? ` (${m.error.detail})` : ''}` : '';
      console.log(`${String(m.id).padStart(8)}  ${m.createdAt}  ${m.waId}  ${m.type.padEnd(11)} ${m.state.padEnd(9)} tries ${m.attempts}${err}`);
    }
    return 0;
  },
};
