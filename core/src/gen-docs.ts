import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QUESTIONS } from './questions';
import { questionTable } from './questions/derive';
import { renderFieldDocs } from './schema';

/** Writes core/FIELDS.md from the field schema and the question tables of cli/README.md and core/README.md from the catalog: `npm run docs -w core` (after a build). */
export const FIELDS_MD = resolve(__dirname, '..', 'FIELDS.md');
export const QUESTION_READMES = [
  [resolve(__dirname, '..', '..', 'cli', 'README.md'), 'cli'],
  [resolve(__dirname, '..', 'README.md'), 'core'],
] as const;

const TABLE = /(<!-- questions:start[^>]*-->\n)(?:[\s\S]*?\n)?(<!-- questions:end -->)/;

if (require.main === module) {
  writeFileSync(FIELDS_MD, renderFieldDocs());
  console.log(`wrote ${FIELDS_MD}`);
  for (const [file, surface] of QUESTION_READMES) {
    const text = readFileSync(file, 'utf8');
    if (!TABLE.test(text)) throw new Error(`${file} has no <!-- questions:start --> ... <!-- questions:end --> block`);
    writeFileSync(
      file,
      text.replace(TABLE, (_m, start: string, end: string) => `${start}${questionTable(QUESTIONS, surface)}\n${end}`),
    );
    console.log(`wrote the question table of ${file}`);
  }
}
