package io.sluice.codecs.kafka;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.sluice.codecs.kafka.KafkaWire.LEADING_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

class RequestHeaderDecoderTest
{
    private final RequestHeaderDecoder decoder = new RequestHeaderDecoder();

    @Test
    void shouldDecodeProduceAndFetchHeadersOfEverySupportedVersion()
    {
        for (final ApiKeys api : new ApiKeys[]{ ApiKeys.PRODUCE, ApiKeys.FETCH })
        {
            final ApiMessage body = api == ApiKeys.PRODUCE ? new ProduceRequestData() : new FetchRequestData();
            for (short version = api.oldestVersion(); version <= api.latestVersion(); version++)
            {
                final short headerVersion = api.requestHeaderVersion(version);
                final RequestHeaderData header = header(api, version, "clïent-" + version);
                final UnsafeBuffer frame = KafkaWire.frame(header, headerVersion, body, version);

                assertThat(decoder.wrap(frame, LEADING_BYTES, frame.capacity() - LEADING_BYTES))
                    .as("%s v%d", api, version).isEqualTo(ProtocolErrorCodes.NONE);
                assertThat(decoder.headerVersion()).isEqualTo(headerVersion);
                assertThat(decoder.apiKey()).isEqualTo(api.id);
                assertThat(decoder.apiVersion()).isEqualTo(version);
                assertThat(decoder.correlationId()).isEqualTo(0x7ABC_0000 + version);
                assertThat(KafkaWire.string(frame, decoder.clientIdOffset(), decoder.clientIdLength()))
                    .isEqualTo("clïent-" + version);
                final int headerLength = KafkaWire.bytes(header, headerVersion).length;
                assertThat(decoder.headerLength()).isEqualTo(headerLength);
                assertThat(decoder.bodyOffset()).isEqualTo(LEADING_BYTES + headerLength);
                assertThat(decoder.bodyLength()).isEqualTo(KafkaWire.bytes(body, version).length);
            }
        }
    }

    @Test
    void shouldAgreeWithKafkaOnHeaderVersions()
    {
        for (final ApiKeys api : new ApiKeys[]{ ApiKeys.PRODUCE, ApiKeys.FETCH })
        {
            for (short version = api.oldestVersion(); version <= api.latestVersion(); version++)
            {
                assertThat(DataPlaneVersions.requestHeaderVersion(api.id, version))
                    .isEqualTo(api.requestHeaderVersion(version));
                assertThat(DataPlaneVersions.responseHeaderVersion(api.id, version))
                    .isEqualTo(api.responseHeaderVersion(version));
            }
            assertThat(DataPlaneVersions.requestHeaderVersion(api.id, api.oldestVersion() - 1)).isEqualTo(-1);
            assertThat(DataPlaneVersions.requestHeaderVersion(api.id, api.latestVersion() + 1)).isEqualTo(-1);
        }
        assertThat(DataPlaneVersions.requestHeaderVersion(ApiKeys.METADATA.id, 12)).isEqualTo(-1);
    }

    @Test
    void shouldReadNullClientIdAndSkipUnknownTaggedFields()
    {
        final short version = 11;
        final RequestHeaderData header = header(ApiKeys.PRODUCE, version, null);
        header.unknownTaggedFields().add(new RawTaggedField(3, new byte[]{ 1, 2, 3 }));
        header.unknownTaggedFields().add(new RawTaggedField(700, new byte[200]));
        final UnsafeBuffer frame = KafkaWire.frame(header, (short)2, new ProduceRequestData(), version);

        assertThat(decoder.wrap(frame, LEADING_BYTES, frame.capacity() - LEADING_BYTES))
            .isEqualTo(ProtocolErrorCodes.NONE);
        assertThat(decoder.clientIdLength()).isEqualTo(-1);
        assertThat(decoder.headerLength()).isEqualTo(KafkaWire.bytes(header, (short)2).length);
    }

