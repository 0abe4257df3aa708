package dev.mitra.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Runs one Elasticsearch node in this JVM, bound to 127.0.0.1 only.
 *
 * Arguments: DATA_DIR HTTP_PORT for a single-node cluster, or
 * DATA_DIR HTTP_PORT TRANSPORT_PORT CLUSTER_NAME NODE_NAME SEED_HOSTS INITIAL_MASTERS
 * for one node of a multi-node cluster (one JVM per node, so one node can be
 * killed on its own). The process stays up until it receives SIGTERM/SIGINT;
 * the cluster runner's shutdown hook then closes the node, so a plain kill
 * leaves no lock files behind.
 */
public final class LocalEngine {
    private LocalEngine() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 2 && args.length != 7) {
            System.err.println("usage: LocalEngine DATA_DIR HTTP_PORT"
                    + " [TRANSPORT_PORT CLUSTER_NAME NODE_NAME SEED_HOSTS INITIAL_MASTERS]");
            System.exit(2);
        }
        final Path base = Paths.get(args[0]).toAbsolutePath();
        final int httpPort = Integer.parseInt(args[1]);
        final boolean single = args.length == 2;
        final String clusterName = single ? "mitra-local" : args[3];
        Files.createDirectories(base);

        final ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                System.err.println("engine: close failed: " + e.getMessage());
            }
        }));
        runner.onBuild((number, settings) -> {
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(httpPort));
            if (single) {
                // The transport port is only for node-to-node traffic; any free one will do.
                settings.put("transport.tcp.port", "9300-9399");
                settings.put("discovery.type", "single-node");
                settings.put("node.name", "mitra-local");
            } else {
                // Fixed ports: the other nodes find this one through the seed list.
                settings.put("transport.tcp.port", args[2]);
                settings.put("node.name", args[4]);
                settings.putList("discovery.seed_hosts", args[5].split(","));
                settings.putList("cluster.initial_master_nodes", args[6].split(","));
            }
            // Left alone, the runner gives the node master and data roles only: no ingest.
            settings.putList("node.roles", "master", "data", "ingest");
            settings.put("cluster.name", clusterName);
            settings.put("action.auto_create_index", "true");
            // A developer disk is often fuller than a server's; don't go read-only at 90%.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        }).build(ElasticsearchClusterRunner.newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .clusterName(clusterName)
                .pluginTypes(LicenseEndpoint.class.getName())
                .disableESLogger());
        // A node of a larger cluster is not ready alone: the launcher waits for the whole cluster.
        if (single) {
            runner.ensureYellow();
        }
        System.out.println("mitra-engine: ready on http://127.0.0.1:" + httpPort);
        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }
}
