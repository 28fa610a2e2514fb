package io.sluice.broker.group;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.BrokerLog;
import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.kafka.AdvertisedNode;
import io.sluice.broker.kafka.KafkaApiTable;
import io.sluice.broker.kafka.KafkaApiTable.Runs;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicConfigs;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.transport.BlockingIdleStrategy;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The consumer group coordinator: the Kafka group APIs, the agent that runs them on one thread, and the
 * {@code __consumer_offsets} topic that keeps committed offsets and group metadata across restarts.
 *
 * <p>The topic is loaded at start if it exists (its groups answer COORDINATOR_LOAD_IN_PROGRESS meanwhile) and is
 * created on the first group lookup otherwise, as Kafka does, so a broker that never serves a group never opens
 * its partitions. It is created with {@code offsets.topic.num.partitions} partitions, {@code cleanup.policy=compact}
 * and {@code offsets.topic.segment.bytes}, and compacted by the broker's log cleaner like any compacted topic (the latest
 * record per offset and group stays; tombstones go after {@code delete.retention.ms}). Time and size retention are
 * set off too, so that no setting can ever delete committed offsets wholesale.
 *
 * <pre>{@code
 * GroupCoordinatorService groups = new GroupCoordinatorService(context, topics, shards, conductor, node, clock);
 * groups.register(kafkaDoor.apis());   // before the broker listens
 * groups.start();                      // after the shards and the conductor
 * ...
 * groups.close();                      // before the shards
 * }</pre>
 *
 * <p>{@link #register}, {@link #start} and {@link #close} are for the thread that runs the broker's lifecycle.
 */
public final class GroupCoordinatorService implements AutoCloseable
{
    /** Session and rebalance deadlines are checked at least this often while no request comes in. */
    private static final long IDLE_MAX_BLOCK_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final GroupCoordinatorContext context;
    private final TopicRegistry topics;
    private final ShardProxy shards;
    private final BrokerConductor conductor;
    private final GroupCoordinatorAgent agent;
    private final GroupCoordinator coordinator;
    private final OffsetsTopicWriter writer;
    private final OffsetsTopicLoader loader;
    private final FindCoordinatorApi findCoordinator;
    private final GroupApis groupApis;
    private final OffsetApis offsetApis;
    private final List<Consumer<Errors>> waitingForTopic = new ArrayList<>();
    private boolean creatingTopic;
    private AgentRunner runner;

    public GroupCoordinatorService(
        final GroupCoordinatorContext context,
        final TopicRegistry topics,
        final ShardProxy shards,
        final BrokerConductor conductor,
        final AdvertisedNode node,
        final EpochClock clock)
    {
        this.context = context;
        this.topics = topics;
        this.shards = shards;
        this.conductor = conductor;
        this.agent = new GroupCoordinatorAgent(clock);
        this.writer = new OffsetsTopicWriter(shards, agent::completion, clock, context.forceWrites());
        this.coordinator = new GroupCoordinator(context, clock, writer, this::createTopic);
        this.loader = new OffsetsTopicLoader(shards, agent::completion, coordinator);
        this.findCoordinator = new FindCoordinatorApi(node, this::whenTopicReady);
        this.groupApis = new GroupApis(agent, coordinator);
        this.offsetApis = new OffsetApis(agent, coordinator, topics);
        agent.drive(coordinator, writer);
    }

    /** Register FindCoordinator and every group and offset API in {@code apis}, before the broker listens. */
    public void register(final KafkaApiTable apis)
    {
        apis.register(ApiKeys.FIND_COORDINATOR, 0, FindCoordinatorApi.MAX_VERSION, Runs.EVENT_LOOP,
            request -> agent.submit(request, findCoordinator::onRequest));
        groupApis.register(apis);
        offsetApis.register(apis);
    }

    /** Start the coordinator thread and load {@code __consumer_offsets} if it exists. */
    public void start()
    {
        runner = new AgentRunner(
            new BlockingIdleStrategy(10, 5, IDLE_MAX_BLOCK_NS, agent.blockingWait()),
            ex -> BrokerLog.error("group coordinator error", ex), null, agent);
        AgentRunner.startOnThread(runner);
        agent.submit(() ->
        {
            final Topic existing = topics.snapshot().topic(GroupCoordinatorContext.OFFSETS_TOPIC);
            if (existing != null)
            {
                ready(existing);
            }
        });
    }

    /**
     * Stop the coordinator thread (parked requests are dropped with their connections). Before the shards close.
     * Idempotent.
     */
    @Override
    public void close()
    {
        CloseHelper.close(runner);
    }

    private void whenTopicReady(final Consumer<Errors> callback)
    {
        if (coordinator.isTopicReady())
        {
            callback.accept(Errors.NONE);
            return;
        }
        waitingForTopic.add(callback);
        createTopic();
    }

    /** Create the offsets topic, once, on the conductor (which owns the topic registry). */
    private void createTopic()
    {
        if (creatingTopic || coordinator.isTopicReady())
        {
            return;
        }
        creatingTopic = true;
        final Map<String, String> configs = Map.of(
            TopicConfigs.CLEANUP_POLICY, "compact",
            TopicConfigs.SEGMENT_BYTES, Integer.toString(context.offsetsTopicSegmentBytes()),
            TopicConfigs.RETENTION_MS, "-1",
            TopicConfigs.RETENTION_BYTES, "-1");
        conductor.submit(() -> topics.create(GroupCoordinatorContext.OFFSETS_TOPIC, context.offsetsTopicPartitions(),
            configs, result -> agent.completion(() ->
            {
                creatingTopic = false;
                final Topic topic = topics.snapshot().topic(GroupCoordinatorContext.OFFSETS_TOPIC);
                if (topic != null)
                {
                    ready(topic);
                    return;
                }
                BrokerLog.warn("cannot create " + GroupCoordinatorContext.OFFSETS_TOPIC + ": " +
                    (result.errorCode() == BrokerErrorCodes.TOPIC_ALREADY_EXISTS ? "it is being deleted" : result.message()));
                answerWaiting(Errors.COORDINATOR_NOT_AVAILABLE);
            })));
    }

    private void ready(final Topic topic)
    {
        if (coordinator.isTopicReady())
        {
            return;
        }
        if (topic.partitionCount() != context.offsetsTopicPartitions())
        {
            BrokerLog.info(GroupCoordinatorContext.OFFSETS_TOPIC + " has " + topic.partitionCount() +
                " partitions; they stay (offsets.topic.num.partitions applies when it is created)");
        }
        // A batch must fit both the message limit and a segment (the journal refuses an append larger than one).
        writer.partitions(
            topic.partitions(), Math.min(topic.logConfig().maxMessageBytes(), topic.logConfig().segmentBytes()));
        coordinator.onTopicReady(topic.partitionCount());
        loader.load(topic.partitions());
        answerWaiting(Errors.NONE);
    }

    private void answerWaiting(final Errors error)
    {
        final List<Consumer<Errors>> waiting = new ArrayList<>(waitingForTopic);
        waitingForTopic.clear();
        for (final Consumer<Errors> callback : waiting)
        {
            callback.accept(error);
        }
    }
}
