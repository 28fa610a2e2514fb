package io.sluice.broker.admin;

/**
 * The BROKER config resource's name rule: empty (cluster-wide defaults) or this node's id, as Kafka requires
 * of a broker describing or altering its own configs. Stateless.
 */
final class BrokerResources
{
    private BrokerResources()
    {
    }

    /** Why {@code name} (not empty) does not name node {@code nodeId}, or null when it does. */
    static String wrongNodeReason(final String name, final int nodeId)
    {
        final int brokerId;
        try
        {
            brokerId = Integer.parseInt(name);
        }
        catch (final NumberFormatException ex)
        {
            return "Broker id must be an integer, but it is: " + name;
        }
        if (brokerId != nodeId)
        {
            return "Unexpected broker id, expected " + nodeId + " or empty string, but received " + name;
        }
        return null;
    }
}
