package io.sluice.client;

import io.sluice.codecs.sbe.ErrorResponseDecoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Request and response on the calling thread, for the control requests of the consumer and the admin client:
 * connect (or reconnect, with backoff) as needed, send, and wait for the response with the request's
 * correlation id. A request lost with its connection is sent again on the next one; after the request timeout
 * the call fails with {@link SluiceTimeoutException}; an {@code ErrorResponse} fails it with
 * {@link SluiceException}.
 *
 * <p>Not thread-safe: used by the one thread that owns the connection.
 */
final class RequestCaller
{
    private final NativeConnection connection;
    private final long timeoutNs;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ErrorResponseDecoder error = new ErrorResponseDecoder();
    private int correlationId;

    RequestCaller(final NativeConnection connection, final ClientContext context)
    {
        this.connection = connection;
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(context.requestTimeoutMs());
    }

    int nextCorrelationId()
    {
        return ++correlationId;
    }

    /** The correlation id of a response frame at {@code offset}, or -1 when it has none. */
    static int correlationId(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= MessageHeaderDecoder.ENCODED_LENGTH + Integer.BYTES ?
            buffer.getInt(offset + MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN) : -1;
    }

    /**
     * Send {@code frame} (size prefix included) and wait for its answer.
     *
     * @param what         names the request in exception messages.
     * @return the offset of the response's message header in {@link NativeConnection#buffer()}, valid until the
     *         connection next reads.
     * @throws SluiceTimeoutException when no answer comes within the request timeout.
     * @throws SluiceException        when the broker answers with an {@code ErrorResponse} or something unexpected.
     */
    int call(
        final ByteBuffer frame,
        final int correlationId,
        final int responseTemplateId,
        final String what)
    {
        return call(frame, correlationId, responseTemplateId, what, deadlineNs());
    }

    /** The deadline, on {@link System#nanoTime()}, of an exchange that starts now. */
    long deadlineNs()
    {
        return System.nanoTime() + timeoutNs;
    }

    /**
     * As {@link #call(ByteBuffer, int, int, String)}, by {@code deadlineNs} (see {@link #deadlineNs()}):
     * for a call that is one of several tries of one exchange.
     */
    int call(
        final ByteBuffer frame,
        final int correlationId,
        final int responseTemplateId,
        final String what,
        final long deadlineNs)
    {
        int sentOnEpoch = -1;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - deadlineNs >= 0)
            {
                throw new SluiceTimeoutException(what + " to " + connection.address() + " timed out after " +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms" +
                    (connection.isConnected() ? "" : " (" + connection.failure() + ")"));
            }
            if (!connection.connect(nowNs))
            {
                connection.await(deadlineNs - nowNs);
                continue;
            }
            if (sentOnEpoch != connection.epoch())
            {
                frame.rewind();
                connection.enqueue(frame);
                sentOnEpoch = connection.epoch();
            }
            if (connection.flush(nowNs) < 0 || connection.receive(nowNs) < 0)
            {
                continue;
            }
            int length;
            while ((length = connection.nextFrame()) >= 0)
            {
                final DirectBuffer buffer = connection.buffer();
                final int offset = connection.frameOffset();
                final int answered = correlationId(buffer, offset, length);
                if (answered != correlationId)
                {
                    continue; // the answer to a call that timed out or was sent on a connection since lost
                }
                header.wrap(buffer, offset);
                if (header.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
                {
                    error.wrapAndApplyHeader(buffer, offset, header);
                    final short code = error.errorCode();
                    throw new SluiceException(code, what + " failed with error " + code + ": " + error.message());
                }
                if (header.templateId() != responseTemplateId)
                {
                    throw new SluiceException(SluiceException.CLIENT_ERROR,
                        what + " was answered with template " + header.templateId());
                }
                return offset;
            }
            connection.await(deadlineNs - nowNs);
        }
    }
}
