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
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
 * <p>{@link #commitOffsets} and {@link #fetchOffsets} serve doors other than Kafka's (the native one) through the
 * same coordinator path as OffsetCommit and OffsetFetch, so both doors see one set of committed offsets.
 *
 * <p>{@link #register}, {@link #start} and {@link #close} are for the thread that runs the broker's lifecycle;
 * {@link #commitOffsets} and {@link #fetchOffsets} are thread-safe.
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

    /**
     * One partition's offset for {@link #commitOffsets}.
     *
     * @param metadata stored with the offset; null is stored as "".
     */
    public record OffsetCommit(String topic, int partition, long offset, String metadata)
    {
    }

    /** One partition whose committed offset {@link #fetchOffsets} reads. */
    public record OffsetQuery(String topic, int partition)
    {
    }

    /**
     * One partition's answer from {@link #fetchOffsets}.
     *
     * @param offset    -1 when nothing is stored (or on error).
     * @param metadata  "" when nothing is stored.
     * @param errorCode Kafka's error code for the partition.
     */
    public record CommittedOffset(long offset, String metadata, short errorCode)
    {
    }

    /**
     * Commit offsets for {@code groupId} as a standalone (simple) commit, the way a Kafka consumer outside group
     * management commits: generation -1, no member id. It takes the Kafka door's OffsetCommit path, so the checks
     * are the same (UNKNOWN_TOPIC_OR_PARTITION for a topic or partition that does not exist,
     * OFFSET_METADATA_TOO_LARGE past {@code offset.metadata.max.bytes}, UNKNOWN_MEMBER_ID while the group has
     * members, COORDINATOR_LOAD_IN_PROGRESS while its partition of {@code __consumer_offsets} loads) and the
     * answer comes once the offsets are written to {@code __consumer_offsets}, after which a Kafka client's
     * OffsetFetch sees them. Creates {@code __consumer_offsets} when it does not exist yet, as FindCoordinator
     * does.
     *
     * <p>Thread-safe; spins while the coordinator's request queue is full, as the Kafka door does.
     *
     * @param onCommitted gets one Kafka error code per entry of {@code offsets}, in their order, on the
     *                    coordinator thread; it must not block.
     */
    public void commitOffsets(final String groupId, final List<OffsetCommit> offsets, final Consumer<short[]> onCommitted)
    {
        final OffsetCommitRequestData data = new OffsetCommitRequestData()
            .setGroupId(groupId)
            .setGenerationIdOrMemberEpoch(-1)
            .setMemberId("")
            .setGroupInstanceId(null)
            .setRetentionTimeMs(-1);
        for (final OffsetCommit offset : offsets)
        {
            // A topic entry per partition, so that the answer lines up with the entries, repeats included.
            final OffsetCommitRequestTopic topic = new OffsetCommitRequestTopic().setName(offset.topic());
            topic.partitions().add(new OffsetCommitRequestPartition()
                .setPartitionIndex(offset.partition())
                .setCommittedOffset(offset.offset())
                .setCommittedLeaderEpoch(-1)
                .setCommittedMetadata(offset.metadata()));
            data.topics().add(topic);
        }
        final Answer<short[]> answer = new Answer<>(onCommitted);
        agent.submit(() -> answer.guard("committing offsets of group " + groupId,
            () -> errorCodes(offsets.size(), Errors.UNKNOWN_SERVER_ERROR),
            () -> whenTopicReady(error -> commitWhenReady(error, data, answer))));
    }

    private void commitWhenReady(final Errors topicError, final OffsetCommitRequestData data, final Answer<short[]> answer)
    {
        final int count = data.topics().size();
        if (topicError != Errors.NONE)
        {
            answer.accept(errorCodes(count, topicError));
            return;
        }
        offsetApis.commit(data, OffsetApis.BY_NAME_COMMIT_VERSION, response ->
        {
            final short[] codes = new short[count];
            int next = 0;
            for (final OffsetCommitResponseTopic topic : response.topics())
            {
                for (final OffsetCommitResponsePartition partition : topic.partitions())
                {
                    codes[next++] = partition.errorCode();
                }
            }
            answer.accept(codes);
        });
    }

    /**
     * Read {@code groupId}'s committed offsets of {@code partitions} through the Kafka door's OffsetFetch path,
     * waiting for commits still being written (Kafka's {@code requireStable}). A partition with nothing stored
     * (an unknown topic, a group that does not exist) answers offset -1; a coordinator that is not ready answers
     * every partition with its error. Creates {@code __consumer_offsets} when it does not exist yet.
     *
     * <p>Thread-safe; spins while the coordinator's request queue is full.
     *
     * @param onFetched gets one answer per entry of {@code partitions}, in their order, on the coordinator thread;
     *                  it must not block.
     */
    public void fetchOffsets(
        final String groupId, final List<OffsetQuery> partitions, final Consumer<List<CommittedOffset>> onFetched)
    {
        final List<OffsetFetchRequestTopics> wanted = new ArrayList<>(partitions.size());
        for (final OffsetQuery partition : partitions)
        {
            wanted.add(new OffsetFetchRequestTopics().setName(partition.topic()).setPartitionIndexes(
                new ArrayList<>(List.of(partition.partition()))));
        }
        final OffsetFetchRequestGroup request = new OffsetFetchRequestGroup().setGroupId(groupId).setTopics(wanted);
        final Answer<List<CommittedOffset>> answer = new Answer<>(onFetched);
        agent.submit(() -> answer.guard("fetching offsets of group " + groupId,
            () -> failedFetch(wanted.size(), Errors.UNKNOWN_SERVER_ERROR),
            () -> whenTopicReady(error -> fetchWhenReady(error, request, answer))));
    }

    private void fetchWhenReady(
        final Errors topicError, final OffsetFetchRequestGroup request, final Answer<List<CommittedOffset>> answer)
    {
        final int count = request.topics().size();
        if (topicError != Errors.NONE)
        {
            answer.accept(failedFetch(count, topicError));
            return;
        }
        coordinator.fetchOffsets(request, true, result ->
        {
            if (result.errorCode() != Errors.NONE.code())
            {
                answer.accept(failedFetch(count, Errors.forCode(result.errorCode())));
                return;
            }
            // The coordinator answers each topic entry asked, in order, with its one partition.
            final List<CommittedOffset> offsets = new ArrayList<>(count);
            for (final OffsetFetchResponseTopics topic : result.topics())
            {
                for (final OffsetFetchResponsePartitions partition : topic.partitions())
                {
                    offsets.add(new CommittedOffset(partition.committedOffset(), partition.metadata(), partition.errorCode()));
                }
            }
            answer.accept(offsets);
        });
    }

    private static short[] errorCodes(final int count, final Errors error)
    {
        final short[] codes = new short[count];
        Arrays.fill(codes, error.code());
        return codes;
    }

    private static List<CommittedOffset> failedFetch(final int count, final Errors error)
    {
        return Collections.nCopies(count, new CommittedOffset(-1, "", error.code()));
    }

    /**
     * A caller's callback, answered once. A coordinator bug while serving the call answers it with
     * UNKNOWN_SERVER_ERROR, so the caller's client is told rather than left waiting.
     */
    private static final class Answer<T>
    {
        private final Consumer<T> callback;
        private boolean answered;

        Answer(final Consumer<T> callback)
        {
            this.callback = callback;
        }

        void accept(final T result)
        {
            answered = true;
            callback.accept(result);
        }

        void guard(final String what, final Supplier<T> onFailure, final Runnable task)
        {
            try
            {
                task.run();
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error(what + " failed", ex);
                if (!answered)
                {
                    accept(onFailure.get());
                }
            }
        }
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
        agent.stopBlocking();
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
