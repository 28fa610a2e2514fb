package io.sluice.broker.group;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineQueueTest
{
    private final DeadlineQueue queue = new DeadlineQueue();
    private final List<String> fired = new ArrayList<>();

    @Test
    void shouldFireDueDeadlinesInOrder()
    {
        final Deadline late = new Deadline(() -> fired.add("late"));
        final Deadline early = new Deadline(() -> fired.add("early"));
        queue.schedule(late, 200);
        queue.schedule(early, 100);
        assertThat(queue.poll(99, 10)).isZero();
        assertThat(queue.poll(250, 10)).isEqualTo(2);
        assertThat(fired).containsExactly("early", "late");
        assertThat(late.isScheduled()).isFalse();
    }

    @Test
    void shouldMoveADeadlineLaterWithoutFiringAtTheOldTime()
    {
        final Deadline session = new Deadline(() -> fired.add("expired"));
        queue.schedule(session, 100);
        queue.schedule(session, 300);
        assertThat(queue.poll(150, 10)).isZero();
        assertThat(queue.size()).as("re-queued once at its new time").isEqualTo(1);
        assertThat(queue.poll(300, 10)).isEqualTo(1);
        assertThat(fired).containsExactly("expired");
    }

    @Test
    void shouldMoveADeadlineEarlier()
    {
        final Deadline deadline = new Deadline(() -> fired.add("fired"));
        queue.schedule(deadline, 500);
        queue.schedule(deadline, 50);
        assertThat(queue.poll(60, 10)).isEqualTo(1);
        assertThat(queue.size()).isZero();
    }

    @Test
    void shouldNotFireACancelledDeadlineButAllowItAgain()
    {
        final Deadline deadline = new Deadline(() -> fired.add("fired"));
        queue.schedule(deadline, 100);
        queue.cancel(deadline);
        assertThat(queue.poll(1_000, 10)).isZero();
        assertThat(queue.size()).isZero();
        queue.schedule(deadline, 1_100);
        assertThat(queue.poll(1_100, 10)).isEqualTo(1);
        assertThat(fired).containsExactly("fired");
    }

    @Test
    void shouldLetAnActionScheduleItselfAgain()
    {
        final Deadline[] self = new Deadline[1];
        self[0] = new Deadline(() ->
        {
            fired.add("tick");
            queue.schedule(self[0], fired.size() * 1_000L);
        });
        queue.schedule(self[0], 10);
        queue.poll(20, 10);
        queue.poll(30, 10);
        assertThat(fired).containsExactly("tick");
        queue.poll(1_000, 10);
        assertThat(fired).containsExactly("tick", "tick");
    }

    @Test
    void shouldStopAtTheLimit()
    {
        for (int i = 0; i < 5; i++)
        {
            queue.schedule(new Deadline(() -> fired.add("x")), i);
        }
        assertThat(queue.poll(10, 3)).isEqualTo(3);
        assertThat(queue.poll(10, 3)).isEqualTo(2);
    }
}
