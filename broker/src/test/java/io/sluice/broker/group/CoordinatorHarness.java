package io.sluice.broker.group;

import org.agrona.concurrent.CachedEpochClock;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A {@link GroupCoordinator} on the test's own thread: a clock the test moves, deadlines run by
 * {@link #advance}, and an in-memory {@link CoordinatorLog} whose writes complete at once or when the test says.
 */
final class CoordinatorHarness
{
    static final int PARTITIONS = 4;
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 30_000;
    static final int INITIAL_DELAY_MS = 3_000;

    final CachedEpochClock clock = new CachedEpochClock();
    final MemoryLog log = new MemoryLog();
    final GroupCoordinatorContext context;
    final GroupCoordinator coordinator;

    CoordinatorHarness()
    {
        this(new GroupCoordinatorContext().initialRebalanceDelayMs(INITIAL_DELAY_MS).conclude());
    }

    CoordinatorHarness(final GroupCoordinatorContext context)
    {
        this(context, 1_000_000, coordinator -> { });
    }

    /**
     * @param startMs    the clock's first reading.
     * @param beforeLoad runs while every partition is loading (a replay of a previous coordinator's writes).
     */
    CoordinatorHarness(final GroupCoordinatorContext context, final long startMs, final Consumer<GroupCoordinator> beforeLoad)
    {
        clock.update(startMs);
        this.context = context;
        coordinator = new GroupCoordinator(context, clock, log, () -> { });
        coordinator.onTopicReady(PARTITIONS);
        beforeLoad.accept(coordinator);
        for (int i = 0; i < PARTITIONS; i++)
        {
            coordinator.onPartitionLoaded(i);
        }
    }

    /** Move the clock and run what came due, a millisecond at a time as a duty cycle would. */
    void advance(final long ms)
    {
        for (long i = 0; i < ms; i++)
        {
            clock.advance(1);
            coordinator.doDuties(clock.time());
        }
    }

    /** Advance until {@code answer} has its JoinGroup answer (at most a rebalance timeout). */
    JoinGroupResponseData awaitJoin(final AtomicReference<JoinGroupResponseData> answer)
    {
        for (int waited = 0; waited < REBALANCE_MS && answer.get() == null; waited++)
        {
            advance(1);
        }
        if (answer.get() == null)
        {
            throw new AssertionError("join not answered within the rebalance timeout");
        }
        return answer.get();
    }

    static JoinGroupRequestData joinRequest(
        final String groupId, final String memberId, final String instanceId, final String... protocols)
    {
        final JoinGroupRequestProtocolCollection collection = new JoinGroupRequestProtocolCollection();
        for (final String protocol : protocols)
        {
            collection.add(new JoinGroupRequestProtocol().setName(protocol).setMetadata(subscription("orders")));
        }
        return new JoinGroupRequestData()
            .setGroupId(groupId)
            .setMemberId(memberId)
            .setGroupInstanceId(instanceId)
            .setSessionTimeoutMs(SESSION_MS)
            .setRebalanceTimeoutMs(REBALANCE_MS)
            .setProtocolType("consumer")
            .setProtocols(collection);
    }

    static byte[] subscription(final String... topics)
    {
        final ByteBuffer buffer = ConsumerProtocol.serializeSubscription(
            new ConsumerPartitionAssignor.Subscription(List.of(topics)));
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Send a JoinGroup; the reference holds the answer once there is one. */
    AtomicReference<JoinGroupResponseData> join(final JoinGroupRequestData request, final int version)
    {
        final AtomicReference<JoinGroupResponseData> answer = new AtomicReference<>();
        coordinator.joinGroup(new GroupRequestContext((short)version, "client", "/127.0.0.1"), request, response ->
        {
            if (answer.getAndSet(response) != null)
            {
                throw new AssertionError("answered twice");
            }
        });
        return answer;
    }

    /** A member id and the answer to its JoinGroup, once there is one. */
    record Joined(String memberId, AtomicReference<JoinGroupResponseData> answer)
    {
    }

    /** A new dynamic member (JoinGroup v5: asked for its id first, then parked with it). */
    Joined newMember(final String groupId)
    {
        final JoinGroupResponseData required = join(joinRequest(groupId, "", null, "range"), 5).get();
        if (required.errorCode() != Errors.MEMBER_ID_REQUIRED.code())
        {
            throw new AssertionError("expected MEMBER_ID_REQUIRED, got " + Errors.forCode(required.errorCode()));
        }
        return new Joined(required.memberId(), join(joinRequest(groupId, required.memberId(), null, "range"), 5));
    }

    AtomicReference<SyncGroupResponseData> sync(
        final String groupId, final String memberId, final int generation, final Map<String, byte[]> assignments)
    {
        final SyncGroupRequestData request = new SyncGroupRequestData()
            .setGroupId(groupId)
            .setMemberId(memberId)
            .setGenerationId(generation)
            .setProtocolType("consumer")
            .setProtocolName("range");
        assignments.forEach((member, bytes) ->
            request.assignments().add(new SyncGroupRequestAssignment().setMemberId(member).setAssignment(bytes)));
        final AtomicReference<SyncGroupResponseData> answer = new AtomicReference<>();
        coordinator.syncGroup(request, answer::set);
        return answer;
    }

    Errors heartbeat(final String groupId, final String memberId, final String instanceId, final int generation)
    {
        return Errors.forCode(coordinator.heartbeat(new HeartbeatRequestData()
            .setGroupId(groupId)
            .setMemberId(memberId)
            .setGroupInstanceId(instanceId)
            .setGenerationId(generation)).errorCode());
    }

    /**
     * A stable group of {@code count} dynamic members (member ids in join order; the first is the leader), after
     * the initial delay, with an empty assignment each.
     */
    List<String> stableGroup(final String groupId, final int count)
    {
        final List<String> members = new ArrayList<>();
        final List<AtomicReference<JoinGroupResponseData>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final Joined joined = newMember(groupId);
            members.add(joined.memberId());
            answers.add(joined.answer());
        }
        final JoinGroupResponseData first = awaitJoin(answers.get(0));
        if (first.errorCode() != 0)
        {
            throw new AssertionError("join did not complete: " + first);
        }
        final String leader = first.leader();
        final int generation = first.generationId();
        for (final String member : members)
        {
            if (!member.equals(leader))
            {
                sync(groupId, member, generation, Map.of());
            }
        }
        sync(groupId, leader, generation, Map.of());
        members.remove(leader);
        members.add(0, leader);
        return members;
    }

    /** An in-memory offsets topic: writes complete at once unless {@link #hold} is set, then on {@link #release}. */
    static final class MemoryLog implements CoordinatorLog
    {
        final List<CoordinatorRecord> records = new ArrayList<>();
        private final ArrayDeque<Runnable> held = new ArrayDeque<>();
        private final List<Runnable> waiting = new ArrayList<>();
        boolean hold;
        int failWith;

        @Override
        public void append(final String groupId, final List<CoordinatorRecord> batch, final IntConsumer onDone)
        {
            final Runnable complete = () ->
            {
                if (failWith == 0)
                {
                    records.addAll(batch);
                }
                onDone.accept(failWith);
            };
            if (hold)
            {
                held.add(complete);
            }
            else
            {
                complete.run();
            }
        }

        @Override
        public void afterPendingWrites(final String groupId, final Runnable action)
        {
            if (held.isEmpty())
            {
                action.run();
            }
            else
            {
                waiting.add(action);
            }
        }

        /** Complete every held write, in order. */
        void release()
        {
            hold = false;
            while (!held.isEmpty())
            {
                held.poll().run();
            }
            waiting.forEach(Runnable::run);
            waiting.clear();
        }

        /** Replay everything written into {@code coordinator}, as the loader would. */
        void replayInto(final GroupCoordinator coordinator)
        {
            final CoordinatorRecordDecoder.Listener listener = new CoordinatorRecordDecoder.Listener()
            {
                @Override
                public void onOffset(
                    final String groupId, final String topic, final int partition, final OffsetAndMetadata offset)
                {
                    coordinator.replayOffset(groupId, topic, partition, offset);
                }

                @Override
                public void onGroup(final String groupId, final StoredGroup group)
                {
                    coordinator.replayGroup(groupId, group);
                }
            };
            for (final CoordinatorRecord record : records)
            {
                final String skipped = CoordinatorRecordDecoder.decode(
                    ByteBuffer.wrap(record.key()), record.value() == null ? null : ByteBuffer.wrap(record.value()), listener);
                if (skipped != null)
                {
                    throw new AssertionError(skipped);
                }
            }
        }
    }
}
