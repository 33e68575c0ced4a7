/**
 * Reads `okta-flow.config.json` (or `.yaml`/`.yml`) from disk and validates it. JSON files are parsed as strict JSON
 * (what CI synthesizes must be what editors validate); YAML files get YAML 1.2 with duplicate keys rejected.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from './config-error.js';
import { parseConfig } from './parse-config.js';
import type { Config } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'okta-flow.config.json';

export function loadConfig(path: string = DEFAULT_CONFIG_FILE): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`;
    throw new ConfigError(
      path,
      [{ path: '', message: what, example: 'okta-flow validate --config examples/okta-flow.config.json' }],
      {
        cause: error,
      },
    );
  }
  return parseConfig(parseConfigText(text, path), path);
}

/** JSON or YAML text → plain data, by file extension (YAML unless the name ends in .json). */
export function parseConfigText(text: string, source: string): unknown {
  return source.toLowerCase().endsWith('.json') ? parseJson(text, source) : parseYaml(text, source);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? '' : ` at ${lineAndColumn(text, Number(position))}`;
    throw new ConfigError(source, [{ path: '', message: `is not valid JSON${where}: ${message}` }], { cause: error });
  }
}

function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((error) => ({
        path: '',
        message: `is not valid YAML: ${error.message.split('\n')[0] ?? ''}`,
      })),
    );
  }
  return document.toJS();
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
