package io.sluice.broker.kafka;

/**
 * This broker as Kafka clients are told about it: node id, cluster id, and the host and port of the Kafka
 * listener they should connect to. The address is known only once the listener is bound (port 0 picks one),
 * so it is set then. Thread-safe.
 */
public final class AdvertisedNode
{
    private final int nodeId;
    private final String clusterId;
    private volatile String host = "";
    private volatile int port = -1;

    public AdvertisedNode(final int nodeId, final String clusterId)
    {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public String clusterId()
    {
        return clusterId;
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    /** Set the address clients are sent to, once the listener is bound. */
    public void address(final String host, final int port)
    {
        this.host = host;
        this.port = port;
    }
}
