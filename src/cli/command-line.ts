import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from '../platform/index.ts';

/**
 * How a `mitra <name>` command talks on standard error: its messages carry its name, a usage error
 * prints the usage and exits 2, an invalid configuration lists its problems and exits 1.
 */
export function commandLine(name: string, usageText: string) {
  const say = (message: string) => console.error(`mitra ${name}: ${message}`);
  const usage = (message: string): number => {
    say(`${message}\n\n${usageText}`);
    return 2;
  };
  return {
    say,
    usage,
    /** The command's options and positionals, or a usage error said (undefined). */
    parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
      try {
        return parseArgs<{ args: string[]; allowPositionals: true; options: O }>({ args, allowPositionals: true, options });
      } catch (err) {
        usage((err as Error).message);
        return undefined;
      }
    },
    /** The configuration from the environment, or its problems said (undefined). */
    config(): Config | undefined {
      const loaded = loadConfig(process.env);
      if (loaded.ok) return loaded.config;
      say(`the configuration is not valid:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}`);
      return undefined;
    },
  };
}
