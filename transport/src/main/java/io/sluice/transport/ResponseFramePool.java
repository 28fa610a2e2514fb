package io.sluice.transport;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * Recycles {@link ResponseFrame}s between the threads that fill them (shards) and the event loops that
 * write and release them. Thread-safe and lock-free; allocates only when the pool runs dry (warm-up or a
 * burst), and drops frames beyond its capacity on release.
 */
public final class ResponseFramePool
{
    private final ManyToManyConcurrentArrayQueue<ResponseFrame> frames;
    private final int initialFrameCapacity;

    public ResponseFramePool(final int capacity, final int initialFrameCapacity)
    {
        this.frames = new ManyToManyConcurrentArrayQueue<>(capacity);
        this.initialFrameCapacity = initialFrameCapacity;
    }

    public ResponseFrame acquire()
    {
        final ResponseFrame frame = frames.poll();
        return frame != null ? frame : new ResponseFrame(initialFrameCapacity);
    }

    public void release(final ResponseFrame frame)
    {
        frames.offer(frame.clear());
    }
}
