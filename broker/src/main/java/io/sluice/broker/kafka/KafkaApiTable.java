package io.sluice.broker.kafka;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka door's dispatch table: for each API key, the versions served and the handler that serves them.
 * What is registered here is exactly what ApiVersions advertises; a request for anything else is answered
 * with UNSUPPORTED_VERSION.
 *
 * <p>Register every API before the broker starts listening ({@link #freeze()} is called then); lookups are
 * thread-safe after that.
 */
public final class KafkaApiTable
{
    /** Where a control-plane handler runs. */
    public enum Runs
    {
        /** On the event-loop thread that read the request: for handlers that only read snapshots or hand off. */
        EVENT_LOOP,
        /** On the conductor thread: for anything that changes the topic registry or other broker state. */
        CONDUCTOR
    }

    /** One API's row. */
    static final class Entry
    {
        final ApiKeys api;
        final short minVersion;
        final short maxVersion;
        final KafkaFrameApi frameApi;
        final KafkaControlApi controlApi;
        final Runs runs;
        short advertisedMinVersion;

        Entry(
            final ApiKeys api,
            final short minVersion,
            final short maxVersion,
            final KafkaFrameApi frameApi,
            final KafkaControlApi controlApi,
            final Runs runs)
        {
            this.api = api;
            this.minVersion = minVersion;
            this.maxVersion = maxVersion;
            this.frameApi = frameApi;
            this.controlApi = controlApi;
            this.runs = runs;
            this.advertisedMinVersion = minVersion;
        }

        boolean serves(final short version)
        {
            return version >= minVersion && version <= maxVersion;
        }
    }

    private final Entry[] entries;
    private volatile boolean frozen;

    public KafkaApiTable()
    {
        int maxId = 0;
        for (final ApiKeys api : ApiKeys.values())
        {
            maxId = Math.max(maxId, api.id);
        }
        entries = new Entry[maxId + 1];
    }

    /**
     * Serve versions {@code minVersion..maxVersion} of {@code api} straight from the frame, on the event loop.
     *
     * @throws IllegalStateException when the API is registered already or the table is frozen.
     */
    public void register(final ApiKeys api, final int minVersion, final int maxVersion, final KafkaFrameApi handler)
    {
        put(new Entry(api, (short)minVersion, (short)maxVersion, handler, null, null));
    }

    /**
     * Serve versions {@code minVersion..maxVersion} of {@code api} from Kafka's decoded request, on the
     * thread {@code runs} names. The range must lie within what kafka-clients can decode.
     *
     * @throws IllegalArgumentException when kafka-clients cannot decode the range.
     * @throws IllegalStateException    when the API is registered already or the table is frozen.
     */
    public void register(
        final ApiKeys api, final int minVersion, final int maxVersion, final Runs runs, final KafkaControlApi handler)
    {
        if (minVersion < api.oldestVersion() || maxVersion > api.latestVersion(true))
        {
            throw new IllegalArgumentException(api + " versions " + minVersion + ".." + maxVersion +
                " are outside what kafka-clients decodes (" + api.oldestVersion() + ".." + api.latestVersion(true) + ")");
        }
        put(new Entry(api, (short)minVersion, (short)maxVersion, null, handler, runs));
    }

    /**
     * Advertise {@code api} from an older version than it serves: Kafka's own quirk for Produce, whose
     * versions 0-2 it advertises (older librdkafka reads compression support from the range) but answers with
     * UNSUPPORTED_VERSION.
     */
    public void advertiseFrom(final ApiKeys api, final int advertisedMinVersion)
    {
        checkNotFrozen();
        final Entry entry = entries[api.id];
        if (entry == null)
        {
            throw new IllegalStateException(api + " is not registered");
        }
        entry.advertisedMinVersion = (short)advertisedMinVersion;
    }

    /** The row for {@code apiKey}, or null when that API is not served. */
    Entry entry(final int apiKey)
    {
        return apiKey >= 0 && apiKey < entries.length ? entries[apiKey] : null;
    }

    /** Every served API with its advertised version range, by key: the body of an ApiVersions answer. */
    public List<ApiVersionsResponseData.ApiVersion> advertised()
    {
        final List<ApiVersionsResponseData.ApiVersion> versions = new ArrayList<>();
        for (final Entry entry : entries)
        {
            if (entry != null)
            {
                versions.add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(entry.api.id)
                    .setMinVersion(entry.advertisedMinVersion)
                    .setMaxVersion(entry.maxVersion));
            }
        }
        return versions;
    }

    /** No more registrations: the advertised set is fixed from here on. */
    public void freeze()
    {
        frozen = true;
    }

    public boolean isFrozen()
    {
        return frozen;
    }

    private void put(final Entry entry)
    {
        checkNotFrozen();
        if (entry.minVersion > entry.maxVersion || entry.minVersion < 0)
        {
            throw new IllegalArgumentException(entry.api + ": bad version range " + entry.minVersion + ".." + entry.maxVersion);
        }
        if (entries[entry.api.id] != null)
        {
            throw new IllegalStateException(entry.api + " is registered already");
        }
        entries[entry.api.id] = entry;
    }

    private void checkNotFrozen()
    {
        if (frozen)
        {
            throw new IllegalStateException("the Kafka API table is frozen once the broker listens");
        }
    }
}
