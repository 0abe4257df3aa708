package dev.mitra.engine.es9;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

/**
 * The two pieces of a regular Elasticsearch 9 distribution that the
 * integration-test distribution (the only 9.x build on Maven Central) leaves
 * out and that Mitra's verification cannot do without:
 *  - {@code GET /} (the rest-root module): every client, Mitra's included,
 *    starts with it to learn the server's version;
 *  - the analysis components the {@code .security} index is created with
 *    (from analysis-common): without them there are no native users, roles or
 *    API keys.
 * Nothing else: no ingest processors, no painless; Mitra must cope with their
 * absence as it would on a cluster that lacks them.
 */
public final class MissingModulesPlugin extends Plugin implements ActionPlugin, AnalysisPlugin {

    @Override
    public Collection<RestHandler> getRestHandlers(final Settings settings, final NamedWriteableRegistry namedWriteableRegistry,
            final RestController restController, final ClusterSettings clusterSettings, final IndexScopedSettings indexScopedSettings,
            final SettingsFilter settingsFilter, final IndexNameExpressionResolver indexNameExpressionResolver,
            final Supplier<DiscoveryNodes> nodesInCluster, final Predicate<NodeFeature> clusterSupportsFeature) {
        return List.of(new RootHandler(settings));
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "pattern_capture", AnalysisPlugin.requiresAnalysisSettings(SecurityIndexAnalysis::patternCapture),
                "unique", SecurityIndexAnalysis::unique,
                "lowercase", SecurityIndexAnalysis::lowercase);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("uax_url_email", SecurityIndexAnalysis::uaxUrlEmail);
    }
}
