import { count, text } from '../shapes/fields';
import type { Param } from './question';

/**
 * The one paging model of every paged question: `size` rows after `cursor`
 * (the `next` of the previous answer), with the `total` of all pages.
 */
export const PAGING: Record<'size' | 'cursor', Param> = {
  size: {
    type: count(1, 10_000, 100).optional(),
    label: 'Page size',
    help: 'rows per page',
    default: '100',
  },
  cursor: {
    type: text('web-01', 1024).optional(),
    label: 'Cursor',
    help: "where the page starts: the previous answer's next",
    default: 'the first page',
  },
};

/** The paging fields as a route's query string or a command's flags declare them (saved searches, alert rules and history page alike). */
export const PAGING_FIELDS = { size: PAGING.size.type, cursor: PAGING.cursor.type };
