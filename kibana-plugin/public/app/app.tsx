import { EuiPageTemplate, EuiTab, EuiTabs } from '@elastic/eui';
import { useEffect } from 'react';
import { PLUGIN_NAME } from '../../common';
import { ErrorBoundary } from './components/status';
import { useLink, useRoute } from './hooks';
import { formatRoute, type Route } from './routes';
import { CompareScreen } from './screens/compare';
import { FleetScreen } from './screens/fleet';
import { HostScreen } from './screens/host';
import { SavedScreen } from './screens/saved';

const TABS: { screen: Route['screen']; name: string; to: Route }[] = [
  { screen: 'fleet', name: 'Fleet', to: { screen: 'fleet', page: 1 } },
  // Shown only while a host is open: the tab links to that host.
  { screen: 'host', name: 'Host', to: { screen: 'host', host: '' } },
  { screen: 'compare', name: 'Compare', to: { screen: 'compare' } },
  { screen: 'saved', name: 'Saved searches & alerts', to: { screen: 'saved', tab: 'searches' } },
];

/**
 * The whole app: a tab per screen, the screen the URL names. `onRoute` hears
 * every route change (Kibana sets breadcrumbs and the document title from it).
 */
export function App({ onRoute }: { onRoute?: (route: Route) => void }) {
  const [route, navigate] = useRoute();
  const link = useLink();
  const key = formatRoute(route);
  useEffect(() => onRoute?.(route), [key]);
  return (
    <EuiPageTemplate restrictWidth={false} panelled>
      <EuiPageTemplate.Header pageTitle={PLUGIN_NAME} description="Files, /proc and packages of the whole fleet" bottomBorder>
        <EuiTabs>
          {TABS.filter((t) => t.screen !== 'host' || route.screen === 'host').map((t) => (
            <EuiTab
              key={t.screen}
              {...link(t.screen === 'host' ? route : t.to)}
              isSelected={route.screen === t.screen}
              data-test-subj={`tab-${t.screen}`}
            >
              {t.name}
            </EuiTab>
          ))}
        </EuiTabs>
      </EuiPageTemplate.Header>
      <EuiPageTemplate.Section>
        <ErrorBoundary title="This screen failed" resetKey={key}>
          {route.screen === 'fleet' && (
            <FleetScreen
              question={route.question}
              page={route.page}
              onQuestion={(question) => navigate({ screen: 'fleet', question, page: 1 })}
              onPage={(page) => navigate({ ...route, page })}
            />
          )}
          {route.screen === 'host' && <HostScreen route={route} navigate={navigate} />}
          {route.screen === 'compare' && <CompareScreen route={route} navigate={navigate} />}
          {route.screen === 'saved' && <SavedScreen tab={route.tab} />}
        </ErrorBoundary>
      </EuiPageTemplate.Section>
    </EuiPageTemplate>
  );
}
