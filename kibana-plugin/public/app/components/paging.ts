import type { Criteria } from '@elastic/eui';
import { useRef } from 'react';

/** EuiBasicTable's onChange, reduced to the 1-based page the screens keep (in the URL or in state). */
export const onPageChange =
  <T>(setPage: (page: number) => void) =>
  ({ page }: Criteria<T>) => {
    if (page) setPage(page.index + 1);
  };

/** The cursor of each page seen (page 1 has none): page number → the `next` of the page before. */
export type Cursors = Map<number, string | undefined>;

/**
 * Page `page` of a list the server pages by cursor (the questions, saved
 * searches, alert rules and history): each answer's `next` is the cursor of
 * the page after it, remembered in `cursors`, so going back or forward asks
 * one page; a jump past the known pages walks to it (past the last page, the
 * last page).
 */
export async function pageByCursor<T extends { next?: string }>(
  ask: (cursor: string | undefined) => Promise<T>,
  page: number,
  cursors: Cursors,
): Promise<T> {
  const at = async (p: number) => {
    const body = await ask(cursors.get(p));
    cursors.set(p + 1, body.next);
    return body;
  };
  // The nearest known page at or before `page`, from the pages known (a page number from the URL can be 10^14).
  let known = 1;
  for (const p of cursors.keys()) if (p <= page && p > known) known = p;
  for (let p = known; p < page; p++) if ((await at(p)).next === undefined) return at(p);
  return at(page);
}

/** The cursors of one list, kept across renders; another `key` (a new question) starts afresh. */
export function useCursors(key: string | null): Cursors {
  const ref = useRef<{ key: string | null; pages: Cursors }>({ key, pages: new Map() });
  if (ref.current.key !== key) ref.current = { key, pages: new Map() };
  return ref.current.pages;
}
