package io.sluice.transport;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class FileRegionTest
{
    private static final int FILE_LENGTH = 4 * 1024 * 1024;
    private static final int SOCKET_BUFFER_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private byte[] fileBytes;
    private FileChannel file;
    private Transport transport;

    @BeforeEach
    void writeFile() throws Exception
    {
        fileBytes = new byte[FILE_LENGTH];
        new Random(7).nextBytes(fileBytes);
        final Path path = dir.resolve("segment.log");
        Files.write(path, fileBytes);
        file = FileChannel.open(path, StandardOpenOption.READ);
    }

    @AfterEach
    void close() throws Exception
    {
        if (null != transport)
        {
            transport.close();
        }
        file.close();
    }

    @Test
    void shouldSpliceFileRegionsLargerThanTheSocketBufferBetweenResponseBytes() throws Exception
    {
        final Listener listener = start(new SplicingHandler());

        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(ascii("go"));
            client.send(ascii("go"));

            final byte[] expected = expectedSplice();
            assertThat(client.receive()).isEqualTo(expected);
            assertThat(client.receive()).isEqualTo(expected);
        }
        assertThat(logLines).isEmpty();
    }

    /** Small regions are read into the frame (one write); with the limit at 0 they go by sendfile like large ones. */
    @ParameterizedTest(name = "inline up to {0} bytes")
    @ValueSource(ints = {0, TransportContext.INLINE_REGION_MAX_BYTES_DEFAULT})
    void shouldSpliceSmallRegionsBetweenResponseBytesEitherWay(final int inlineMaxBytes) throws Exception
    {
        final Listener listener = start((connection, seq, buffer, offset, length) ->
        {
            final ResponseFrame response = transport.responseFramePool().acquire();
            response.addRegion(0, file, 7, 3000);
            response.buffer().putBytes(0, ascii("HEAD"));
            response.addRegion(4, file, 9000, 0);
            response.addRegion(4, file, 20_000, 5000);
            response.buffer().putBytes(4, ascii("MID"));
            response.addRegion(7, file, FILE_LENGTH - 8000, 8000);
            response.buffer().putBytes(7, ascii("TAIL"));
            response.length(11);
            connection.respond(seq, response);
        }, inlineMaxBytes);

        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(fileBytes, 7, 3000);
        expected.writeBytes(ascii("HEAD"));
        expected.write(fileBytes, 20_000, 5000);
        expected.writeBytes(ascii("MID"));
        expected.write(fileBytes, FILE_LENGTH - 8000, 8000);
        expected.writeBytes(ascii("TAIL"));
        try (FrameClient client = new FrameClient(listener.port()))
        {
            for (int i = 0; i < 3; i++)
            {
                client.send(ascii("go"));
                assertThat(client.receive()).isEqualTo(expected.toByteArray());
            }
        }
        assertThat(logLines).isEmpty();
    }

    @Test
    void shouldTurnAFrameWithRegionsIntoBytesOnlyInTheirPlaces() throws Exception
    {
        final ResponseFrame frame = new ResponseFrame(8);
        frame.buffer().putBytes(0, ascii("ABCD"));
        frame.length(4);
        frame.addRegion(0, file, 100, 3).addRegion(2, file, 200, 0).addRegion(2, file, 300, 5).addRegion(4, file, 7, 2);
        final long frameLength = frame.frameLength();

        frame.inlineRegions();

        assertThat(frame.regionCount()).isZero();
        assertThat(frame.regionBytes()).isZero();
        assertThat(frame.length()).isEqualTo(frameLength);
        final byte[] bytes = new byte[frame.length()];
        frame.buffer().getBytes(0, bytes);
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(fileBytes, 100, 3);
        expected.writeBytes(ascii("AB"));
        expected.write(fileBytes, 300, 5);
        expected.writeBytes(ascii("CD"));
        expected.write(fileBytes, 7, 2);
        assertThat(bytes).isEqualTo(expected.toByteArray());
    }

    @ParameterizedTest(name = "inline up to {0} bytes")
    @ValueSource(ints = {0, TransportContext.INLINE_REGION_MAX_BYTES_DEFAULT})
    void shouldSendResponseMadeOnlyOfARegion(final int inlineMaxBytes) throws Exception
    {
        final Listener listener = start((connection, seq, buffer, offset, length) ->
        {
            final ResponseFrame response = transport.responseFramePool().acquire();
            response.addRegion(0, file, 10, 1000);
            connection.respond(seq, response);
        }, inlineMaxBytes);

        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(ascii("go"));
            assertThat(client.receive()).isEqualTo(Arrays.copyOfRange(fileBytes, 10, 1010));
        }
    }

    @ParameterizedTest(name = "inline up to {0} bytes")
    @ValueSource(ints = {0, TransportContext.INLINE_REGION_MAX_BYTES_DEFAULT})
    void shouldCloseConnectionWhenARegionRunsPastTheEndOfItsFile(final int inlineMaxBytes) throws Exception
    {
        final Listener listener = start((connection, seq, buffer, offset, length) ->
        {
            final ResponseFrame response = transport.responseFramePool().acquire();
            response.buffer().putBytes(0, ascii("HEAD"));
            response.length(4);
            response.addRegion(4, file, FILE_LENGTH - 100, 200);
            connection.respond(seq, response);
        }, inlineMaxBytes);

        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(ascii("go"));
            assertThat(client.awaitClosedByServer(10_000)).isTrue();
        }
        Await.until("one log line", () -> logLines.size() == 1);
        assertThat(logLines.get(0)).contains("past the end of its file");
    }

    private Listener start(final FrameHandler handler)
    {
        return start(handler, TransportContext.INLINE_REGION_MAX_BYTES_DEFAULT);
    }

    private Listener start(final FrameHandler handler, final int inlineMaxBytes)
    {
        transport = new Transport(new TransportContext()
            .eventLoopCount(1)
            .inlineRegionMaxBytes(inlineMaxBytes)
            .socketSendBufferBytes(SOCKET_BUFFER_BYTES)
            .log(logLines::add));
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, handler);
        transport.start();
        return listener;
    }

    private byte[] expectedSplice()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("HEAD"));
        out.write(fileBytes, 100, 3 * 1024 * 1024);
        out.writeBytes(ascii("MID"));
        out.write(fileBytes, 0, 10);
        out.write(fileBytes, 5000, 0);
        out.write(fileBytes, 20, 30);
        out.writeBytes(ascii("TAIL"));
        return out.toByteArray();
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** HEAD, 3 MiB of the file, MID, two regions back to back (one empty), another region, TAIL. */
    private final class SplicingHandler implements FrameHandler
    {
        @Override
        public void onFrame(
            final Connection connection, final long requestSeq, final DirectBuffer buffer, final int offset, final int length)
        {
            final ResponseFrame response = transport.responseFramePool().acquire();
            response.buffer().putBytes(0, ascii("HEADMIDTAIL"));
            response.length(11);
            response.addRegion(4, file, 100, 3 * 1024 * 1024);
            response.addRegion(7, file, 0, 10);
            response.addRegion(7, file, 5000, 0);
            response.addRegion(7, file, 20, 30);
            connection.respond(requestSeq, response);
        }
    }
}
