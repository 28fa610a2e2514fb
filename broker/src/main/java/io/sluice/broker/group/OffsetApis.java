package io.sluice.broker.group;

import io.sluice.broker.kafka.KafkaApiTable;
import io.sluice.broker.kafka.KafkaApiTable.Runs;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * OffsetCommit (v2-10), OffsetFetch (v1-10) and OffsetDelete (v0): the topic checks Kafka's request layer makes
 * before the coordinator sees a request (unknown topics and partitions get UNKNOWN_TOPIC_OR_PARTITION, unknown
 * topic ids from v10 UNKNOWN_TOPIC_ID), topic ids resolved to the names offsets are kept under, and the answer
 * shaped for the request's version (one group before OffsetFetch v8, many from it).
 *
 * <p>Handlers run on the coordinator thread; the topic registry's snapshot is read there.
 */
final class OffsetApis
{
    static final int OFFSET_COMMIT_MIN = 2;
    static final int OFFSET_COMMIT_MAX = 10;
    static final int OFFSET_FETCH_MIN = 1;
    static final int OFFSET_FETCH_MAX = 10;
    private static final int TOPIC_ID_MIN_VERSION = 10;
    /** The newest OffsetCommit version that names topics: how a commit made without a Kafka request is checked. */
    static final short BY_NAME_COMMIT_VERSION = TOPIC_ID_MIN_VERSION - 1;
    private static final int MULTI_GROUP_FETCH_MIN_VERSION = 8;
    private static final int TOP_LEVEL_ERROR_MIN_FETCH_VERSION = 2;
    private static final int REQUIRE_STABLE_MIN_VERSION = 7;

    private final GroupCoordinatorAgent agent;
    private final GroupCoordinator coordinator;
    private final TopicRegistry topics;

    OffsetApis(final GroupCoordinatorAgent agent, final GroupCoordinator coordinator, final TopicRegistry topics)
    {
        this.agent = agent;
        this.coordinator = coordinator;
        this.topics = topics;
    }

    void register(final KafkaApiTable apis)
    {
        apis.register(ApiKeys.OFFSET_COMMIT, OFFSET_COMMIT_MIN, OFFSET_COMMIT_MAX, Runs.EVENT_LOOP,
            request -> agent.submit(request, this::commit));
        apis.register(ApiKeys.OFFSET_FETCH, OFFSET_FETCH_MIN, OFFSET_FETCH_MAX, Runs.EVENT_LOOP,
            request -> agent.submit(request, this::fetch));
        apis.register(ApiKeys.OFFSET_DELETE, 0, 0, Runs.EVENT_LOOP, request -> agent.submit(request, this::deleteOffsets));
    }

    // ---- OffsetCommit ----

    private void commit(final KafkaControlRequest request)
    {
        commit(request.data(OffsetCommitRequestData.class), request.apiVersion(), request::respond);
    }

