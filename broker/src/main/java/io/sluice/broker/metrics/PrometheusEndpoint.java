package io.sluice.broker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} in Prometheus's text format, served from the broker's counters by the JDK's HTTP server
 * on one thread of its own ({@code sluice-metrics}). It only reads counters, so a scrape never touches a shard
 * or a network thread; any other path gets 404.
 *
 * <p>{@link #start} and {@link #close} from one thread.
 */
public final class PrometheusEndpoint implements AutoCloseable
{
    public static final String PATH = "/metrics";

    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusEndpoint(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listen on {@code host:port} (port 0: one the OS picks) and serve {@code counters}.
     *
     * @throws IllegalStateException with one line naming the address when it cannot be bound.
     */
    public static PrometheusEndpoint start(final String host, final int port, final CountersReader counters)
    {
        final HttpServer server;
        try
        {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot listen for metrics on " + host + ":" + port + ": " + ex.getMessage(), ex);
        }
        final ExecutorService executor = Executors.newSingleThreadExecutor(task ->
        {
            final Thread thread = new Thread(task, "sluice-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, counters));
        server.start();
        return new PrometheusEndpoint(server, executor);
    }

    /** The bound port. */
    public int port()
    {
        return server.getAddress().getPort();
    }

    private static void serve(final HttpExchange exchange, final CountersReader counters) throws IOException
    {
        try (exchange)
        {
            final boolean get = "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod());
            if (!PATH.equals(exchange.getRequestURI().getPath()) || !get)
            {
                final byte[] body = ("not found; metrics are at GET " + PATH + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(get ? 404 : 405, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            final byte[] body = PrometheusEncoder.encode(CountersSnapshot.take(counters)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", PrometheusEncoder.CONTENT_TYPE);
            if ("HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    /** Stop listening and end the server's thread. */
    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}
