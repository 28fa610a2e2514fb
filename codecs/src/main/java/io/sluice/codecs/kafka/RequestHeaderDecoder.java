package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a Kafka request header (versions 0-2) at the start of a request frame:
 *
 * <pre>
 *   request_api_key     int16
 *   request_api_version int16
 *   correlation_id      int32
 *   client_id           nullable string, int16 length, even in v2 (v1+)
 *   tagged fields       (v2)
 * </pre>
 *
 * The client id is exposed as an offset and length into the wrapped buffer, never as a String.
 *
 * <p>Not thread-safe: one instance per thread, re-pointed with {@code wrap} for each frame. It does not own the
 * buffer, which must stay unchanged while fields are read.
 */
public final class RequestHeaderDecoder
{
    /** The part before the client id, the same in every version. */
    public static final int FIXED_LENGTH = 8;

    private final WireReader reader = new WireReader();
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int headerVersion;
    private short apiKey;
    private short apiVersion;
    private int correlationId;
    private int clientIdOffset;
    private int clientIdLength;
    private int headerLength;

    /**
     * Decode the header of a Produce or Fetch request, taking its version from
     * {@link DataPlaneVersions#requestHeaderVersion}.
     *
     * @return {@link ProtocolErrorCodes#NONE}; {@link ProtocolErrorCodes#UNSUPPORTED_VERSION} when the API or
     * version is not a supported Produce or Fetch one (then only {@link #apiKey()}, {@link #apiVersion()} and
     * {@link #correlationId()} are meaningful, and only if the frame holds {@link #FIXED_LENGTH} bytes; decode
     * the header with {@link #wrap(DirectBuffer, int, int, int)} or Kafka's classes); or
     * {@link ProtocolErrorCodes#INVALID_REQUEST} when the header is malformed.
     */
    public short wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        final short result = wrap(buffer, offset, length, 0);
        if (result != ProtocolErrorCodes.NONE)
        {
            return result;
        }
        final int version = DataPlaneVersions.requestHeaderVersion(apiKey, apiVersion);
        if (version < 0)
        {
            return ProtocolErrorCodes.UNSUPPORTED_VERSION;
        }
        return wrap(buffer, offset, length, version);
    }

    /**
     * Decode a request header of a known version, for example from Kafka's
     * {@code ApiKeys.requestHeaderVersion(short)}.
     *
     * @param headerVersion 0, 1 or 2.
     * @return {@link ProtocolErrorCodes#NONE}, {@link ProtocolErrorCodes#UNSUPPORTED_VERSION} for another
     * header version, or {@link ProtocolErrorCodes#INVALID_REQUEST} when the header is malformed (truncated,
     * a bad length, a bad tagged-field section); see {@link #malformedReason()}.
     */
    public short wrap(final DirectBuffer buffer, final int offset, final int length, final int headerVersion)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.headerVersion = headerVersion;
        clientIdOffset = 0;
        clientIdLength = -1;
        headerLength = 0;

        reader.wrap(buffer, offset, length);
        apiKey = reader.readInt16();
        apiVersion = reader.readInt16();
        correlationId = reader.readInt32();
        if (headerVersion < 0 || headerVersion > 2)
        {
            return ProtocolErrorCodes.UNSUPPORTED_VERSION;
        }
        if (headerVersion >= 1)
        {
            clientIdLength = reader.readStringLength(false, true);
            clientIdOffset = reader.position();
            reader.skip(clientIdLength);
        }
        if (headerVersion >= 2)
        {
            reader.skipTaggedFields();
        }
        if (reader.isMalformed())
        {
            return ProtocolErrorCodes.INVALID_REQUEST;
        }
        headerLength = reader.position() - offset;
        return ProtocolErrorCodes.NONE;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int headerVersion()
    {
        return headerVersion;
    }

    public short apiKey()
    {
        return apiKey;
    }

    public short apiVersion()
    {
        return apiVersion;
    }

    public int correlationId()
    {
        return correlationId;
    }

    /** Index in {@link #buffer()} of the client id's first byte. */
    public int clientIdOffset()
    {
        return clientIdOffset;
    }

    /** Length of the client id in bytes, or -1 when it is null (or the header version has none). */
    public int clientIdLength()
    {
        return clientIdLength;
    }

    /** Bytes of the header, tagged fields included. */
    public int headerLength()
    {
        return headerLength;
    }

    /** Index in {@link #buffer()} where the request body starts: what a body decoder wraps. */
    public int bodyOffset()
    {
        return offset + headerLength;
    }

    public int bodyLength()
    {
        return length - headerLength;
    }

    /** Why the last {@code wrap} returned {@link ProtocolErrorCodes#INVALID_REQUEST}, or null. */
    public String malformedReason()
    {
        return reader.malformedReason();
    }
}