    /**
     * Check the topics of {@code data} (by id from v10, by name before), commit the partitions that exist through
     * the coordinator, and answer every partition asked, in the order asked, once the commit is durable. The one
     * path for Kafka's OffsetCommit and {@link GroupCoordinatorService#commitOffsets}.
     */
    void commit(final OffsetCommitRequestData data, final short version, final Consumer<OffsetCommitResponseData> respond)
    {
        final boolean byId = version >= TOPIC_ID_MIN_VERSION;
        final TopicSnapshot snapshot = topics.snapshot();
        final OffsetCommitRequestData known = new OffsetCommitRequestData()
            .setGroupId(data.groupId())
            .setGenerationIdOrMemberEpoch(data.generationIdOrMemberEpoch())
            .setMemberId(data.memberId())
            .setGroupInstanceId(data.groupInstanceId())
            .setRetentionTimeMs(data.retentionTimeMs());
        final OffsetCommitResponseData response = new OffsetCommitResponseData();
        final List<OffsetCommitResponsePartition> pending = new ArrayList<>();
        for (final OffsetCommitRequestTopic topic : data.topics())
        {
            final Topic found = byId ? snapshot.topic(uuid(topic.topicId())) : snapshot.topic(topic.name());
            final OffsetCommitResponseTopic answer = byId ? new OffsetCommitResponseTopic().setTopicId(topic.topicId()) :
                new OffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(answer);
            final OffsetCommitRequestTopic knownTopic = found == null ? null :
                new OffsetCommitRequestTopic().setName(found.name()).setTopicId(topic.topicId());
            for (final OffsetCommitRequestPartition partition : topic.partitions())
            {
                final OffsetCommitResponsePartition partitionAnswer =
                    new OffsetCommitResponsePartition().setPartitionIndex(partition.partitionIndex());
                answer.partitions().add(partitionAnswer);
                if (found == null)
                {
                    partitionAnswer.setErrorCode(
                        byId ? Errors.UNKNOWN_TOPIC_ID.code() : Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                }
                else if (found.partition(partition.partitionIndex()) == null)
                {
                    partitionAnswer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                }
                else
                {
                    knownTopic.partitions().add(partition);
                    pending.add(partitionAnswer);
                }
            }
            if (knownTopic != null && !knownTopic.partitions().isEmpty())
            {
                known.topics().add(knownTopic);
            }
        }
        if (known.topics().isEmpty())
        {
            respond.accept(response);
            return;
        }
        coordinator.commitOffsets(version, known, result ->
        {
            // The coordinator answers the known partitions in the order they were given.
            int next = 0;
            for (final OffsetCommitResponseTopic topic : result.topics())
            {
                for (final OffsetCommitResponsePartition partition : topic.partitions())
                {
                    pending.get(next++).setErrorCode(partition.errorCode());
                }
            }
            respond.accept(response);
        });
    }

    // ---- OffsetFetch ----

    private void fetch(final KafkaControlRequest request)
    {
        final OffsetFetchRequestData data = request.data(OffsetFetchRequestData.class);
        final short version = request.apiVersion();
        final boolean requireStable = version >= REQUIRE_STABLE_MIN_VERSION && data.requireStable();
        final List<OffsetFetchRequestGroup> groups = version >= MULTI_GROUP_FETCH_MIN_VERSION ? data.groups() :
            List.of(singleGroup(data));
        final TopicSnapshot snapshot = topics.snapshot();
        final OffsetFetchResponseGroup[] results = new OffsetFetchResponseGroup[groups.size()];
        final int[] remaining = {groups.size()};
        if (groups.isEmpty())
        {
            request.respond(new OffsetFetchResponseData());
            return;
        }
        for (int i = 0; i < groups.size(); i++)
        {
            final int index = i;
            final OffsetFetchRequestGroup group = groups.get(i);
            final List<OffsetFetchResponseTopics> unknownIds = new ArrayList<>();
            final OffsetFetchRequestGroup resolved = version >= TOPIC_ID_MIN_VERSION ?
                resolveIds(group, snapshot, unknownIds) : group;
            coordinator.fetchOffsets(resolved, requireStable, result ->
            {
                if (version >= TOPIC_ID_MIN_VERSION)
                {
                    withTopicIds(result, snapshot);
                    result.topics().addAll(unknownIds);
                }
                results[index] = result;
                if (--remaining[0] == 0)
                {
                    request.respond(fetchResponse(List.of(results), version));
                }
            });
        }
    }

    private static OffsetFetchRequestGroup singleGroup(final OffsetFetchRequestData data)
    {
        final OffsetFetchRequestGroup group = new OffsetFetchRequestGroup().setGroupId(data.groupId());
        if (data.topics() == null)
        {
            return group.setTopics(null);
        }
        final List<OffsetFetchRequestTopics> topicList = new ArrayList<>();
        for (final OffsetFetchRequestTopic topic : data.topics())
        {
            topicList.add(new OffsetFetchRequestTopics().setName(topic.name()).setPartitionIndexes(topic.partitionIndexes()));
        }
        return group.setTopics(topicList);
    }

    /** Name the topics of a v10 request by their ids; unknown ids are answered UNKNOWN_TOPIC_ID into {@code unknown}. */
    private static OffsetFetchRequestGroup resolveIds(
        final OffsetFetchRequestGroup group, final TopicSnapshot snapshot, final List<OffsetFetchResponseTopics> unknown)
    {
        if (group.topics() == null)
        {
            return group;
        }
        final List<OffsetFetchRequestTopics> named = new ArrayList<>();
        for (final OffsetFetchRequestTopics topic : group.topics())
        {
            final Topic found = snapshot.topic(uuid(topic.topicId()));
            if (found != null)
            {
                named.add(new OffsetFetchRequestTopics().setName(found.name()).setPartitionIndexes(topic.partitionIndexes()));
                continue;
            }
            final OffsetFetchResponseTopics answer = new OffsetFetchResponseTopics().setTopicId(topic.topicId());
            for (final int partition : topic.partitionIndexes())
            {
                answer.partitions().add(new OffsetFetchResponsePartitions()
                    .setPartitionIndex(partition)
                    .setCommittedOffset(-1)
                    .setMetadata("")
                    .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
            }
            unknown.add(answer);
        }
        return new OffsetFetchRequestGroup()
            .setGroupId(group.groupId())
            .setMemberId(group.memberId())
            .setMemberEpoch(group.memberEpoch())
            .setTopics(named);
    }

    /** Give each topic its id (v10); offsets of topics that no longer exist are left out, having no id to show. */
    private static void withTopicIds(final OffsetFetchResponseGroup group, final TopicSnapshot snapshot)
    {
        group.topics().removeIf(topic ->
        {
            final Topic found = snapshot.topic(topic.name());
            if (found == null)
            {
                return true;
            }
            topic.setTopicId(new Uuid(found.id().getMostSignificantBits(), found.id().getLeastSignificantBits()));
            return false;
        });
    }

    private static OffsetFetchResponseData fetchResponse(final List<OffsetFetchResponseGroup> groups, final short version)
    {
        if (version >= MULTI_GROUP_FETCH_MIN_VERSION)
        {
            return new OffsetFetchResponseData().setGroups(groups);
        }
        final OffsetFetchResponseGroup group = groups.get(0);
        if (version < TOP_LEVEL_ERROR_MIN_FETCH_VERSION && group.errorCode() != Errors.NONE.code())
        {
            // Version 1 has no group-level error: each partition carries it.
            for (final OffsetFetchResponseTopics topic : group.topics())
            {
                for (final OffsetFetchResponsePartitions partition : topic.partitions())
                {
                    partition.setErrorCode(group.errorCode());
                }
            }
        }
        return new OffsetFetchResponse.Builder(group).build(version).data();
    }

    // ---- OffsetDelete ----

    private void deleteOffsets(final KafkaControlRequest request)
    {
        final OffsetDeleteRequestData data = request.data(OffsetDeleteRequestData.class);
        final TopicSnapshot snapshot = topics.snapshot();
        final OffsetDeleteRequestData known = new OffsetDeleteRequestData().setGroupId(data.groupId());
        final OffsetDeleteResponseData unknown = new OffsetDeleteResponseData();
        for (final OffsetDeleteRequestTopic topic : data.topics())
        {
            final Topic found = snapshot.topic(topic.name());
            final OffsetDeleteRequestTopic knownTopic = new OffsetDeleteRequestTopic().setName(topic.name());
            final OffsetDeleteResponseTopic unknownTopic = new OffsetDeleteResponseTopic().setName(topic.name());
            for (final OffsetDeleteRequestPartition partition : topic.partitions())
            {
                if (found != null && found.partition(partition.partitionIndex()) != null)
                {
                    knownTopic.partitions().add(new OffsetDeleteRequestPartition().setPartitionIndex(partition.partitionIndex()));
                }
                else
                {
                    unknownTopic.partitions().add(new OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
            }
            if (!knownTopic.partitions().isEmpty())
            {
                known.topics().add(knownTopic);
            }
            if (!unknownTopic.partitions().isEmpty())
            {
                unknown.topics().add(unknownTopic);
            }
        }
        coordinator.deleteOffsets(known, result ->
        {
            for (final OffsetDeleteResponseTopic topic : unknown.topics())
            {
                OffsetDeleteResponseTopic merged = result.topics().find(topic.name());
                if (merged == null)
                {
                    merged = new OffsetDeleteResponseTopic().setName(topic.name());
                    result.topics().add(merged);
                }
                for (final OffsetDeleteResponsePartition partition : topic.partitions())
                {
                    merged.partitions().add(partition.duplicate());
                }
            }
            request.respond(result);
        });
    }

    private static UUID uuid(final Uuid id)
    {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
