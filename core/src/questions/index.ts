// The question catalog: every guided fleet question, one file each. Adding a question = one file here + its tests.
import { driftQuestion } from './drift';
import { hostsQuestion } from './hosts';
import type { Catalog } from './question';
import { searchQuestion } from './search';
import { valuesQuestion } from './values';

/** In the order `mitra --help`, the docs and the app's picker list them. */
export const QUESTIONS: Catalog = [searchQuestion, hostsQuestion, valuesQuestion, driftQuestion];

export { defineQuestion, type Catalog, type Column, type Form, type Param, type Question, type TextFormat } from './question';
export { PAGING } from './paging';