    @Test
    void shouldReportUnsupportedVersionButKeepTheFixedFieldsForOtherApis()
    {
        final short version = 12;
        final UnsafeBuffer frame = KafkaWire.frame(
            header(ApiKeys.METADATA, version, "admin"), (short)2, new MetadataRequestData(), version);
        final int length = frame.capacity() - LEADING_BYTES;

        assertThat(decoder.wrap(frame, LEADING_BYTES, length)).isEqualTo(ProtocolErrorCodes.UNSUPPORTED_VERSION);
        assertThat(decoder.apiKey()).isEqualTo(ApiKeys.METADATA.id);
        assertThat(decoder.apiVersion()).isEqualTo(version);
        assertThat(decoder.correlationId()).isEqualTo(0x7ABC_0000 + version);

        assertThat(decoder.wrap(frame, LEADING_BYTES, length, ApiKeys.METADATA.requestHeaderVersion(version)))
            .isEqualTo(ProtocolErrorCodes.NONE);
        assertThat(KafkaWire.string(frame, decoder.clientIdOffset(), decoder.clientIdLength())).isEqualTo("admin");
        assertThat(decoder.bodyLength()).isEqualTo(KafkaWire.bytes(new MetadataRequestData(), version).length);
    }

    @Test
    void shouldReportUnsupportedVersionForProduceVersionsBelowThree()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[]{ 0, 0, 0, 2, 0, 0, 0, 9, 0, 0 });

        assertThat(decoder.wrap(frame, 0, frame.capacity())).isEqualTo(ProtocolErrorCodes.UNSUPPORTED_VERSION);
        assertThat(decoder.correlationId()).isEqualTo(9);
        assertThat(decoder.wrap(frame, 0, frame.capacity(), 3)).isEqualTo(ProtocolErrorCodes.UNSUPPORTED_VERSION);
    }

    @Test
    void shouldRefuseEveryTruncationWithoutReadingPastTheEnd()
    {
        for (final short version : new short[]{ 8, 9 })
        {
            final short headerVersion = ApiKeys.PRODUCE.requestHeaderVersion(version);
            final RequestHeaderData header = header(ApiKeys.PRODUCE, version, "truncated");
            if (headerVersion == 2)
            {
                header.unknownTaggedFields().add(new RawTaggedField(1, new byte[]{ 4, 5 }));
            }
            final byte[] bytes = KafkaWire.bytes(header, headerVersion);
            for (int length = 0; length < bytes.length; length++)
            {
                final UnsafeBuffer exact = new UnsafeBuffer(bytes, 0, length);
                assertThat(decoder.wrap(exact, 0, length)).as("v%d length %d", version, length)
                    .isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
                assertThat(decoder.malformedReason()).isNotNull();
            }
            assertThat(decoder.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isEqualTo(ProtocolErrorCodes.NONE);
            assertThat(decoder.malformedReason()).isNull();
        }
    }

    @Test
    void shouldRefuseAWindowOutsideTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);

        assertThat(decoder.wrap(buffer, 10, 20, 1)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.wrap(buffer, -1, 8, 1)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.wrap(buffer, 0, -8, 1)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
    }

    @Test
    void shouldSurviveRandomBytes()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (bytes.length > 3)
            {
                bytes[0] = 0;
                bytes[1] = (byte)random.nextInt(2);
                bytes[2] = 0;
                bytes[3] = (byte)(3 + random.nextInt(16));
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            final short result = decoder.wrap(buffer, 0, bytes.length);
            assertThat(result).isIn(
                ProtocolErrorCodes.NONE, ProtocolErrorCodes.INVALID_REQUEST, ProtocolErrorCodes.UNSUPPORTED_VERSION);
            if (result == ProtocolErrorCodes.NONE)
            {
                assertThat(decoder.bodyOffset()).isBetween(RequestHeaderDecoder.FIXED_LENGTH, bytes.length);
            }
        }
    }

    private static RequestHeaderData header(final ApiKeys api, final short version, final String clientId)
    {
        return new RequestHeaderData()
            .setRequestApiKey(api.id)
            .setRequestApiVersion(version)
            .setCorrelationId(0x7ABC_0000 + version)
            .setClientId(clientId);
    }
}
