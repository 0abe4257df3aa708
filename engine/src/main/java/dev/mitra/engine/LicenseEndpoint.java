package dev.mitra.engine;

import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import org.elasticsearch.client.node.NodeClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.BytesRestResponse;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestStatus;

/**
 * Answers GET /_license on the local engine the way a basic-licensed cluster does.
 *
 * The Apache-2.0 build of 7.10 has no licensing, so the endpoint does not exist
 * ("Invalid index name [_license]"), and Beats 7.13+ refuse to ship to a cluster
 * without it. Production clusters (8.x/9.x, any licence) have the real endpoint;
 * this only lets an unmodified Filebeat ship to the local engine.
 */
public final class LicenseEndpoint extends Plugin implements ActionPlugin {
    static final String BODY = "{\"license\":{\"status\":\"active\",\"uid\":\"mitra-local-engine\","
            + "\"type\":\"basic\",\"issued_to\":\"mitra-local\",\"issuer\":\"mitra local engine (no licensing: Apache-2.0 build)\","
            + "\"max_nodes\":1000,\"start_date_in_millis\":-1}}";

    @Override
    public List<RestHandler> getRestHandlers(final Settings settings, final RestController controller,
            final ClusterSettings clusterSettings, final IndexScopedSettings indexScopedSettings,
            final SettingsFilter settingsFilter, final IndexNameExpressionResolver resolver,
            final Supplier<DiscoveryNodes> nodes) {
        return Collections.singletonList(new BaseRestHandler() {
            @Override
            public String getName() {
                return "mitra_local_license";
            }

            @Override
            public List<Route> routes() {
                return Collections.singletonList(new Route(RestRequest.Method.GET, "/_license"));
            }

            @Override
            protected RestChannelConsumer prepareRequest(final RestRequest request, final NodeClient client) {
                return channel -> channel.sendResponse(new BytesRestResponse(RestStatus.OK, "application/json", BODY));
            }
        });
    }
}
