import { EuiProvider } from '@elastic/eui';
import { useEffect, useState, type FC, type PropsWithChildren } from 'react';
import type { KibanaRenderContextProviderProps } from '../../../../kibana-plugin/kibana_api/public';

/**
 * Stand-in for `@kbn/react-kibana-context-render` (Kibana lends it as
 * `__kbnSharedDeps__.KbnReactKibanaContextRender`): as read in
 * src/platform/packages/shared/react/kibana_context/{render/render_provider,root/root_provider,root/eui_provider}.tsx,
 * an EuiProvider whose color mode follows `theme.theme$` (darkMode) unless
 * `colorMode` is given, around `i18n.Context`. Kibana's also adds an error
 * boundary and analytics; the app needs neither.
 */
export const KibanaRenderContextProvider: FC<PropsWithChildren<KibanaRenderContextProviderProps>> = ({
  i18n,
  theme,
  colorMode,
  children,
}) => {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const sub = theme.theme$.subscribe((t) => setDark(t.darkMode));
    return () => sub.unsubscribe();
  }, [theme]);
  return (
    <EuiProvider colorMode={colorMode ?? (dark ? 'dark' : 'light')}>
      <i18n.Context>{children}</i18n.Context>
    </EuiProvider>
  );
};
