package io.sluice.broker.admin;

import io.sluice.broker.kafka.AdvertisedNode;
import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import org.apache.kafka.clients.admin.EndpointType;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.Errors;

import java.util.function.Consumer;

/**
 * DescribeCluster (versions 0-2): the cluster id (made once, kept in the data directory, so stable across
 * restarts), this node as the only broker and as the controller, never fenced. The Kafka listener is a broker
 * endpoint, so a request for controllers is answered as Kafka's brokers answer it (MISMATCHED_ENDPOINT_TYPE).
 *
 * <p>Thread-safe: reads only the advertised node; runs on the event loop.
 */
final class DescribeClusterHandler implements KafkaControlApi
{
    private final AdvertisedNode node;

    DescribeClusterHandler(final AdvertisedNode node)
    {
        this.node = node;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(DescribeClusterRequestData.class), request.apiVersion(), request::respond);
    }

    void handle(
        final DescribeClusterRequestData data, final short version, final Consumer<DescribeClusterResponseData> onResponse)
    {
        final EndpointType wanted = EndpointType.fromId(data.endpointType());
        if (wanted == EndpointType.UNKNOWN)
        {
            onResponse.accept(error(version == 0 ? Errors.INVALID_REQUEST : Errors.UNSUPPORTED_ENDPOINT_TYPE,
                "Unsupported endpoint type " + data.endpointType()));
            return;
        }
        if (wanted != EndpointType.BROKER)
        {
            onResponse.accept(error(version == 0 ? Errors.INVALID_REQUEST : Errors.MISMATCHED_ENDPOINT_TYPE,
                "The request was sent to an endpoint of type " + EndpointType.BROKER +
                ", but we wanted an endpoint of type " + wanted));
            return;
        }
        final DescribeClusterResponseData response = new DescribeClusterResponseData()
            .setThrottleTimeMs(0)
            .setErrorCode(Errors.NONE.code())
            .setErrorMessage(null)
            .setEndpointType(EndpointType.BROKER.id())
            .setClusterId(node.clusterId())
            .setControllerId(node.nodeId())
            .setClusterAuthorizedOperations(data.includeClusterAuthorizedOperations() ?
                AuthorizedOperations.CLUSTER : AuthorizedOperations.OMITTED);
        response.brokers().add(new DescribeClusterBroker()
            .setBrokerId(node.nodeId())
            .setHost(node.host())
            .setPort(node.port())
            .setRack(null)
            .setIsFenced(false));
        onResponse.accept(response);
    }

    private static DescribeClusterResponseData error(final Errors error, final String message)
    {
        return new DescribeClusterResponseData().setThrottleTimeMs(0).setErrorCode(error.code()).setErrorMessage(message);
    }
}
