package io.sluice.broker.group;

import io.sluice.broker.BrokerLog;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
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
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * OffsetCommit, OffsetFetch, OffsetDelete and DeleteGroups as Kafka's coordinator answers them, plus the periodic
 * expiry of old offsets. A commit is answered once its records are durable in {@code __consumer_offsets} and only
 * then becomes visible to OffsetFetch; deletions likewise take effect when their tombstones are stored.
 *
 * <p>Single-threaded: runs on the coordinator thread.
 */
final class OffsetRequests
{
    private static final int GROUP_ID_NOT_FOUND_MIN_COMMIT_VERSION = 9;

    private final RebalanceConductor rebalance;
    private final OffsetStore offsets;
    private final GroupCoordinatorContext context;

    OffsetRequests(final RebalanceConductor rebalance, final OffsetStore offsets)
    {
        this.rebalance = rebalance;
        this.offsets = offsets;
        this.context = rebalance.context();
    }

    OffsetStore offsets()
    {
        return offsets;
    }

    // ---- OffsetCommit ----

    /**
     * Commit the offsets of {@code data}, whose topics are known to exist and carry their names.
     *
     * @param respond gets the answer with every requested partition, by topic name.
     */
    void commit(final short apiVersion, final OffsetCommitRequestData data, final Consumer<OffsetCommitResponseData> respond)
    {
        final String groupId = data.groupId();
        final ClassicGroup group = rebalance.group(groupId);
        final Errors invalid = validateCommit(group, data, apiVersion);
        if (invalid != Errors.NONE)
        {
            respond.accept(commitResponse(data, invalid));
            return;
        }
        if (group != null && (group.is(GroupState.STABLE) || group.is(GroupState.PREPARING_REBALANCE)))
        {
            // Under the classic protocol a commit also proves the member alive.
            rebalance.rescheduleSession(group.member(data.memberId()));
        }

        final long nowMs = rebalance.nowMs();
        // Only v2-4 carry a retention time; later versions leave it at its default, -1 (the broker's retention).
        final long expireMs = data.retentionTimeMs() != -1 ? nowMs + data.retentionTimeMs() : -1;
        final OffsetCommitResponseData response = new OffsetCommitResponseData();
        final List<CoordinatorRecord> records = new ArrayList<>();
        final List<String> topics = new ArrayList<>();
        final List<OffsetCommitRequestPartition> committed = new ArrayList<>();
        final List<OffsetCommitResponsePartition> answers = new ArrayList<>();
        for (final OffsetCommitRequestTopic topic : data.topics())
        {
            final OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (final OffsetCommitRequestPartition partition : topic.partitions())
            {
                final OffsetCommitResponsePartition answer =
                    new OffsetCommitResponsePartition().setPartitionIndex(partition.partitionIndex());
                topicResponse.partitions().add(answer);
                final String metadata = partition.committedMetadata();
                if (metadata != null && metadata.length() > context.offsetMetadataMaxBytes())
                {
                    answer.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code());
                    continue;
                }
                final OffsetAndMetadata offset = new OffsetAndMetadata(
                    partition.committedOffset(), partition.committedLeaderEpoch(), metadata == null ? "" : metadata,
                    nowMs, expireMs);
                records.add(CoordinatorRecordEncoder.offsetCommit(groupId, topic.name(), partition.partitionIndex(), offset));
                topics.add(topic.name());
                committed.add(partition);
                answers.add(answer);
            }
        }
        if (records.isEmpty())
        {
            respond.accept(response);
            return;
        }
        for (int i = 0; i < committed.size(); i++)
        {
            offsets.pendingWrite(groupId, topics.get(i), committed.get(i).partitionIndex(), 1);
        }
        rebalance.log().append(groupId, records, error ->
        {
            final Errors result = error == Errors.NONE.code() ? Errors.NONE : RebalanceConductor.writeError(error);
            for (int i = 0; i < committed.size(); i++)
            {
                final OffsetCommitRequestPartition partition = committed.get(i);
                offsets.pendingWrite(groupId, topics.get(i), partition.partitionIndex(), -1);
                if (result == Errors.NONE)
                {
                    final String metadata = partition.committedMetadata();
                    offsets.put(groupId, topics.get(i), partition.partitionIndex(), new OffsetAndMetadata(
                        partition.committedOffset(), partition.committedLeaderEpoch(), metadata == null ? "" : metadata,
                        nowMs, expireMs));
                }
                answers.get(i).setErrorCode(result.code());
            }
            if (result == Errors.NONE)
            {
                // Offsets committed outside group management make a "simple" group of their own, as in Kafka.
                rebalance.getOrCreate(groupId);
            }
            respond.accept(response);
        });
    }

    /** Kafka's checks of a classic group commit, including the simple (generation -1) commit of an empty group. */
    private static Errors validateCommit(final ClassicGroup group, final OffsetCommitRequestData data, final short apiVersion)
    {
        final int generationId = data.generationIdOrMemberEpoch();
        if (group == null)
        {
            if (generationId < 0)
            {
                return Errors.NONE;
            }
            return apiVersion >= GROUP_ID_NOT_FOUND_MIN_COMMIT_VERSION ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.DEAD))
        {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && group.is(GroupState.EMPTY))
        {
            return Errors.NONE;
        }
        if (generationId >= 0 || !data.memberId().isEmpty() || data.groupInstanceId() != null)
        {
            final Errors invalid = MembershipRequests.validateMember(group, data.memberId(), data.groupInstanceId());
            if (invalid != Errors.NONE)
            {
                return invalid;
            }
            if (generationId != group.generationId())
            {
                return Errors.ILLEGAL_GENERATION;
            }
        }
        else if (!group.is(GroupState.EMPTY))
        {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        // The member already has this generation's JoinGroup answer but not its assignment: let it finish first.
        return group.is(GroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /** Every partition of {@code data} answered with {@code error}. */
    static OffsetCommitResponseData commitResponse(final OffsetCommitRequestData data, final Errors error)
    {
        final OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (final OffsetCommitRequestTopic topic : data.topics())
        {
            final OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseTopic().setName(topic.name());
            for (final OffsetCommitRequestPartition partition : topic.partitions())
            {
                topicResponse.partitions().add(new OffsetCommitResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    // ---- OffsetFetch ----

    /**
     * The committed offsets of one group: the partitions asked for (-1 where there is none), or every stored one
     * when {@code request.topics()} is null. With {@code requireStable} the answer waits for commits in flight.
     */
    void fetch(
        final OffsetFetchRequestGroup request, final boolean requireStable, final Consumer<OffsetFetchResponseGroup> respond)
    {
        if (requireStable)
        {
            rebalance.log().afterPendingWrites(request.groupId(), () -> respond.accept(fetch(request)));
        }
        else
        {
            respond.accept(fetch(request));
        }
    }

    private OffsetFetchResponseGroup fetch(final OffsetFetchRequestGroup request)
    {
        final String groupId = request.groupId();
        final ClassicGroup group = rebalance.group(groupId);
        final boolean dead = group != null && group.is(GroupState.DEAD);
        final OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(groupId);
        if (request.topics() == null)
        {
            if (dead)
            {
                return response;
            }
            OffsetFetchResponseTopics topicResponse = null;
            for (final OffsetStore.Entry entry : offsets.entries(groupId))
            {
                if (topicResponse == null || !topicResponse.name().equals(entry.topic()))
                {
                    topicResponse = new OffsetFetchResponseTopics().setName(entry.topic());
                    response.topics().add(topicResponse);
                }
                topicResponse.partitions().add(partition(entry.partition(), entry.offset()));
            }
            return response;
        }
        for (final OffsetFetchRequestTopics topic : request.topics())
        {
            final OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseTopics().setName(topic.name());
            response.topics().add(topicResponse);
            for (final int partition : topic.partitionIndexes())
            {
                topicResponse.partitions().add(partition(partition, dead ? null : offsets.get(groupId, topic.name(), partition)));
            }
        }
        return response;
    }

    private static OffsetFetchResponsePartitions partition(final int partition, final OffsetAndMetadata offset)
    {
        return new OffsetFetchResponsePartitions()
            .setPartitionIndex(partition)
            .setCommittedOffset(offset == null ? -1 : offset.offset())
            .setCommittedLeaderEpoch(offset == null ? -1 : offset.leaderEpoch())
            .setMetadata(offset == null ? "" : offset.metadata())
            .setErrorCode(Errors.NONE.code());
    }

    // ---- OffsetDelete ----

    void deleteOffsets(final OffsetDeleteRequestData data, final Consumer<OffsetDeleteResponseData> respond)
    {
        final String groupId = data.groupId();
        final ClassicGroup group = rebalance.group(groupId);
        if (group == null || group.is(GroupState.DEAD))
        {
            respond.accept(new OffsetDeleteResponseData().setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
            return;
        }
        if (!group.is(GroupState.EMPTY) && !group.usesConsumerProtocol())
        {
            respond.accept(new OffsetDeleteResponseData().setErrorCode(Errors.NON_EMPTY_GROUP.code()));
            return;
        }
        final OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        final List<CoordinatorRecord> records = new ArrayList<>();
        final List<OffsetStore.Entry> deleted = new ArrayList<>();
        for (final OffsetDeleteRequestTopic topic : data.topics())
        {
            final OffsetDeleteResponseTopic topicResponse = new OffsetDeleteResponseTopic().setName(topic.name());
            final boolean subscribed = group.isSubscribedTo(topic.name());
            for (final OffsetDeleteRequestPartition partition : topic.partitions())
            {
                final int index = partition.partitionIndex();
                topicResponse.partitions().add(new OffsetDeleteResponsePartition()
                    .setPartitionIndex(index)
                    .setErrorCode(subscribed ? Errors.GROUP_SUBSCRIBED_TO_TOPIC.code() : Errors.NONE.code()));
                if (!subscribed && (offsets.get(groupId, topic.name(), index) != null ||
                    offsets.isPending(groupId, topic.name(), index)))
                {
                    records.add(CoordinatorRecordEncoder.offsetTombstone(groupId, topic.name(), index));
                    deleted.add(new OffsetStore.Entry(topic.name(), index, null));
                }
            }
            response.topics().add(topicResponse);
        }
        if (records.isEmpty())
        {
            respond.accept(response);
            return;
        }
        rebalance.log().append(groupId, records, error ->
        {
            if (error != Errors.NONE.code())
            {
                respond.accept(new OffsetDeleteResponseData().setErrorCode(RebalanceConductor.writeError(error).code()));
                return;
            }
            for (final OffsetStore.Entry entry : deleted)
            {
                offsets.remove(groupId, entry.topic(), entry.partition());
            }
            respond.accept(response);
        });
    }

    // ---- DeleteGroups ----

    /** Delete an empty group with all its offsets; {@code respond} gets its result once the tombstones are stored. */
    void deleteGroup(final String groupId, final Consumer<DeletableGroupResult> respond)
    {
        final DeletableGroupResult result = new DeletableGroupResult().setGroupId(groupId);
        final ClassicGroup group = rebalance.group(groupId);
        if (group == null || group.is(GroupState.DEAD))
        {
            respond.accept(result.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
            return;
        }
        if (!group.is(GroupState.EMPTY))
        {
            respond.accept(result.setErrorCode(Errors.NON_EMPTY_GROUP.code()));
            return;
        }
        final List<CoordinatorRecord> records = new ArrayList<>();
        for (final OffsetStore.Entry entry : offsets.storedOrPending(groupId))
        {
            records.add(CoordinatorRecordEncoder.offsetTombstone(groupId, entry.topic(), entry.partition()));
        }
        records.add(CoordinatorRecordEncoder.groupTombstone(groupId));
        removeGroup(group, records, error -> respond.accept(result.setErrorCode(
            error == Errors.NONE.code() ? Errors.NONE.code() : RebalanceConductor.writeError(error).code())));
    }

    /**
     * Store {@code records} (tombstones ending with the group's) and then forget the group and its offsets. The
     * group is Dead meanwhile, so nothing joins or commits to what is being deleted; if the write fails it is
     * Empty again, as it was.
     */
    private void removeGroup(final ClassicGroup group, final List<CoordinatorRecord> records, final IntConsumer onDone)
    {
        final String groupId = group.groupId();
        group.transitionTo(GroupState.DEAD, rebalance.nowMs());
        rebalance.log().append(groupId, records, error ->
        {
            if (error == Errors.NONE.code())
            {
                offsets.removeGroup(groupId);
                rebalance.removeGroup(group);
                BrokerLog.info("deleted group " + groupId);
            }
            else
            {
                group.revive(rebalance.nowMs());
            }
            onDone.accept(error);
        });
    }

    // ---- expiry ----

    /**
     * Kafka's offset retention: offsets of topics the group does not consume, committed (or, for an empty group,
     * left) more than {@code offsets.retention.minutes} ago, are deleted; a group left with no members and no
     * offsets is deleted too. Runs every {@code offsets.retention.check.interval.ms} over the loaded groups.
     */
    void expire(final ClassicGroup group)
    {
        final String groupId = group.groupId();
        if (group.is(GroupState.DEAD))
        {
            return;
        }
        final long nowMs = rebalance.nowMs();
        final long baseFromState;
        if (group.protocolType() == null)
        {
            baseFromState = -1;
        }
        else if (group.is(GroupState.EMPTY))
        {
            baseFromState = group.stateTimestampMs();
        }
        else if (group.usesConsumerProtocol() && group.is(GroupState.STABLE))
        {
            baseFromState = -1;
        }
        else
        {
            return;
        }
        final List<CoordinatorRecord> records = new ArrayList<>();
        final List<OffsetStore.Entry> expired = new ArrayList<>();
        boolean allExpired = true;
        for (final OffsetStore.Entry entry : offsets.entries(groupId))
        {
            final OffsetAndMetadata offset = entry.offset();
            final boolean isExpired = !group.isSubscribedTo(entry.topic()) &&
                !offsets.isPending(groupId, entry.topic(), entry.partition()) &&
                (offset.expireTimestampMs() >= 0 ? nowMs >= offset.expireTimestampMs() :
                    nowMs - (baseFromState >= 0 ? baseFromState : offset.commitTimestampMs()) >= context.offsetsRetentionMs());
            if (isExpired)
            {
                records.add(CoordinatorRecordEncoder.offsetTombstone(groupId, entry.topic(), entry.partition()));
                expired.add(entry);
            }
            else
            {
                allExpired = false;
            }
        }
        if (allExpired && group.is(GroupState.EMPTY) && !offsets.hasPendingWrites(groupId))
        {
            records.add(CoordinatorRecordEncoder.groupTombstone(groupId));
            BrokerLog.info("group " + groupId + " expired: no members, no offsets kept");
            removeGroup(group, records, error -> { });
            return;
        }
        if (records.isEmpty())
        {
            return;
        }
        rebalance.log().append(groupId, records, error ->
        {
            if (error == Errors.NONE.code())
            {
                for (final OffsetStore.Entry entry : expired)
                {
                    if (offsets.get(groupId, entry.topic(), entry.partition()) == entry.offset())
                    {
                        offsets.remove(groupId, entry.topic(), entry.partition());
                    }
                }
            }
        });
    }
}
