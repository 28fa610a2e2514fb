package io.sluice.broker.shard;

/**
 * One slot of a shard's request ring, pre-allocated by the ring and mutated in place: the request it carries
 * is a pooled gather, so publishing allocates nothing. The shard clears the slot once it is processed.
 */
final class ShardEvent
{
    static final int PRODUCE = 1;
    static final int FETCH = 2;

    int type;
    ProduceGather produce;
    FetchGather fetch;

    void produce(final ProduceGather gather)
    {
        type = PRODUCE;
        produce = gather;
        fetch = null;
    }

    void fetch(final FetchGather gather)
    {
        type = FETCH;
        produce = null;
        fetch = gather;
    }

    void clear()
    {
        type = 0;
        produce = null;
        fetch = null;
    }
}
