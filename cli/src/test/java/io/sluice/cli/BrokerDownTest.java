package io.sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** With no broker listening, every networked command says so in one line and exits 1, at once. */
@Timeout(60)
class BrokerDownTest
{
    @Test
    void shouldFailFastWithOneLineWhenNoBrokerListens() throws IOException
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        final String bootstrap = "127.0.0.1:" + port;
        for (final String[] command : new String[][] {
            {"topics", "list"}, {"topics", "create", "t"}, {"topics", "describe", "t"}, {"produce", "t"},
            {"consume", "t"}, {"groups", "list"}, {"groups", "describe", "g"}})
        {
            final long startNs = System.nanoTime();
            final CliBroker.Result result = CliBroker.cli(concat(command, "--bootstrap-server", bootstrap));
            final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
            assertThat(result.status()).as(String.join(" ", command)).isEqualTo(1);
            assertThat(result.errLines()).isEqualTo(1);
            assertThat(result.err()).contains("cannot connect to the broker at " + bootstrap);
            assertThat(tookMs).as("took %d ms", tookMs).isLessThan(10_000);
        }
    }

    @Test
    void shouldGiveUpOnASilentBrokerAfterTheTimeout() throws IOException
    {
        // Accepts connections, never answers: the client timeouts bound the wait.
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()))
        {
            final CliBroker.Result result = CliBroker.cli(
                "topics", "list", "--bootstrap-server", "127.0.0.1:" + silent.getLocalPort(), "--timeout-ms", "2000");
            assertThat(result.status()).isEqualTo(1);
            assertThat(result.errLines()).isEqualTo(1);
            assertThat(result.err()).startsWith("sluice topics list: the broker did not answer in time");
        }
    }

    private static String[] concat(final String[] command, final String... more)
    {
        final String[] all = new String[command.length + more.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }
}
