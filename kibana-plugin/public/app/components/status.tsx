import { EuiCallOut, EuiFlexGroup, EuiFlexItem, EuiLoadingSpinner, EuiText } from '@elastic/eui';
import { Component, type ReactNode } from 'react';
import type { Loaded } from '../hooks';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <EuiFlexGroup alignItems="center" gutterSize="s" responsive={false} data-test-subj="loading">
      <EuiFlexItem grow={false}>
        <EuiLoadingSpinner size="m" />
      </EuiFlexItem>
      <EuiFlexItem grow={false}>
        <EuiText size="s" color="subdued">
          {label}
        </EuiText>
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}

export function ErrorCallOut({ title = 'Request failed', error }: { title?: string; error: Error | string }) {
  return (
    <EuiCallOut title={title} color="danger" iconType="error" role="alert" data-test-subj="error-callout">
      <p>{typeof error === 'string' ? error : error.message}</p>
    </EuiCallOut>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <EuiCallOut title={title} color="primary" iconType="iInCircle" data-test-subj="empty-callout">
      {children}
    </EuiCallOut>
  );
}

/** Loading, error or the content: every async panel goes through this, so no state is left implicit. */
export function Async<T>({ state, children, loading }: { state: Loaded<T>; children: (data: T) => ReactNode; loading?: string }) {
  if (state.status === 'idle') return null;
  if (state.status === 'loading') return <Loading label={loading} />;
  if (state.status === 'error') return <ErrorCallOut error={state.error} />;
  return <>{children(state.data)}</>;
}

/**
 * Keeps a failing part (a chart in a browser without ResizeObserver, a screen
 * bug) from blanking the whole app: the rest stays usable and the failure is
 * said in one line. `resetKey` clears the failure when it changes (navigation).
 */
export class ErrorBoundary extends Component<{ title: string; resetKey?: string; children: ReactNode }, { error?: Error; key?: string }> {
  override state: { error?: Error; key?: string } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey?: string }, state: { error?: Error; key?: string }) {
    return props.resetKey === state.key ? null : { error: undefined, key: props.resetKey };
  }

  override render() {
    if (this.state.error) return <ErrorCallOut title={this.props.title} error={this.state.error} />;
    return this.props.children;
  }
}
