package io.sluice.tuning.check;

/** What {@code sluice tune check} thinks of one setting. */
public enum Verdict
{
    /** Already what Sluice recommends. */
    OK,

    /** Worth changing for Sluice; the finding says why. */
    ADVISE,

    /** Reported for context (core count, NUMA, a setting the machine does not expose); nothing to change. */
    INFO
}
