import { serveCommand } from './serve.ts';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => serveCommand,
  chat: async () => (await import('./chat.ts')).chatCommand,
  catalog: async () => (await import('./catalog.ts')).catalogCommand,
  outbound: async () => (await import('./outbound.ts')).outboundCommand,
  officer: async () => (await import('./officer.ts')).officerCommand,
  verify: async () => (await import('./verify.ts')).verifyCommand,
  keys: async () => (await import('./keys.ts')).keysCommand,
  ledger: async () => (await import('./ledger.ts')).ledgerCommand,
  witness: async () => (await import('./witness.ts')).witnessCommand,
};

const HELP = ['mitra: citizen services over WhatsApp', '', 'usage: mitra <command> [options]', '', 'commands:'].join('\n');

/** The `mitra` command. Returns the exit code: 0 only on success. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const list = await Promise.all(Object.entries(commands).map(async ([n, load]) => `  ${n.padEnd(10)} ${(await load()).summary}`));
    console.log([HELP, ...list, '', 'Run `mitra <command> --help` for its options.'].join('\n'));
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`mitra: unknown command "${name}". Run \`mitra --help\` for the list.`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\n${command.usage}`);
    return 0;
  }
  return command.run(rest);
}
