package io.sluice.broker.shard;

import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;

import java.util.concurrent.atomic.AtomicInteger;

/** A connection that only counts what is done to it, for tests that drive the shards without a network. */
final class RecordingConnection implements Connection
{
    final AtomicInteger responses = new AtomicInteger();

    @Override
    public long id()
    {
        return 1;
    }

    @Override
    public String remoteAddress()
    {
        return "test:0";
    }

    @Override
    public void respond(final long requestSeq, final ResponseFrame response)
    {
        responses.incrementAndGet();
    }

    @Override
    public void skip(final long requestSeq)
    {
    }

    @Override
    public void close(final String reason)
    {
    }

    @Override
    public boolean isOpen()
    {
        return true;
    }
}
