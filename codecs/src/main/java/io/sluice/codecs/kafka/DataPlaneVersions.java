package io.sluice.codecs.kafka;

/**
 * The Produce and Fetch versions Sluice's flyweights speak, and the version boundaries inside them, as the
 * JSON message schemas in kafka-clients declare them ({@code common/message/*.json}; a test checks these
 * constants against the schemas). Flexible versions use compact strings and arrays and carry tagged fields,
 * and their request and response headers are one version higher. Constants and pure functions; safe from any
 * thread.
 */
public final class DataPlaneVersions
{
    public static final short PRODUCE_API_KEY = 0;
    public static final short PRODUCE_MIN_VERSION = 3;
    public static final short PRODUCE_MAX_VERSION = 13;
    public static final short PRODUCE_FIRST_FLEXIBLE_VERSION = 9;
    public static final short PRODUCE_FIRST_TOPIC_ID_VERSION = 13;

    public static final short FETCH_API_KEY = 1;
    public static final short FETCH_MIN_VERSION = 4;
    public static final short FETCH_MAX_VERSION = 18;
    public static final short FETCH_FIRST_FLEXIBLE_VERSION = 12;
    public static final short FETCH_FIRST_TOPIC_ID_VERSION = 13;

    private DataPlaneVersions()
    {
    }

    /** Whether this class knows {@code apiVersion} of {@code apiKey}: Produce 3-13 or Fetch 4-18. */
    public static boolean isSupported(final int apiKey, final int apiVersion)
    {
        switch (apiKey)
        {
            case PRODUCE_API_KEY:
                return apiVersion >= PRODUCE_MIN_VERSION && apiVersion <= PRODUCE_MAX_VERSION;
            case FETCH_API_KEY:
                return apiVersion >= FETCH_MIN_VERSION && apiVersion <= FETCH_MAX_VERSION;
            default:
                return false;
        }
    }

    /** Whether a supported Produce or Fetch version is flexible (compact fields, tagged fields). */
    public static boolean isFlexible(final int apiKey, final int apiVersion)
    {
        return apiKey == PRODUCE_API_KEY ?
            apiVersion >= PRODUCE_FIRST_FLEXIBLE_VERSION : apiVersion >= FETCH_FIRST_FLEXIBLE_VERSION;
    }

    /**
     * The request header version a Produce or Fetch request carries: 2 for flexible versions, 1 otherwise.
     *
     * @return the header version, or -1 when the API or version is not one of {@link #isSupported}.
     */
    public static int requestHeaderVersion(final int apiKey, final int apiVersion)
    {
        if (!isSupported(apiKey, apiVersion))
        {
            return -1;
        }
        return isFlexible(apiKey, apiVersion) ? 2 : 1;
    }

    /**
     * The response header version of a Produce or Fetch response: 1 (with tagged fields) for flexible
     * versions, 0 otherwise.
     *
     * @return the header version, or -1 when the API or version is not one of {@link #isSupported}.
     */
    public static int responseHeaderVersion(final int apiKey, final int apiVersion)
    {
        if (!isSupported(apiKey, apiVersion))
        {
            return -1;
        }
        return isFlexible(apiKey, apiVersion) ? 1 : 0;
    }
}
