import { join } from 'node:path';
import ts from 'typescript';
import { term, terms } from './fleet/common';
import { sourcePath } from './history/scope';
import { field, type FieldName } from './schema';

/**
 * Field names are typed from the schema (core/src/schema.ts): the shared query
 * helpers refuse a name the schema does not declare at compile time. jest only
 * transpiles, so the type errors are proven with the TypeScript compiler itself.
 */

// Compile-time checks, also seen by tsc when this file is type-checked.
// @ts-expect-error 'host.nmae' is not a schema field
term('host.nmae', 'web-01');
// @ts-expect-error 'mitra.kernel.relase' is not a schema field
terms('mitra.kernel.relase', ['4.4']);
// @ts-expect-error 'mitra.contents' is not a schema field
sourcePath({}, 'mitra.contents');
// @ts-expect-error field() accepts only declared names
field('file.pth');

const HERE = __dirname;

/** Type-checks snippets placed in core/src (so they import like core modules), in one program; the error messages of each. */
function typeErrors(snippets: string[]): string[][] {
  const files = snippets.map((_, i) => join(HERE, `__snippet_${i}__.ts`));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    esModuleInterop: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    files.includes(name) ? ts.createSourceFile(name, snippets[files.indexOf(name)], version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.includes(name) || fileExists(name);
  const program = ts.createProgram(files, options, host);
  return files.map((f) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  );
}

const IMPORTS = `import { pathIs, present, term, terms } from './fleet/common';\nimport { sourcePath } from './history/scope';\nimport { field } from './schema';\n`;

test('declared field names compile; a misspelt one is a type error naming it, in every helper', () => {
  const [ok, bad] = typeErrors([
    `${IMPORTS}
    export const q = [term('host.name', 'web-01'), terms('mitra.format', ['dpkg', 'rpm']), term('mitra.meminfo.MemTotal', 1), term('hostname', 'x'), pathIs('/etc/hosts'), present];
    export const v = sourcePath({}, 'mitra.content');
    export const f = field('mitra.package_names');`,
    `${IMPORTS}
    export const a = term('host.nmae', 'web-01');
    export const b = terms('mitra.kernel.relase', ['4.4']);
    export const c = sourcePath({}, 'mitra.contents');
    export const d = field('file.pth');`,
  ]);
  expect(ok).toEqual([]);
  expect(bad).toHaveLength(4);
  for (const name of ['host.nmae', 'mitra.kernel.relase', 'mitra.contents', 'file.pth']) {
    expect(bad.filter((e) => e.includes(`"${name}"`) && /not assignable to parameter of type/.test(e))).toHaveLength(1);
  }
}, 120_000);

test('the helpers build the same queries as before (types only, no runtime change)', () => {
  const name: FieldName = 'mitra.kernel.release';
  expect(term(name, '4.4.0')).toEqual({ term: { 'mitra.kernel.release': '4.4.0' } });
  expect(terms('file.path', ['/a'])).toEqual({ terms: { 'file.path': ['/a'] } });
  expect(sourcePath({ mitra: { content: 'x' } }, 'mitra.content')).toBe('x');
  expect(sourcePath({ 'mitra.content': 'y' }, 'mitra.content')).toBe('y');
});
