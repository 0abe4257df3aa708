import { EuiCallOut, EuiPanel } from '@elastic/eui';
import type { CSSProperties } from 'react';

/** Colour for one line of a unified diff. */
export function lineKind(line: string): 'add' | 'remove' | 'hunk' | 'meta' | 'context' {
  if (line.startsWith('+++') || line.startsWith('---')) return 'meta';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'remove';
  return 'context';
}

const STYLE: Record<ReturnType<typeof lineKind>, CSSProperties> = {
  add: { background: '#e6ffec', color: '#1a7f37' },
  remove: { background: '#ffebe9', color: '#cf222e' },
  hunk: { color: '#0969da' },
  meta: { fontWeight: 600 },
  context: {},
};

/** A unified diff (`diff -u` text from the API), line by line. Loaded lazily with the screens that diff. */
export default function DiffView({ diff, identical }: { diff: string; identical: boolean }) {
  if (identical)
    return <EuiCallOut title="The two versions are identical" color="success" iconType="check" data-test-subj="diff-identical" />;
  return (
    <EuiPanel paddingSize="s" hasBorder data-test-subj="diff-view">
      <pre style={{ margin: 0, fontSize: 12, overflowX: 'auto' }} aria-label="unified diff">
        {diff.split('\n').map((line, i) => (
          <div key={i} style={STYLE[lineKind(line)]} data-diff-line={lineKind(line)}>
            {line || ' '}
          </div>
        ))}
      </pre>
    </EuiPanel>
  );
}
