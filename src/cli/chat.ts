import type { Command } from './index.ts';

export const chatCommand: Command = {
  summary: 'chat with Mitra from the terminal, as a citizen, through the WhatsApp simulator',
  usage: 'usage: mitra chat [--url http://127.0.0.1:3000] [--number 919876543210]',
  async run() {
    console.error('mitra chat: not built yet');
    return 1;
  },
};
