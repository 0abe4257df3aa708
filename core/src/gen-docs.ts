import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderFieldDocs } from './schema';

/** Writes core/FIELDS.md from the field schema: `npm run docs -w core` (after a build). */
export const FIELDS_MD = resolve(__dirname, '..', 'FIELDS.md');

if (require.main === module) {
  writeFileSync(FIELDS_MD, renderFieldDocs());
  console.log(`wrote ${FIELDS_MD}`);
}
