package io.sluice.broker.group;

import io.sluice.broker.kafka.KafkaApiTable;
import io.sluice.broker.kafka.KafkaApiTable.Runs;
import io.sluice.broker.kafka.KafkaControlRequest;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;

import java.util.List;

/**
 * The Kafka door's group APIs and the versions advertised for each, with what changes between versions (JoinGroup
 * v0 has no rebalance timeout, LeaveGroup before v3 names one member, SyncGroup from v5 must name the protocol,
 * DescribeGroups from v6 reports unknown groups as GROUP_ID_NOT_FOUND). Every handler hands its request to the
 * coordinator's thread; the offset APIs are in {@link OffsetApis}.
 *
 * <p>Versions: every version kafka-clients 4.3 decodes, which covers librdkafka 2.x and kafkajs 2.x as well.
 * ConsumerGroupHeartbeat and ConsumerGroupDescribe (the KIP-848 consumer protocol) are not served and not
 * advertised: clients keep to the classic protocol (kafka-clients 4.x's default, {@code group.protocol=classic}).
 */
final class GroupApis
{
    static final int FIND_COORDINATOR_MAX = 6;
    static final int JOIN_GROUP_MAX = 9;
    static final int SYNC_GROUP_MAX = 5;
    static final int HEARTBEAT_MAX = 4;
    static final int LEAVE_GROUP_MAX = 5;
    static final int LIST_GROUPS_MAX = 5;
    static final int DESCRIBE_GROUPS_MAX = 6;
    static final int DELETE_GROUPS_MAX = 2;
    private static final int BATCH_LEAVE_MIN_VERSION = 3;

    private final GroupCoordinatorAgent agent;
    private final GroupCoordinator coordinator;

    GroupApis(final GroupCoordinatorAgent agent, final GroupCoordinator coordinator)
    {
        this.agent = agent;
        this.coordinator = coordinator;
    }

    /** Register the group APIs (not the offset ones, nor FindCoordinator) in {@code apis}. */
    void register(final KafkaApiTable apis)
    {
        apis.register(ApiKeys.JOIN_GROUP, 0, JOIN_GROUP_MAX, Runs.EVENT_LOOP, request -> agent.submit(request, this::join));
        apis.register(ApiKeys.SYNC_GROUP, 0, SYNC_GROUP_MAX, Runs.EVENT_LOOP, request -> agent.submit(request, this::sync));
        apis.register(ApiKeys.HEARTBEAT, 0, HEARTBEAT_MAX, Runs.EVENT_LOOP,
            request -> agent.submit(request, r -> r.respond(coordinator.heartbeat(r.data(HeartbeatRequestData.class)))));
        apis.register(ApiKeys.LEAVE_GROUP, 0, LEAVE_GROUP_MAX, Runs.EVENT_LOOP, request -> agent.submit(request, this::leave));
        apis.register(ApiKeys.LIST_GROUPS, 0, LIST_GROUPS_MAX, Runs.EVENT_LOOP,
            request -> agent.submit(request, r -> r.respond(coordinator.listGroups(r.data(ListGroupsRequestData.class)))));
        apis.register(ApiKeys.DESCRIBE_GROUPS, 0, DESCRIBE_GROUPS_MAX, Runs.EVENT_LOOP,
            request -> agent.submit(request, this::describe));
        apis.register(ApiKeys.DELETE_GROUPS, 0, DELETE_GROUPS_MAX, Runs.EVENT_LOOP,
            request -> agent.submit(request, r -> coordinator.deleteGroups(
                r.data(DeleteGroupsRequestData.class).groupsNames(),
                results -> r.respond(new DeleteGroupsResponseData().setResults(results)))));
    }

    /** "/host" from "host:port", as Kafka shows a member's address. */
    static String clientHost(final KafkaControlRequest request)
    {
        final String address = request.connection().remoteAddress();
        final int colon = address.lastIndexOf(':');
        return "/" + (colon > 0 ? address.substring(0, colon) : address);
    }

    static GroupRequestContext context(final KafkaControlRequest request)
    {
        return new GroupRequestContext(request.apiVersion(), request.clientId(), clientHost(request));
    }

    private void join(final KafkaControlRequest request)
    {
        final JoinGroupRequestData data = request.data(JoinGroupRequestData.class);
        if (request.apiVersion() == 0)
        {
            // Version 0 has no rebalance timeout: Kafka uses the session timeout.
            data.setRebalanceTimeoutMs(data.sessionTimeoutMs());
        }
        final short version = request.apiVersion();
        coordinator.joinGroup(
            context(request), data, response -> request.respond(new JoinGroupResponse(response, version).data()));
    }

    private void sync(final KafkaControlRequest request)
    {
        final SyncGroupRequestData data = request.data(SyncGroupRequestData.class);
        if (!new SyncGroupRequest(data, request.apiVersion()).areMandatoryProtocolTypeAndNamePresent())
        {
            request.respond(new SyncGroupResponseData()
                .setAssignment(GroupMember.EMPTY_BYTES)
                .setErrorCode(Errors.INCONSISTENT_GROUP_PROTOCOL.code()));
            return;
        }
        coordinator.syncGroup(data, request::respond);
    }

    private void leave(final KafkaControlRequest request)
    {
        final LeaveGroupRequestData data = request.data(LeaveGroupRequestData.class);
        final short version = request.apiVersion();
        if (version < BATCH_LEAVE_MIN_VERSION)
        {
            data.setMembers(List.of(new MemberIdentity().setMemberId(data.memberId())));
        }
        request.respond(new LeaveGroupResponse(coordinator.leaveGroup(data), version).data());
    }

    private void describe(final KafkaControlRequest request)
    {
        final DescribeGroupsRequestData data = request.data(DescribeGroupsRequestData.class);
        request.respond(new DescribeGroupsResponseData().setGroups(
            coordinator.describeGroups(data.groups(), request.apiVersion(), data.includeAuthorizedOperations())));
    }
}
