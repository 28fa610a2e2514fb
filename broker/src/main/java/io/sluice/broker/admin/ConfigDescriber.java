package io.sluice.broker.admin;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.topic.TopicConfigs;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes topic and broker configs the way Kafka's DescribeConfigs does: the effective value, where it comes
 * from (a topic override, the broker's properties file, or the built-in default), the chain of synonyms that
 * could have supplied it in precedence order, and the value's type. Sluice has no dynamic broker configs, so
 * every broker config is read-only and every topic config is alterable.
 *
 * <p>Stateless apart from the broker config it reads; thread-safe.
 */
final class ConfigDescriber
{
    /** Topic configs whose broker default has more than one broker property, highest precedence first. */
    private static final Map<String, List<String>> TOPIC_SYNONYMS = Map.of(
        TopicConfigs.SEGMENT_MS, List.of(BrokerConfig.LOG_ROLL_MS, BrokerConfig.LOG_ROLL_HOURS),
        TopicConfigs.RETENTION_MS, List.of(
            BrokerConfig.LOG_RETENTION_MS, BrokerConfig.LOG_RETENTION_MINUTES, BrokerConfig.LOG_RETENTION_HOURS));

    private static final Map<String, ConfigType> TOPIC_TYPES = new HashMap<>();
    private static final Map<String, ConfigType> BROKER_TYPES = new HashMap<>();

    static
    {
        TOPIC_TYPES.put(TopicConfigs.CLEANUP_POLICY, ConfigType.LIST);
        TOPIC_TYPES.put(TopicConfigs.COMPRESSION_TYPE, ConfigType.STRING);
        TOPIC_TYPES.put(TopicConfigs.FILE_DELETE_DELAY_MS, ConfigType.LONG);
        TOPIC_TYPES.put(TopicConfigs.FLUSH_MESSAGES, ConfigType.LONG);
        TOPIC_TYPES.put(TopicConfigs.FLUSH_MS, ConfigType.LONG);
        TOPIC_TYPES.put(TopicConfigs.INDEX_INTERVAL_BYTES, ConfigType.INT);
        TOPIC_TYPES.put(TopicConfigs.MAX_MESSAGE_BYTES, ConfigType.INT);
        TOPIC_TYPES.put(TopicConfigs.MESSAGE_TIMESTAMP_TYPE, ConfigType.STRING);
        TOPIC_TYPES.put(TopicConfigs.MIN_INSYNC_REPLICAS, ConfigType.INT);
        TOPIC_TYPES.put(TopicConfigs.RETENTION_BYTES, ConfigType.LONG);
        TOPIC_TYPES.put(TopicConfigs.RETENTION_MS, ConfigType.LONG);
        TOPIC_TYPES.put(TopicConfigs.SEGMENT_BYTES, ConfigType.INT);
        TOPIC_TYPES.put(TopicConfigs.SEGMENT_INDEX_BYTES, ConfigType.INT);
        TOPIC_TYPES.put(TopicConfigs.SEGMENT_MS, ConfigType.LONG);

        for (final String key : List.of(
            BrokerConfig.LISTENERS, BrokerConfig.ADVERTISED_LISTENERS, BrokerConfig.LOG_DIRS, BrokerConfig.LOG_DIR,
            BrokerConfig.LOG_MESSAGE_TIMESTAMP_TYPE, BrokerConfig.COMPRESSION_TYPE, BrokerConfig.IDLE_STRATEGY_SHARD,
            BrokerConfig.IDLE_STRATEGY_NETWORK, BrokerConfig.AFFINITY_SHARD, BrokerConfig.AFFINITY_NETWORK))
        {
            BROKER_TYPES.put(key, ConfigType.STRING);
        }
        for (final String key : List.of(
            BrokerConfig.NODE_ID, BrokerConfig.NUM_PARTITIONS, BrokerConfig.LOG_SEGMENT_BYTES, BrokerConfig.LOG_ROLL_HOURS,
            BrokerConfig.LOG_RETENTION_MINUTES, BrokerConfig.LOG_RETENTION_HOURS, BrokerConfig.LOG_INDEX_INTERVAL_BYTES,
            BrokerConfig.LOG_INDEX_SIZE_MAX_BYTES, BrokerConfig.MIN_INSYNC_REPLICAS, BrokerConfig.MESSAGE_MAX_BYTES,
            BrokerConfig.SOCKET_REQUEST_MAX_BYTES, BrokerConfig.SOCKET_SEND_BUFFER_BYTES,
            BrokerConfig.SOCKET_RECEIVE_BUFFER_BYTES, BrokerConfig.NUM_NETWORK_THREADS, BrokerConfig.NUM_SHARDS,
            BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS, BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS,
            BrokerConfig.SHARD_RING_SIZE, BrokerConfig.THREAD_MODEL,
            BrokerConfig.FETCH_INLINE_MAX_BYTES))
        {
            BROKER_TYPES.put(key, ConfigType.INT);
        }
        for (final String key : List.of(
            BrokerConfig.LOG_ROLL_MS, BrokerConfig.LOG_RETENTION_MS, BrokerConfig.LOG_RETENTION_BYTES,
            BrokerConfig.LOG_FLUSH_INTERVAL_MESSAGES, BrokerConfig.LOG_FLUSH_INTERVAL_MS,
            BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS))
        {
            BROKER_TYPES.put(key, ConfigType.LONG);
        }
        for (final String key : List.of(
            BrokerConfig.AUTO_CREATE_TOPICS_ENABLE, BrokerConfig.DELETE_TOPIC_ENABLE, BrokerConfig.ACKS_ALL_FLUSH))
        {
            BROKER_TYPES.put(key, ConfigType.BOOLEAN);
        }
        BROKER_TYPES.put(BrokerConfig.DEFAULT_REPLICATION_FACTOR, ConfigType.SHORT);
        BROKER_TYPES.put(BrokerConfig.LOG_CLEANUP_POLICY, ConfigType.LIST);
    }

    private final BrokerConfig broker;

    ConfigDescriber(final BrokerConfig broker)
    {
        this.broker = broker;
    }

    /** The type Kafka gives topic config {@code name}: what APPEND and SUBTRACT need to be LIST. */
    static ConfigType topicConfigType(final String name)
    {
        return TOPIC_TYPES.getOrDefault(name, ConfigType.UNKNOWN);
    }

    /**
     * Topic config {@code name} of a topic with {@code overrides}.
     *
     * @param includeSynonyms whether to list the synonyms (the source is derived from them either way).
     */
    DescribeConfigsResourceResult topicConfig(
        final String name, final Map<String, String> overrides, final boolean includeSynonyms)
    {
        final List<DescribeConfigsSynonym> synonyms = new ArrayList<>();
        final String override = overrides.get(name);
        if (override != null)
        {
            synonyms.add(synonym(name, override, ConfigSource.TOPIC_CONFIG));
        }
        addBrokerSynonyms(brokerSynonyms(name), synonyms);
        return new DescribeConfigsResourceResult()
            .setName(name)
            .setValue(TopicConfigs.value(name, overrides, broker))
            .setReadOnly(false)
            .setConfigSource(synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG.id() : synonyms.get(0).source())
            .setIsSensitive(false)
            .setSynonyms(includeSynonyms ? synonyms : new ArrayList<>())
            .setConfigType(topicConfigType(name).id())
            .setDocumentation(null);
    }

    /** Broker property {@code key} as this broker runs with it. */
    DescribeConfigsResourceResult brokerConfig(final String key, final boolean includeSynonyms)
    {
        final List<DescribeConfigsSynonym> synonyms = new ArrayList<>();
        addBrokerSynonyms(List.of(key), synonyms);
        return new DescribeConfigsResourceResult()
            .setName(key)
            .setValue(nullIfEmpty(broker.value(key)))
            .setReadOnly(true)
            .setConfigSource(synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG.id() : synonyms.get(0).source())
            .setIsSensitive(false)
            .setSynonyms(includeSynonyms ? synonyms : new ArrayList<>())
            .setConfigType(BROKER_TYPES.getOrDefault(key, ConfigType.UNKNOWN).id())
            .setDocumentation(null);
    }

    /** Where topic config {@code name} of a topic with {@code overrides} gets its value, as Kafka numbers it. */
    byte topicConfigSource(final String name, final Map<String, String> overrides)
    {
        if (overrides.containsKey(name))
        {
            return ConfigSource.TOPIC_CONFIG.id();
        }
        for (final String key : brokerSynonyms(name))
        {
            if (broker.isSet(key))
            {
                return ConfigSource.STATIC_BROKER_CONFIG.id();
            }
        }
        return ConfigSource.DEFAULT_CONFIG.id();
    }

    private static List<String> brokerSynonyms(final String topicConfig)
    {
        final List<String> several = TOPIC_SYNONYMS.get(topicConfig);
        return several != null ? several : List.of(TopicConfigs.brokerKey(topicConfig));
    }

    /** Kafka lists every explicitly set synonym before any built-in default. */
    private void addBrokerSynonyms(final List<String> keys, final List<DescribeConfigsSynonym> synonyms)
    {
        for (final String key : keys)
        {
            if (broker.isSet(key))
            {
                synonyms.add(synonym(key, broker.value(key), ConfigSource.STATIC_BROKER_CONFIG));
            }
        }
        for (final String key : keys)
        {
            final String builtIn = BrokerConfig.defaults().get(key);
            if (builtIn != null && !builtIn.isEmpty())
            {
                synonyms.add(synonym(key, builtIn, ConfigSource.DEFAULT_CONFIG));
            }
        }
    }

    private static DescribeConfigsSynonym synonym(final String name, final String value, final ConfigSource source)
    {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id());
    }

    private static String nullIfEmpty(final String value)
    {
        return value == null || value.isEmpty() ? null : value;
    }
}
