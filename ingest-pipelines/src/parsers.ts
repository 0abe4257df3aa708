/**
 * Parser pipelines are generated: a parser file (assets/pipelines/parse-<format>.yml)
 * holds only its description, its own painless helpers and its parse body; what
 * every parser shares (helpers, the try/catch that turns any exception into one
 * readable line, the on_failure that records mitra.error) lives once in
 * assets/shared/parser.yml and is added here.
 */

type Json = Record<string, unknown>;

export interface ParserShared {
  /** Painless functions every parser may call (textOnly, num, nameChars, ...). */
  helpers: string;
  /** The end of the try block, with `{{format}}` for the parser's format. */
  catch: string;
  on_failure: unknown[];
}

const OWN_KEYS = new Set(['description', 'helpers', 'parse']);

/** The painless function names a helper block declares (`long num(String s, ...) {`). */
export function declaredFunctions(painless: string): string[] {
  return [...painless.matchAll(/^[A-Za-z][\w<>[\]]*\s+(\w+)\s*\([^)]*\)\s*\{/gm)].map((m) => m[1]);
}

/**
 * The pipeline body of one parser. A parser file that carries what the renderer
 * adds (its own on_failure, processors, a copy of a shared helper) is refused:
 * two copies would drift apart, which is what generating them prevents.
 */
export function renderParser(format: string, file: Json, shared: ParserShared): Json {
  const where = `assets/pipelines/parse-${format}.yml`;
  const extra = Object.keys(file).filter((k) => !OWN_KEYS.has(k));
  if (extra.length) {
    throw new Error(
      `${where} has ${extra.join(', ')}: a parser file holds only description, helpers and parse; the renderer adds the script processor, its tag and the shared on_failure (assets/shared/parser.yml)`,
    );
  }
  if (typeof file.description !== 'string' || typeof file.parse !== 'string') {
    throw new Error(`${where} needs a description and a parse body (painless, run inside the shared try/catch)`);
  }
  const own = typeof file.helpers === 'string' ? file.helpers : '';
  const copied = declaredFunctions(own).filter((f) => declaredFunctions(shared.helpers).includes(f));
  if (copied.length) {
    throw new Error(`${where} declares ${copied.join(', ')} again: that helper is shared (assets/shared/parser.yml); remove the copy`);
  }
  const body = file.parse.replace(/^(?=.)/gm, '  ');
  const source = `${shared.helpers}${own}try {\n${body}${shared.catch.replaceAll('{{format}}', format)}`;
  return {
    description: file.description,
    processors: [{ script: { tag: `parse_${format}`, lang: 'painless', source } }],
    on_failure: structuredClone(shared.on_failure),
  };
}
