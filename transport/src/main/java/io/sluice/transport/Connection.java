package io.sluice.transport;

/**
 * One accepted client connection as the broker sees it.
 *
 * <p>{@link #respond}, {@link #skip} and {@link #close} may be called from any thread (a shard completing a
 * request); the transport hands them to the connection's event loop. Everything else is stable for the
 * connection's lifetime.
 */
public interface Connection
{
    /** Unique for the process lifetime. */
    long id();

    /** "host:port" of the peer, for log lines. */
    String remoteAddress();

    /**
     * Send {@code response} as the answer to request {@code requestSeq}. Responses are written in request
     * order whatever order they complete in. Ownership of the frame passes to the transport, which releases
     * it to its pool once written (or the connection closes).
     */
    void respond(long requestSeq, ResponseFrame response);

    /** Request {@code requestSeq} gets no response (Kafka acks=0); later responses need not wait for it. */
    void skip(long requestSeq);

    /** Close the connection, logging {@code reason} once. Pending responses are dropped. */
    void close(String reason);

    /** False once closed; a completing shard may then drop its response. */
    boolean isOpen();
}
