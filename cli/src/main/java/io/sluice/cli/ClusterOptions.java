package io.sluice.cli;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the broker is and how long to wait for it: the options every networked command shares, and the Kafka
 * client settings they imply. Every client gets bounded timeouts, so a broker that is down or silent ends the
 * command with one line rather than a hang.
 */
public final class ClusterOptions
{
    /** The local broker's Kafka listener, as {@code bin/sluice server} starts it. */
    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    @Option(names = {"--bootstrap-server", "-b"}, paramLabel = "HOST:PORT[,HOST:PORT...]",
        defaultValue = DEFAULT_BOOTSTRAP, description = "Kafka listener(s) of the broker (default: ${DEFAULT-VALUE}).")
    String bootstrapServer;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
        description = "Give up on an unanswered broker after this long (default: ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Option(names = "--command-config", paramLabel = "FILE",
        description = "Kafka client properties to add (security settings, say).")
    Path commandConfig;

    public String bootstrapServer()
    {
        return bootstrapServer;
    }

    public int timeoutMs()
    {
        return timeoutMs;
    }

    /**
     * Fail at once, with a clear line, when nothing accepts connections at any bootstrap address: a client would
     * otherwise only report a timeout after {@code --timeout-ms}.
     */
    public void checkReachable()
    {
        String lastFailure = "no address given";
        for (final String address : bootstrapServer.split(","))
        {
            final String trimmed = address.trim();
            final int colon = trimmed.lastIndexOf(':');
            if (colon <= 0)
            {
                throw new CliFailure("bad --bootstrap-server '" + trimmed + "' (expected host:port)");
            }
            final int port;
            try
            {
                port = Integer.parseInt(trimmed.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new CliFailure("bad --bootstrap-server '" + trimmed + "' (expected host:port)");
            }
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress(trimmed.substring(0, colon), port), CONNECT_TIMEOUT_MS);
                return;
            }
            catch (final IOException ex)
            {
                lastFailure = trimmed + ": " + ex.getMessage();
            }
        }
        throw new CliFailure("cannot connect to the broker at " + lastFailure);
    }

    /** Settings every client shares: bootstrap, bounded timeouts, then the {@code --command-config} file. */
    public Properties clientProperties()
    {
        final Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(requestTimeoutMs()));
        properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        properties.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Integer.toString(CONNECT_TIMEOUT_MS));
        properties.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Integer.toString(CONNECT_TIMEOUT_MS));
        properties.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "sluice-cli");
        if (commandConfig != null)
        {
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
            catch (final IOException ex)
            {
                throw new CliFailure("cannot read --command-config " + commandConfig + ": " + ex.getMessage());
            }
        }
        return properties;
    }

    /** An Admin client on the broker, after {@link #checkReachable()}. */
    public Admin admin()
    {
        checkReachable();
        final Properties properties = clientProperties();
        properties.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-cli-admin");
        return Admin.create(properties);
    }

    /** Producer settings: metadata waits and deliveries bounded by {@code --timeout-ms} too. */
    public Properties producerProperties()
    {
        final Properties properties = clientProperties();
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(timeoutMs));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            Integer.toString(Math.max(timeoutMs, requestTimeoutMs() + 1_000)));
        return properties;
    }

    /** Consumer settings. */
    public Properties consumerProperties()
    {
        return clientProperties();
    }

    private int requestTimeoutMs()
    {
        return Math.max(1_000, Math.min(5_000, timeoutMs));
    }
}
