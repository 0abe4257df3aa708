import type { Criteria } from '@elastic/eui';

/** EuiBasicTable's onChange, reduced to the 1-based page the screens keep (in the URL or in state). */
export const onPageChange =
  <T>(setPage: (page: number) => void) =>
  ({ page }: Criteria<T>) => {
    if (page) setPage(page.index + 1);
  };
