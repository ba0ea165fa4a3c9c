package aidgraph.testserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * A real Neo4j for aidgraph's tests: Neo4j's test harness, in process, with Bolt on
 * 127.0.0.1:PORT, authentication off and no HTTP server. Prints "ready bolt://127.0.0.1:PORT"
 * once Bolt accepts connections and stops cleanly on SIGTERM (its data live in a temporary
 * folder that is removed on stop).
 */
public final class Server {
    private Server() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Server PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path work = Files.createTempDirectory("aidgraph-neo4j-");
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(work)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                // a test session's server stops in about a second instead of Bolt's graceful 15 s
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                neo4j.close();
                removeTree(work);
            } finally {
                stopped.countDown();
            }
        }, "aidgraph-neo4j-stop"));
        System.out.println("ready bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static void removeTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not remove " + root + ": " + e);
        }
    }
}
