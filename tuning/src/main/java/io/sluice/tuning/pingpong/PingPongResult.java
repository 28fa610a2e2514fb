package io.sluice.tuning.pingpong;

import org.HdrHistogram.Histogram;

/**
 * What one ping-pong run measured.
 *
 * @param roundTrips  round-trip times in nanoseconds, from the moment a ping was sent to the moment its echo was
 *                    seen, measurement phase only.
 * @param wallNs      length of the measurement phase.
 * @param processCpuNs CPU time the whole process used during it (both sides, JIT and GC included).
 */
public record PingPongResult(Histogram roundTrips, long wallNs, long processCpuNs)
{
    /** Round trips per second achieved. */
    public double rate()
    {
        return roundTrips.getTotalCount() * 1e9 / wallNs;
    }

    /** Average number of cores the process kept busy. */
    public double coresBusy()
    {
        return (double)processCpuNs / wallNs;
    }
}
