package io.sluice.broker;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Sends the broker log of each test to memory, for assertions on what the broker said, and back to standard out
 * after the test (after its own {@code @AfterEach} methods, so a broker they close still logs here). Register with
 * {@code @RegisterExtension}.
 */
final class BrokerLogCapture implements BeforeEachCallback, AfterEachCallback
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        bytes.reset();
        BrokerLog.output(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        BrokerLog.output(System.out);
    }

    /** Everything logged since the test began. */
    String text()
    {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
