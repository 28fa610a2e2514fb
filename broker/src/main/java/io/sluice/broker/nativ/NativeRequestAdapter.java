package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.BrokerLog;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.FrameHandler;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The native door's frame handler: checks each frame's SBE message header and dispatches by template id.
 * A frame too short for a header, another schema, a newer schema version than this broker knows, an unknown
 * template, a root block shorter than the template's, or a body that runs past the end of the frame is
 * answered with an {@code ErrorResponse} naming the problem, and the connection carries on serving.
 *
 * <p>Thread-safe: called concurrently by every event loop; the flyweights are per thread.
 */
final class NativeRequestAdapter implements FrameHandler
{
    static final int MAX_TEMPLATE_ID = 63;

    private final NativeApi[] apis = new NativeApi[MAX_TEMPLATE_ID + 1];
    private final int[] minBlockLengths = new int[MAX_TEMPLATE_ID + 1];
    private final String[] names = new String[MAX_TEMPLATE_ID + 1];
    private final NativeErrors errors;

    NativeRequestAdapter(final NativeErrors errors)
    {
        this.errors = errors;
    }

    /** Serve requests of {@code templateId}, whose root block is at least {@code blockLength} bytes. */
    void register(final int templateId, final int blockLength, final String name, final NativeApi api)
    {
        apis[templateId] = api;
        minBlockLengths[templateId] = blockLength;
        names[templateId] = name;
    }

    @Override
    public void onFrame(
        final Connection connection, final long requestSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        final NativeCodecs codecs = NativeCodecs.get();
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            errors.respond(connection, requestSeq, -1, 0, BrokerErrorCodes.INVALID_REQUEST,
                "frame of " + length + " bytes is shorter than the " + MessageHeaderDecoder.ENCODED_LENGTH +
                "-byte message header");
            return;
        }
        codecs.frame.wrap(buffer, offset, length);
        final MessageHeaderDecoder header = codecs.headerDecoder.wrap(codecs.frame, 0);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int correlationId = blockLength >= Integer.BYTES && length >= MessageHeaderDecoder.ENCODED_LENGTH + Integer.BYTES ?
            codecs.frame.getInt(MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN) : -1;
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            errors.respond(connection, requestSeq, -1, templateId, BrokerErrorCodes.INVALID_REQUEST,
                "schema id " + header.schemaId() + " is not the Sluice native protocol (" +
                MessageHeaderDecoder.SCHEMA_ID + ")");
            return;
        }
        if (header.version() > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            errors.respond(connection, requestSeq, correlationId, templateId, BrokerErrorCodes.UNSUPPORTED_VERSION,
                "schema version " + header.version() + " is newer than this broker's " +
                MessageHeaderDecoder.SCHEMA_VERSION);
            return;
        }
        final NativeApi api = templateId <= MAX_TEMPLATE_ID ? apis[templateId] : null;
        if (api == null)
        {
            errors.respond(connection, requestSeq, correlationId, templateId, BrokerErrorCodes.INVALID_REQUEST,
                "unknown request template " + templateId);
            return;
        }
        if (blockLength < minBlockLengths[templateId] ||
            MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            errors.respond(connection, requestSeq, correlationId, templateId, BrokerErrorCodes.INVALID_REQUEST,
                "malformed " + names[templateId] + ": root block of " + blockLength + " bytes in a frame of " + length);
            return;
        }
        try
        {
            api.onRequest(connection, requestSeq, codecs.frame, blockLength, header.version());
        }
        catch (final IndexOutOfBoundsException ex)
        {
            errors.respond(connection, requestSeq, correlationId, templateId, BrokerErrorCodes.INVALID_REQUEST,
                "malformed " + names[templateId] + ": its body runs past the end of the " + length + "-byte frame");
        }
        catch (final MalformedRequestException ex)
        {
            errors.respond(connection, requestSeq, correlationId, templateId, BrokerErrorCodes.INVALID_REQUEST,
                "malformed " + names[templateId] + ": " + ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            BrokerLog.error("serving native " + names[templateId] + " from " + connection.remoteAddress() + " failed", ex);
            connection.close("cannot serve native " + names[templateId] + ": " + ex);
        }
    }
}
