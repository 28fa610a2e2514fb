package io.sluice.broker.group;

import io.sluice.broker.BrokerLog;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.transport.BlockingWait;
import io.sluice.transport.ParkingWait;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

import java.util.function.Consumer;

/**
 * The group coordinator's thread. Requests arrive from the event loops on a bounded queue (a full queue makes the
 * submitting event loop wait: back-pressure, as for the shards); results of appends and reads arrive from the
 * shards on a second, unbounded queue, whose size is bounded by the work the coordinator itself has handed out,
 * so a shard never waits for the coordinator and the two can never wait for each other. Each duty cycle runs
 * the shards' results, a limited number of requests, the due deadlines, and then sends what was appended to
 * {@code __consumer_offsets} as one write per partition.
 *
 * <p>{@link #submit} and {@link #completion} are thread-safe; everything else runs on the agent's thread.
 */
final class GroupCoordinatorAgent implements Agent
{
    private static final int REQUEST_QUEUE_CAPACITY = 4096;
    private static final int REQUEST_LIMIT = 64;
    private static final int COMPLETION_LIMIT = 256;

    private final ManyToOneConcurrentArrayQueue<Runnable> requests =
        new ManyToOneConcurrentArrayQueue<>(REQUEST_QUEUE_CAPACITY);
    private final ManyToOneConcurrentLinkedQueue<Runnable> completions = new ManyToOneConcurrentLinkedQueue<>();
    private final EpochClock clock;
    private final ParkingWait wait = new ParkingWait(() -> !completions.isEmpty() || !requests.isEmpty());
    private GroupCoordinator coordinator;
    private OffsetsTopicWriter writer;

    GroupCoordinatorAgent(final EpochClock clock)
    {
        this.clock = clock;
    }

    /** Wire the state this agent drives; before the agent starts. */
    void drive(final GroupCoordinator coordinator, final OffsetsTopicWriter writer)
    {
        this.coordinator = coordinator;
        this.writer = writer;
    }

    @Override
    public String roleName()
    {
        return "sluice-group-coordinator";
    }

    /** Run {@code task} on the coordinator thread; spins while the request queue is full. */
    void submit(final Runnable task)
    {
        while (!requests.offer(task))
        {
            Thread.onSpinWait();
        }
        wait.wake();
    }

    /**
     * Serve {@code request} with {@code handler} on the coordinator thread. A handler that throws (a bug) closes
     * the request's connection, so the client fails fast instead of waiting for an answer that never comes.
     */
    void submit(final KafkaControlRequest request, final Consumer<KafkaControlRequest> handler)
    {
        submit(() ->
        {
            try
            {
                handler.accept(request);
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error("serving " + request + " failed", ex);
                request.connection().close("cannot serve " + request + ": " + ex);
            }
        });
    }

    /** Run {@code task} on the coordinator thread; never blocks (for shards reporting back). */
    void completion(final Runnable task)
    {
        completions.offer(task);
        wait.wake();
    }

    /** Any thread, before stopping the coordinator's agent: it never blocks again and is woken if blocked. */
    void stopBlocking()
    {
        wait.stop();
    }

    /** How the idle coordinator blocks until a request or completion wakes it. */
    BlockingWait blockingWait()
    {
        return wait;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        Runnable task;
        while (work < COMPLETION_LIMIT && (task = completions.poll()) != null)
        {
            work += run(task);
        }
        for (int i = 0; i < REQUEST_LIMIT && (task = requests.poll()) != null; i++)
        {
            work += run(task);
        }
        work += coordinator.doDuties(clock.time());
        work += writer.flush();
        return work;
    }

    private static int run(final Runnable task)
    {
        try
        {
            task.run();
        }
        catch (final RuntimeException ex)
        {
            BrokerLog.error("group coordinator task failed", ex);
        }
        return 1;
    }
}
