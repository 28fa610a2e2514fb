package io.sluice.broker.group;

import io.sluice.broker.kafka.AdvertisedNode;
import io.sluice.broker.kafka.KafkaControlRequest;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.function.Consumer;

/**
 * FindCoordinator (v0-6), on the coordinator thread: this broker coordinates every group. Before
 * {@code __consumer_offsets} exists the first group lookup creates it and the answer waits for that (as a
 * Metadata request waits for an auto-created topic), so clients need not retry. Transaction keys get
 * UNSUPPORTED_VERSION (a transactional producer then fails at once with that cause rather than retrying for
 * ever), share-group keys INVALID_REQUEST (no share coordinator), as Kafka answers without one. Versions 4+
 * answer many keys at once.
 */
final class FindCoordinatorApi
{
    static final int MAX_VERSION = 6;
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;
    private static final byte SHARE = 2;
    private static final int BATCH_MIN_VERSION = 4;

    /** Makes sure the offsets topic exists, then runs the callback with NONE or why it cannot. */
    interface OffsetsTopicReady
    {
        void whenReady(Consumer<Errors> callback);
    }

    private final AdvertisedNode node;
    private final OffsetsTopicReady offsetsTopic;

    FindCoordinatorApi(final AdvertisedNode node, final OffsetsTopicReady offsetsTopic)
    {
        this.node = node;
        this.offsetsTopic = offsetsTopic;
    }

    void onRequest(final KafkaControlRequest request)
    {
        final FindCoordinatorRequestData data = request.data(FindCoordinatorRequestData.class);
        final short version = request.apiVersion();
        final byte keyType = data.keyType();
        final Errors keyError = keyError(keyType);
        if (keyError != Errors.NONE)
        {
            request.respond(response(data, version, keyError, message(keyError)));
            return;
        }
        offsetsTopic.whenReady(error -> request.respond(response(data, version, error,
            error == Errors.NONE ? null : "the group coordinator is not available yet")));
    }

    private static Errors keyError(final byte keyType)
    {
        return switch (keyType)
        {
            case GROUP -> Errors.NONE;
            case TRANSACTION -> Errors.UNSUPPORTED_VERSION;
            // Share keys are invalid before v6, and without a share coordinator Kafka refuses them from v6 too.
            case SHARE -> Errors.INVALID_REQUEST;
            default -> Errors.INVALID_REQUEST;
        };
    }

    private static String message(final Errors error)
    {
        return error == Errors.UNSUPPORTED_VERSION ? "transactions are not supported by this broker yet" :
            "only consumer group coordinators are served by this broker";
    }

    private FindCoordinatorResponseData response(
        final FindCoordinatorRequestData data, final short version, final Errors error, final String message)
    {
        final boolean ok = error == Errors.NONE;
        final FindCoordinatorResponseData response = new FindCoordinatorResponseData().setThrottleTimeMs(0);
        if (version < BATCH_MIN_VERSION)
        {
            return response
                .setErrorCode(error.code())
                .setErrorMessage(ok ? null : message)
                .setNodeId(ok ? node.nodeId() : -1)
                .setHost(ok ? node.host() : "")
                .setPort(ok ? node.port() : -1);
        }
        final List<String> keys = data.coordinatorKeys();
        for (final String key : keys)
        {
            response.coordinators().add(new Coordinator()
                .setKey(key)
                .setErrorCode(error.code())
                .setErrorMessage(ok ? null : message)
                .setNodeId(ok ? node.nodeId() : -1)
                .setHost(ok ? node.host() : "")
                .setPort(ok ? node.port() : -1));
        }
        return response;
    }
}
