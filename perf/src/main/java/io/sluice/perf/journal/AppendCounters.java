package io.sluice.perf.journal;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Bytes appended, reported by JMH beside the ops rate as a bytes-per-second rate ({@code :bytes}). */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class AppendCounters
{
    public long bytes;

    @Setup(Level.Iteration)
    public void reset()
    {
        bytes = 0;
    }
}
