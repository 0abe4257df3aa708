import { EuiPageTemplate, EuiTab, EuiTabs } from '@elastic/eui';
import { PLUGIN_NAME } from '../../common';
import { ErrorBoundary } from './components/status';
import { useRoute } from './hooks';
import { formatRoute, type Route } from './routes';
import { CompareScreen } from './screens/compare';
import { FleetScreen } from './screens/fleet';
import { HostScreen } from './screens/host';
import { SavedScreen } from './screens/saved';

const TABS: { screen: Route['screen']; name: string; href: string }[] = [
  { screen: 'fleet', name: 'Fleet', href: formatRoute({ screen: 'fleet', page: 1 }) },
  { screen: 'host', name: 'Host', href: '#/host' },
  { screen: 'compare', name: 'Compare', href: formatRoute({ screen: 'compare' }) },
  { screen: 'saved', name: 'Saved searches & alerts', href: formatRoute({ screen: 'saved', tab: 'searches' }) },
];

/** The whole app: a tab per screen, the screen the URL names. */
export function App() {
  const [route, navigate] = useRoute();
  return (
    <EuiPageTemplate restrictWidth={false} panelled>
      <EuiPageTemplate.Header pageTitle={PLUGIN_NAME} description="Files, /proc and packages of the whole fleet" bottomBorder>
        <EuiTabs>
          {TABS.filter((t) => t.screen !== 'host' || route.screen === 'host').map((t) => (
            <EuiTab key={t.screen} href={t.href} isSelected={route.screen === t.screen} data-test-subj={`tab-${t.screen}`}>
              {t.name}
            </EuiTab>
          ))}
        </EuiTabs>
      </EuiPageTemplate.Header>
      <EuiPageTemplate.Section>
        <ErrorBoundary title="This screen failed" resetKey={formatRoute(route)}>
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
