package io.sluice.broker.kafka;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.BrokerLog;
import io.sluice.broker.control.ProducerIdAllocator;
import io.sluice.codecs.record.ErrorCodes;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;

import java.io.IOException;

/**
 * InitProducerId for idempotent producers, on the conductor thread: every call gets a fresh producer id with
 * epoch 0 (what Kafka gives a producer without a transactional id), unique across restarts. Transactional
 * producers are refused with UNSUPPORTED_VERSION until transactions exist.
 */
final class InitProducerIdApi implements KafkaControlApi
{
    private final ProducerIdAllocator producerIds;

    InitProducerIdApi(final ProducerIdAllocator producerIds)
    {
        this.producerIds = producerIds;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        final InitProducerIdRequestData data = request.data(InitProducerIdRequestData.class);
        final InitProducerIdResponseData response = new InitProducerIdResponseData()
            .setThrottleTimeMs(0)
            .setProducerId(-1)
            .setProducerEpoch((short)-1);
        if (data.transactionalId() != null)
        {
            request.respond(response.setErrorCode(BrokerErrorCodes.UNSUPPORTED_VERSION));
            return;
        }
        try
        {
            request.respond(response.setErrorCode(ErrorCodes.NONE).setProducerId(producerIds.allocate()).setProducerEpoch((short)0));
        }
        catch (final IOException ex)
        {
            BrokerLog.error("cannot reserve producer ids", ex);
            request.respond(response.setErrorCode(ErrorCodes.KAFKA_STORAGE_ERROR));
        }
    }
}
