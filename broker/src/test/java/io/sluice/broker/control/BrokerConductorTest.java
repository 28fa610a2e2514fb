package io.sluice.broker.control;

import io.sluice.transport.BlockingIdleStrategy;
import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conductor runs what other threads submit, in order, and what it submits to itself. It blocks for up to a
 * minute when idle here, so each answer within its 10 s bound shows that submitting woke it.
 */
@Timeout(30)
class BrokerConductorTest
{
    private final BrokerConductor conductor = new BrokerConductor();
    private final AgentRunner runner = new AgentRunner(
        new BlockingIdleStrategy(0, 0, TimeUnit.MINUTES.toNanos(1), conductor.blockingWait()), Throwable::printStackTrace,
        null, conductor);

    @AfterEach
    void stop()
    {
        conductor.stopBlocking();
        runner.close();
    }

    @Test
    void shouldBeWokenByEachSubmittedTaskAndRunItsOwnFollowUps() throws Exception
    {
        AgentRunner.startOnThread(runner);
        final StringBuilder order = new StringBuilder();
        for (int i = 0; i < 20; i++)
        {
            final int task = i;
            final CountDownLatch done = new CountDownLatch(1);
            conductor.submit(() ->
            {
                assertThat(conductor.isConductorThread()).isTrue();
                order.append(task).append(',');
                conductor.submit(done::countDown);
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).as("task " + task + " ran").isTrue();
        }
        final CountDownLatch read = new CountDownLatch(1);
        final String[] seen = new String[1];
        conductor.submit(() ->
        {
            seen[0] = order.toString();
            read.countDown();
        });
        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen[0]).isEqualTo("0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,");
    }
}
