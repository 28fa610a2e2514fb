package io.sluice.broker.group;

import org.agrona.concurrent.EpochClock;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The group coordinator's state and its entry points, one per Kafka group API, with Kafka's common checks
 * (group id, session timeout bounds, whether the group's partition of {@code __consumer_offsets} is loaded) in
 * front of {@link MembershipRequests} and {@link OffsetRequests}. Also replays what the loader reads back, and
 * runs the delayed operations and the periodic offset expiry.
 *
 * <p>Single-threaded: everything here runs on the coordinator thread (its agent, or a test's own thread).
 */
final class GroupCoordinator
{
    /** No ACLs: every group operation is allowed (Kafka's AclOperation codes READ 3, DELETE 6, DESCRIBE 8). */
    static final int ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;
    private static final int GROUP_ID_NOT_FOUND_MIN_DESCRIBE_VERSION = 6;
    private static final String CLASSIC_GROUP_TYPE = "classic";
    private static final byte LOADING = 1;
    private static final byte LOADED = 2;
    private static final byte FAILED = 3;
    private static final int DEADLINE_LIMIT = 64;
    private static final int EXPIRY_LIMIT = 64;

    private final GroupCoordinatorContext context;
    private final EpochClock clock;
    private final DeadlineQueue deadlines = new DeadlineQueue();
    private final RebalanceConductor rebalance;
    private final MembershipRequests membership;
    private final OffsetRequests offsets;
    private final Deadline expiryDeadline = new Deadline(this::startExpirySweep);
    private final ArrayDeque<String> expirySweep = new ArrayDeque<>();
    private final Runnable onCoordinatorNeeded;
    private byte[] partitionStatus = new byte[0];

    /**
     * @param log                 where state changes are written.
     * @param onCoordinatorNeeded runs when a request arrives before {@code __consumer_offsets} exists.
     */
    GroupCoordinator(
        final GroupCoordinatorContext context,
        final EpochClock clock,
        final CoordinatorLog log,
        final Runnable onCoordinatorNeeded)
    {
        this.context = context;
        this.clock = clock;
        this.onCoordinatorNeeded = onCoordinatorNeeded;
        this.rebalance = new RebalanceConductor(context, deadlines, clock, log);
        this.membership = new MembershipRequests(rebalance);
        this.offsets = new OffsetRequests(rebalance, new OffsetStore(context.committedOffsets()));
    }

    // ---- partitions of __consumer_offsets ----

    /** Kafka's rule: {@code Utils.abs(groupId.hashCode()) % partitions}. */
    static int partitionFor(final String groupId, final int partitions)
    {
        final int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitions;
    }

    /** The partition of the offsets topic that keeps {@code groupId}; the topic must exist. */
    int partitionFor(final String groupId)
    {
        return partitionFor(groupId, partitionStatus.length);
    }

    boolean isTopicReady()
    {
        return partitionStatus.length > 0;
    }

    /** The offsets topic exists with {@code partitions} partitions, all about to be loaded. */
    void onTopicReady(final int partitions)
    {
        partitionStatus = new byte[partitions];
        Arrays.fill(partitionStatus, LOADING);
        deadlines.schedule(expiryDeadline, clock.time() + context.offsetsRetentionCheckIntervalMs());
    }

    void onPartitionLoaded(final int partition)
    {
        partitionStatus[partition] = LOADED;
        for (final ClassicGroup group : new ArrayList<>(rebalance.groups()))
        {
            if (partitionFor(group.groupId()) == partition)
            {
                rebalance.startRestoredSessions(group.groupId());
            }
        }
    }

    void onPartitionLoadFailed(final int partition)
    {
        partitionStatus[partition] = FAILED;
    }

    /** Whether every partition has been loaded (or has failed to load). */
    boolean isLoaded()
    {
        for (final byte status : partitionStatus)
        {
            if (status == LOADING)
            {
                return false;
            }
        }
        return isTopicReady();
    }

    /** Kafka's answer for a group whose coordinator is not ready, or NONE when it is. */
    Errors status(final String groupId)
    {
        if (!isTopicReady())
        {
            onCoordinatorNeeded.run();
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        return switch (partitionStatus[partitionFor(groupId)])
        {
            case LOADED -> Errors.NONE;
            case LOADING -> Errors.COORDINATOR_LOAD_IN_PROGRESS;
            default -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }

    // ---- replay ----

    void replayOffset(final String groupId, final String topic, final int partition, final OffsetAndMetadata offset)
    {
        if (offset == null)
        {
            offsets.offsets().remove(groupId, topic, partition);
            return;
        }
        offsets.offsets().put(groupId, topic, partition, offset);
        rebalance.getOrCreate(groupId);
    }

    void replayGroup(final String groupId, final StoredGroup group)
    {
        if (group != null)
        {
            rebalance.restore(groupId, group);
            return;
        }
        final ClassicGroup existing = rebalance.group(groupId);
        if (existing != null)
        {
            rebalance.removeGroup(existing);
        }
    }

    // ---- duty cycle ----

    /** Run due deadlines and a slice of the offset expiry; returns the work done. */
    int doDuties(final long nowMs)
    {
        int work = deadlines.poll(nowMs, DEADLINE_LIMIT);
        for (int i = 0; i < EXPIRY_LIMIT && !expirySweep.isEmpty(); i++)
        {
            final ClassicGroup group = rebalance.group(expirySweep.poll());
            if (group != null && status(group.groupId()) == Errors.NONE)
            {
                offsets.expire(group);
            }
            work++;
        }
        return work;
    }

    private void startExpirySweep()
    {
        if (expirySweep.isEmpty())
        {
            for (final ClassicGroup group : rebalance.groups())
            {
                expirySweep.add(group.groupId());
            }
        }
        deadlines.schedule(expiryDeadline, clock.time() + context.offsetsRetentionCheckIntervalMs());
    }

    // ---- the APIs ----

    void joinGroup(
        final GroupRequestContext request, final JoinGroupRequestData data, final Consumer<JoinGroupResponseData> respond)
    {
        Errors error = isEmpty(data.groupId()) ? Errors.INVALID_GROUP_ID : Errors.NONE;
        if (error == Errors.NONE && (data.sessionTimeoutMs() < context.minSessionTimeoutMs() ||
            data.sessionTimeoutMs() > context.maxSessionTimeoutMs()))
        {
            error = Errors.INVALID_SESSION_TIMEOUT;
        }
        if (error == Errors.NONE)
        {
            error = status(data.groupId());
        }
        if (error != Errors.NONE)
        {
            respond.accept(new JoinGroupResponseData().setMemberId(data.memberId()).setLeader("").setErrorCode(error.code()));
            return;
        }
        membership.join(request, data, respond);
    }

    void syncGroup(final SyncGroupRequestData data, final Consumer<SyncGroupResponseData> respond)
    {
        final Errors error = isEmpty(data.groupId()) ? Errors.INVALID_GROUP_ID : status(data.groupId());
        if (error != Errors.NONE)
        {
            respond.accept(new SyncGroupResponseData().setAssignment(GroupMember.EMPTY_BYTES).setErrorCode(error.code()));
            return;
        }
        membership.sync(data, respond);
    }

    HeartbeatResponseData heartbeat(final HeartbeatRequestData data)
    {
        final Errors error = isEmpty(data.groupId()) ? Errors.INVALID_GROUP_ID : status(data.groupId());
        return error != Errors.NONE ? new HeartbeatResponseData().setErrorCode(error.code()) : membership.heartbeat(data);
    }

    LeaveGroupResponseData leaveGroup(final LeaveGroupRequestData data)
    {
        final Errors error = isEmpty(data.groupId()) ? Errors.INVALID_GROUP_ID : status(data.groupId());
        return error != Errors.NONE ? new LeaveGroupResponseData().setErrorCode(error.code()) : membership.leave(data);
    }

    /** {@code data}'s topics must exist and carry their names (the API adapter checks and resolves them). */
    void commitOffsets(
        final short apiVersion, final OffsetCommitRequestData data, final Consumer<OffsetCommitResponseData> respond)
    {
        final Errors error = data.groupId() == null ? Errors.INVALID_GROUP_ID : status(data.groupId());
        if (error != Errors.NONE)
        {
            respond.accept(OffsetRequests.commitResponse(data, error));
            return;
        }
        offsets.commit(apiVersion, data, respond);
    }

    void fetchOffsets(
        final OffsetFetchRequestGroup request, final boolean requireStable, final Consumer<OffsetFetchResponseGroup> respond)
    {
        final Errors error = request.groupId() == null ? Errors.INVALID_GROUP_ID : status(request.groupId());
        if (error != Errors.NONE)
        {
            respond.accept(new OffsetFetchResponseGroup().setGroupId(request.groupId()).setErrorCode(error.code()));
            return;
        }
        offsets.fetch(request, requireStable, respond);
    }

    void deleteOffsets(final OffsetDeleteRequestData data, final Consumer<OffsetDeleteResponseData> respond)
    {
        final Errors error = data.groupId() == null ? Errors.INVALID_GROUP_ID : status(data.groupId());
        if (error != Errors.NONE)
        {
            respond.accept(new OffsetDeleteResponseData().setErrorCode(error.code()));
            return;
        }
        offsets.deleteOffsets(data, respond);
    }

    /** Delete each group; {@code respond} gets all the results once every group's tombstones are written. */
    void deleteGroups(final List<String> groupIds, final Consumer<DeletableGroupResultCollection> respond)
    {
        final DeletableGroupResultCollection results = new DeletableGroupResultCollection();
        final List<String> distinct = new ArrayList<>(new LinkedHashSet<>(groupIds));
        final int[] remaining = {distinct.size()};
        if (distinct.isEmpty())
        {
            respond.accept(results);
            return;
        }
        for (final String groupId : distinct)
        {
            final Consumer<DeletableGroupResult> onResult = result ->
            {
                results.add(result);
                if (--remaining[0] == 0)
                {
                    respond.accept(results);
                }
            };
            final Errors error = groupId == null ? Errors.INVALID_GROUP_ID : status(groupId);
            if (error != Errors.NONE)
            {
                onResult.accept(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
            }
            else
            {
                offsets.deleteGroup(groupId, onResult);
            }
        }
    }

    ListGroupsResponseData listGroups(final ListGroupsRequestData data)
    {
        final ListGroupsResponseData response = new ListGroupsResponseData();
        if (isTopicReady() && !isLoaded())
        {
            return response.setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        }
        final Set<String> states = new HashSet<>();
        for (final String state : data.statesFilter())
        {
            states.add(state.trim().toLowerCase(Locale.ROOT));
        }
        boolean typeMatches = data.typesFilter().isEmpty();
        for (final String type : data.typesFilter())
        {
            typeMatches |= CLASSIC_GROUP_TYPE.equalsIgnoreCase(type.trim());
        }
        if (!typeMatches)
        {
            return response;
        }
        for (final ClassicGroup group : rebalance.groups())
        {
            if (group.is(GroupState.DEAD) ||
                (!states.isEmpty() && !states.contains(group.state().toString().toLowerCase(Locale.ROOT))))
            {
                continue;
            }
            response.groups().add(new ListGroupsResponseData.ListedGroup()
                .setGroupId(group.groupId())
                .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                .setGroupState(group.state().toString())
                .setGroupType(CLASSIC_GROUP_TYPE));
        }
        return response;
    }

    List<DescribedGroup> describeGroups(final List<String> groupIds, final short apiVersion, final boolean includeOperations)
    {
        final List<DescribedGroup> described = new ArrayList<>(groupIds.size());
        for (final String groupId : groupIds)
        {
            final Errors error = groupId == null ? Errors.INVALID_GROUP_ID : status(groupId);
            if (error != Errors.NONE)
            {
                described.add(new DescribedGroup().setGroupId(groupId).setErrorCode(error.code()));
                continue;
            }
            final ClassicGroup group = rebalance.group(groupId);
            if (group == null || group.is(GroupState.DEAD))
            {
                final DescribedGroup dead = new DescribedGroup().setGroupId(groupId).setGroupState(GroupState.DEAD.toString());
                if (apiVersion >= GROUP_ID_NOT_FOUND_MIN_DESCRIBE_VERSION)
                {
                    dead.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + groupId + " not found.");
                }
                described.add(dead);
                continue;
            }
            final boolean stable = group.is(GroupState.STABLE);
            final DescribedGroup result = new DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(group.state().toString())
                .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                .setProtocolData(stable ? group.protocolName() : "")
                .setAuthorizedOperations(includeOperations ? ALL_GROUP_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED);
            for (final GroupMember member : group.members())
            {
                result.members().add(member.describe(stable ? group.protocolName() : null));
            }
            described.add(result);
        }
        return described;
    }

    private static boolean isEmpty(final String groupId)
    {
        return groupId == null || groupId.isEmpty();
    }

    // ---- for tests ----

    ClassicGroup group(final String groupId)
    {
        return rebalance.group(groupId);
    }

    OffsetAndMetadata committed(final String groupId, final String topic, final int partition)
    {
        return offsets.offsets().get(groupId, topic, partition);
    }
}
