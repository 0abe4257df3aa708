package dev.mitra.engine.opensearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Runs one OpenSearch node in this JVM, bound to 127.0.0.1 only: the
 * OpenSearch twin of engine/src/main/java/dev/mitra/engine/LocalEngine.java.
 *
 * Arguments: DATA_DIR HTTP_PORT. The runner loads its modules (ingest-common,
 * lang-painless, analysis-common, mapper-extras, reindex, ...) from the
 * classpath by class name. The process stays up until SIGTERM/SIGINT; the
 * shutdown hook then closes the node cleanly.
 *
 * System properties, both optional (the opensearch-ism flavour sets them):
 * -Dmitra.plugins=DIR copies DIR's plugin folders into the node's plugins/
 * before it starts. A plugin that extends another (ISM extends the job
 * scheduler) must be loaded from a folder with its descriptor: the runner's
 * classpath plugins carry no extended.plugins, so no extension would reach it.
 * -Dmitra.setting.KEY=VALUE adds a node setting, e.g. a plugin's own, which a
 * node without that plugin would refuse.
 */
public final class LocalOpenSearch {
    private LocalOpenSearch() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalOpenSearch DATA_DIR HTTP_PORT");
            System.exit(2);
        }
        final Path base = Paths.get(args[0]).toAbsolutePath();
        final int httpPort = Integer.parseInt(args[1]);
        Files.createDirectories(base);
        final String plugins = System.getProperty("mitra.plugins");
        if (plugins != null) {
            // The runner's node 1 lives in <base>/node_1 and loads plugins from its plugins/ folder.
            copyTree(Paths.get(plugins), base.resolve("node_1").resolve("plugins"));
        }

        final OpenSearchRunner runner = new OpenSearchRunner();
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
            // Node-to-node traffic only; any free port in the range will do.
            settings.put("transport.port", "9300-9399");
            settings.put("discovery.type", "single-node");
            // Left alone, the runner gives the node cluster_manager and data roles only: no ingest.
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            settings.put("node.name", "mitra-opensearch");
            settings.put("cluster.name", "mitra-opensearch");
            settings.put("action.auto_create_index", "true");
            // A developer disk is often fuller than a server's; don't go read-only at 90%.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            System.getProperties().stringPropertyNames().stream()
                    .filter(name -> name.startsWith("mitra.setting."))
                    .forEach(name -> settings.put(name.substring("mitra.setting.".length()), System.getProperty(name)));
        }).build(OpenSearchRunner.newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .clusterName("mitra-opensearch")
                .disableESLogger());
        runner.ensureYellow();
        System.out.println("mitra-engine: OpenSearch ready on http://127.0.0.1:" + httpPort);
        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }

    private static void copyTree(final Path from, final Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (final Path source : (Iterable<Path>) paths::iterator) {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
