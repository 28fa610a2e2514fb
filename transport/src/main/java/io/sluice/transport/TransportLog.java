package io.sluice.transport;

/**
 * Where the transport reports what an operator should see: one line per connection closed for a bad reason
 * (bad frame size, truncated frame, a handler that threw, an I/O error), a refused connection, an event loop
 * error. Normal closes by the peer are not reported.
 *
 * <p>Called from event-loop threads, so an implementation must be thread-safe and should not block for long.
 */
@FunctionalInterface
public interface TransportLog
{
    /**
     * @param line one self-contained line, without a trailing newline.
     */
    void log(String line);
}
