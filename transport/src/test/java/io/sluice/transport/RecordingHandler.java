package io.sluice.transport;

import org.agrona.DirectBuffer;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/** Keeps every frame it is given (copied) for a test thread to answer later, and every close it sees. */
final class RecordingHandler implements FrameHandler
{
    record Request(Connection connection, long seq, byte[] payload, String threadName)
    {
    }

    final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    final List<Connection> closed = new CopyOnWriteArrayList<>();

    @Override
    public void onFrame(
        final Connection connection, final long requestSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] payload = new byte[length];
        buffer.getBytes(offset, payload);
        requests.add(new Request(connection, requestSeq, payload, Thread.currentThread().getName()));
    }

    @Override
    public void onClose(final Connection connection)
    {
        closed.add(connection);
    }

    static void respond(final ResponseFramePool pool, final Request request, final byte[] body)
    {
        final ResponseFrame response = pool.acquire();
        response.buffer().putBytes(0, body);
        response.length(body.length);
        request.connection().respond(request.seq(), response);
    }
}
