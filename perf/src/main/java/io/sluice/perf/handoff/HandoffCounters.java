package io.sluice.perf.handoff;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

/**
 * Requests a consumer took while JMH measured, reported as a rate ({@code :events}, events/s): the hand-off
 * throughput, whatever number of events each consumer duty cycle (one benchmark op) happened to take.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class HandoffCounters
{
    /** JMH zeroes it before each iteration. */
    public long events;

    /**
     * Add {@code taken} events if the measurement is running. JMH reads the counters after the iteration's
     * warm-down and divides by the measured time only, so what is taken before or after it must not count.
     */
    void measured(final Control control, final int taken)
    {
        if (control.startMeasurement && !control.stopMeasurement)
        {
            events += taken;
        }
    }
}
