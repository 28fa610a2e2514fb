package io.sluice.broker.nativ;

import io.sluice.broker.BrokerLog;
import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.control.ProducerIdAllocator;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.InitProducerIdRequestDecoder;
import io.sluice.codecs.sbe.InitProducerIdResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.io.IOException;

/**
 * A fresh idempotent producer id with epoch 0, on the conductor thread, from the same allocator as the Kafka
 * door's InitProducerId, so ids are unique across both doors and across restarts.
 *
 * <p>Thread-safe.
 */
final class NativeInitProducerIdApi implements NativeApi
{
    private final ProducerIdAllocator producerIds;
    private final BrokerConductor conductor;
    private final ResponseFramePool frames;

    NativeInitProducerIdApi(
        final ProducerIdAllocator producerIds, final BrokerConductor conductor, final ResponseFramePool frames)
    {
        this.producerIds = producerIds;
        this.conductor = conductor;
        this.frames = frames;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final int correlationId = NativeCodecs.get().initProducerIdRequest
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version).correlationId();
        conductor.submit(() -> serve(connection, requestSeq, correlationId));
    }

    private void serve(final Connection connection, final long requestSeq, final int correlationId)
    {
        long producerId = -1;
        short errorCode = ErrorCodes.NONE;
        try
        {
            producerId = producerIds.allocate();
        }
        catch (final IOException ex)
        {
            BrokerLog.error("cannot reserve producer ids", ex);
            errorCode = ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final InitProducerIdResponseEncoder response = codecs.initProducerIdResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(correlationId)
            .errorCode(errorCode)
            .producerId(producerId)
            .producerEpoch(errorCode == ErrorCodes.NONE ? (short)0 : (short)-1);
        connection.respond(requestSeq, NativeCodecs.finish(frame, response.encodedLength()));
    }
}
